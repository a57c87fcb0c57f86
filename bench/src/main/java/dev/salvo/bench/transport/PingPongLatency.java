/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * E2: round-trip latency of 64-byte messages between two transports on loopback. An application thread sends a
 * ping carrying its sequence number with {@code trySend}, the other transport's handler echoes it with
 * {@code trySend} from its I/O thread, and the first transport's handler hands the reply back to the application
 * thread, which records send-to-reply time in an HdrHistogram; one ping at a time.
 *
 * <p>Variants: the I/O threads' idle strategy ({@code park}: sleep in the kernel; {@code spin}: busy-poll), and
 * batching {@code on} (defaults) or {@code off} (every send system call carries one datagram and every receive
 * call has one slot: {@code sendBatchDatagrams=1, receiveBatchSlots=1, connectionBurst=1}). How the application
 * thread waits for the reply ({@code --wait}): {@code park} (the handler unparks it) or {@code spin}; spinning
 * needs a core of its own besides the I/O threads' (three with the spin idle strategy).
 */
final class PingPongLatency
{
    static final int MESSAGE_SIZE = 64;
    private static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    private volatile long lastReply = -1;
    private volatile Thread waiter;

    private PingPongLatency()
    {
    }

    static void run(
        final TransportConfig.IdleStrategy idle, final boolean batching, final boolean spinWait, final int warmupCount,
        final int count, final double seconds) throws Exception
    {
        new PingPongLatency().measure(idle, batching, spinWait, warmupCount, count, seconds);
    }

    private static TransportConfig config(
        final StaticKeyPair key, final TransportConfig.IdleStrategy idle, final boolean batching) throws Exception
    {
        final TransportConfig config = new TransportConfig(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), key)
            .idleStrategy(idle);
        return batching ? config : config.sendBatchDatagrams(1).receiveBatchSlots(1).connectionBurst(1);
    }

    private void measure(
        final TransportConfig.IdleStrategy idle, final boolean batching, final boolean spinWait, final int warmupCount,
        final int count, final double seconds) throws Exception
    {
        final StaticKeyPair serverKey = StaticKeyPair.generate();
        final ConnectionHandler echo = (connection, buffer, offset, length) -> connection.trySend(buffer, offset, length);
        final ConnectionHandler replies = new ConnectionHandler()
        {
            @Override
            public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
            {
                lastReply = buffer.getLong(offset);
                final Thread thread = waiter;
                if (null != thread)
                {
                    LockSupport.unpark(thread);
                }
            }
        };
        try (Transport server = Transport.open(config(serverKey, idle, batching).threadName("e2-echo-io")
                .acceptHandler(connection -> echo));
            Transport client = Transport.open(config(StaticKeyPair.generate(), idle, batching).threadName("e2-ping-io")))
        {
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), replies)
                .get(10, TimeUnit.SECONDS);
            if (!spinWait)
            {
                waiter = Thread.currentThread();
            }
            final UnsafeBuffer ping = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_SIZE));
            final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            long sequence = 0;
            long timeouts = 0;
            long firstTimeout = -1;
            for (int i = 0; i < warmupCount; i++)
            {
                if (pingOnce(connection, ping, sequence++, spinWait) < 0)
                {
                    firstTimeout = 0 == timeouts++ ? sequence - 1 : firstTimeout;
                }
            }
            final long datagrams0 = client.stats().datagramsSent();
            final long syscalls0 = client.stats().sendSyscalls();
            final long deadline = System.nanoTime() + (long)(seconds * 1e9);
            final long start = System.nanoTime();
            long measured = 0;
            long measuredTimeouts = 0;
            for (; measured < count && System.nanoTime() - deadline < 0; measured++)
            {
                final long rtt = pingOnce(connection, ping, sequence++, spinWait);
                if (rtt < 0)
                {
                    firstTimeout = 0 == timeouts + measuredTimeouts++ ? sequence - 1 : firstTimeout;
                }
                else
                {
                    histogram.recordValue(rtt);
                }
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;
            final long syscalls = client.stats().sendSyscalls() - syscalls0;
            TransportBench.result("e2", "idle=" + idle.name().toLowerCase(), "batching=" + (batching ? "on" : "off"),
                "wait=" + (spinWait ? "spin" : "park"), "capabilities=" + TransportBench.describe(client.capabilities()),
                "seconds=" + TransportBench.format(elapsed), "count=" + histogram.getTotalCount(),
                "timeouts=" + (timeouts + measuredTimeouts), "warmup_timeouts=" + timeouts,
                "first_timeout_seq=" + firstTimeout,
                "p50_us=" + micros(histogram.getValueAtPercentile(50)),
                "p99_us=" + micros(histogram.getValueAtPercentile(99)),
                "p999_us=" + micros(histogram.getValueAtPercentile(99.9)),
                "max_us=" + micros(histogram.getMaxValue()),
                "mean_us=" + TransportBench.format(histogram.getMean() / 1000),
                "datagrams_per_syscall=" + TransportBench.format(
                    0 == syscalls ? 0 : (double)(client.stats().datagramsSent() - datagrams0) / syscalls));
            connection.close();
        }
    }

    /** @return the round-trip time in nanoseconds, or -1 if no reply came within a second. */
    private long pingOnce(final Connection connection, final UnsafeBuffer ping, final long sequence, final boolean spinWait)
    {
        ping.putLong(0, sequence);
        final long start = System.nanoTime();
        final long deadline = start + REPLY_TIMEOUT_NS;
        while (connection.trySend(ping, 0, MESSAGE_SIZE) < 0)
        {
            if (!connection.isOpen() || System.nanoTime() - deadline >= 0)
            {
                throw new IllegalStateException("cannot send a ping: " + connection.closeFuture().getNow(null));
            }
            Thread.onSpinWait();
        }
        while (lastReply < sequence)
        {
            if (spinWait)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(this, REPLY_TIMEOUT_NS);
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return -1;
            }
        }
        return System.nanoTime() - start;
    }

    private static String micros(final long nanos)
    {
        return TransportBench.format(nanos / 1000.0);
    }
}
