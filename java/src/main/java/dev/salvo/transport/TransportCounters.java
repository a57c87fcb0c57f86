/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.salvo.DropReason;
import dev.salvo.TransportStats;
import dev.salvo.crypto.handshake.HandshakeStatus;
import dev.salvo.io.EndpointStats;

/**
 * The {@link TransportStats} of one transport: the endpoint's I/O counters plus the I/O thread's own,
 * written by the I/O thread only with ordered stores ({@code handlerExceptions} too: handlers run there).
 */
public final class TransportCounters implements TransportStats
{
    private static final DropReason[] DROP_REASONS = DropReason.values();
    private static final HandshakeStatus[] HANDSHAKE_STATUSES = HandshakeStatus.values();

    private final EndpointStats endpointStats;
    private final AtomicLongArray drops = new AtomicLongArray(DROP_REASONS.length);
    private final AtomicLongArray handshakeRejections = new AtomicLongArray(HANDSHAKE_STATUSES.length);
    private final AtomicLongArray misc = new AtomicLongArray(3);
    private static final int HANDLER_EXCEPTIONS = 0;
    private static final int HANDSHAKES_COMPLETED = 1;
    private static final int OPEN_CONNECTIONS = 2;

    TransportCounters(final EndpointStats endpointStats)
    {
        this.endpointStats = endpointStats;
    }

    void onDrop(final DropReason reason)
    {
        final int index = reason.ordinal();
        drops.lazySet(index, drops.get(index) + 1);
    }

    void onHandshakeRejected(final HandshakeStatus status)
    {
        final int index = status.ordinal();
        handshakeRejections.lazySet(index, handshakeRejections.get(index) + 1);
        onDrop(DropReason.HANDSHAKE);
    }

    void onHandlerException()
    {
        misc.lazySet(HANDLER_EXCEPTIONS, misc.get(HANDLER_EXCEPTIONS) + 1);
    }

    void onHandshakeCompleted()
    {
        misc.lazySet(HANDSHAKES_COMPLETED, misc.get(HANDSHAKES_COMPLETED) + 1);
    }

    void openConnections(final long count)
    {
        misc.lazySet(OPEN_CONNECTIONS, count);
    }

    @Override
    public long datagramsSent()
    {
        return endpointStats.datagramsSent();
    }

    @Override
    public long sendSyscalls()
    {
        return endpointStats.sendSyscalls();
    }

    @Override
    public long datagramsReceived()
    {
        return endpointStats.datagramsReceived();
    }

    @Override
    public long receiveSyscalls()
    {
        return endpointStats.receiveSyscalls();
    }

    @Override
    public long gsoFallbacks()
    {
        return endpointStats.gsoFallbacks();
    }

    @Override
    public long drops(final DropReason reason)
    {
        return DropReason.TRUNCATED == reason ? endpointStats.truncated() : drops.get(reason.ordinal());
    }

    @Override
    public long totalDrops()
    {
        long sum = 0;
        for (final DropReason reason : DROP_REASONS)
        {
            sum += drops(reason);
        }
        return sum;
    }

    @Override
    public long handshakeRejections(final HandshakeStatus status)
    {
        return handshakeRejections.get(status.ordinal());
    }

    @Override
    public long handlerExceptions()
    {
        return misc.get(HANDLER_EXCEPTIONS);
    }

    @Override
    public long handshakesCompleted()
    {
        return misc.get(HANDSHAKES_COMPLETED);
    }

    @Override
    public long openConnections()
    {
        return misc.get(OPEN_CONNECTIONS);
    }

    @Override
    public long wakeupSignals()
    {
        return endpointStats.wakeupSignals();
    }

    @Override
    public long sendsTooLarge()
    {
        return endpointStats.sendsTooLarge();
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("TransportStats{datagrams sent/received=")
            .append(datagramsSent()).append('/').append(datagramsReceived())
            .append(", datagrams/send syscall=").append(String.format("%.2f", datagramsPerSendSyscall()))
            .append(", open=").append(openConnections()).append(", drops={");
        for (final DropReason reason : DROP_REASONS)
        {
            final long count = drops(reason);
            if (count > 0)
            {
                text.append(reason).append('=').append(count).append(' ');
            }
        }
        return text.append("}, handlerExceptions=").append(handlerExceptions()).append('}').toString();
    }
}
