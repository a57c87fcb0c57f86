/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.ConnectionStats;
import dev.salvo.DropReason;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.TransportStats;
import dev.salvo.crypto.StaticKeyPair;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * E1: bulk throughput of one connection on loopback. Two transports in this process; an application thread sends
 * messages (1 MiB by default, capped at the connection's maximum) with the blocking {@code send} as fast as the
 * connection takes them; the receiving transport's handler counts the bytes of whole messages delivered. Reported as
 * MiB/s of message bytes delivered per run, with the sender's datagrams per send system call and loss counters.
 */
final class BulkThroughput
{
    private BulkThroughput()
    {
    }

    static void run(
        final boolean nativeIo, final int datagram, final int messageSize, final double warmup, final double seconds,
        final int runs) throws Exception
    {
        final StaticKeyPair serverKey = StaticKeyPair.generate();
        final InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong messages = new AtomicLong();
        final Connection[] receiving = new Connection[1];
        final ConnectionHandler counter = new ConnectionHandler()
        {
            @Override
            public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
            {
                receiving[0] = connection;
                delivered.lazySet(delivered.get() + length);
                messages.lazySet(messages.get() + 1);
            }
        };
        final ConnectionHandler ignore = (connection, buffer, offset, length) -> { };
        try (Transport server = Transport.open(datagramSize(new TransportConfig(loopback, serverKey), datagram)
                .nativeIo(nativeIo).threadName("e1-receiver-io")
                .acceptHandler(connection -> counter));
            Transport client = Transport.open(datagramSize(new TransportConfig(loopback, StaticKeyPair.generate()), datagram)
                .nativeIo(nativeIo).threadName("e1-sender-io")))
        {
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), ignore)
                .get(10, TimeUnit.SECONDS);
            final int size = (int)Math.min(messageSize, connection.maxMessageLength());
            final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            for (int i = 0; i < size; i += 8)
            {
                message.putLong(Math.min(i, size - 8), i * 0x9E3779B97F4A7C15L);
            }
            final Sender sender = new Sender(connection, message, size);
            final Thread sendThread = new Thread(sender, "e1-application");
            sendThread.start();
            TransportBench.waitFor(warmup);
            final ConnectionStats stats = connection.stats();
            final TransportStats clientStats = client.stats();
            for (int run = 0; run < runs && null == sender.failure; run++)
            {
                final long bytes0 = delivered.get();
                final long messages0 = messages.get();
                final long datagrams0 = clientStats.datagramsSent();
                final long syscalls0 = clientStats.sendSyscalls();
                final long lost0 = stats.packetsLost();
                final long rxDatagrams0 = server.stats().datagramsReceived();
                final long rxSyscalls0 = server.stats().receiveSyscalls();
                final long rxDrops0 = server.stats().totalDrops();
                final long retransmitted0 = stats.packetsRetransmitted();
                final long start = System.nanoTime();
                TransportBench.waitFor(seconds);
                final double elapsed = (System.nanoTime() - start) / 1e9;
                final long bytes = delivered.get() - bytes0;
                final long datagrams = clientStats.datagramsSent() - datagrams0;
                final long syscalls = clientStats.sendSyscalls() - syscalls0;
                TransportBench.result("e1", "io=" + (nativeIo ? "native" : "nio"), "datagram=" + datagram, "run=" + run,
                    "message=" + size, "capabilities=" + TransportBench.describe(client.capabilities()),
                    "seconds=" + TransportBench.format(elapsed), "messages=" + (messages.get() - messages0),
                    "bytes=" + bytes, "mibps=" + TransportBench.format(bytes / elapsed / (1 << 20)),
                    "datagrams=" + datagrams,
                    "datagrams_per_syscall=" + TransportBench.format(0 == syscalls ? 0 : (double)datagrams / syscalls),
                    "lost=" + (stats.packetsLost() - lost0), "retransmitted=" + (stats.packetsRetransmitted() - retransmitted0),
                    "srtt_us=" + stats.smoothedRttNs() / 1000, "cwnd=" + stats.congestionWindow(),
                    "rx_datagrams=" + (server.stats().datagramsReceived() - rxDatagrams0),
                    "rx_syscalls=" + (server.stats().receiveSyscalls() - rxSyscalls0),
                    "rx_drops=" + (server.stats().totalDrops() - rxDrops0),
                    "rx_rejected=" + (null == receiving[0] ? 0 : receiving[0].stats().packetsRejected()),
                    "in_flight=" + stats.bytesInFlight(), "rx_drop_reasons=" + dropReasons(server.stats()),
                    "path_mtu=" + stats.pathMtu());
            }
            sender.running = false;
            sendThread.join(TimeUnit.SECONDS.toMillis(5));
            if (null != sender.failure)
            {
                throw new IllegalStateException("sender failed", sender.failure);
            }
            connection.abort();
        }
    }

    /**
     * A fixed datagram size (both bounds of path MTU discovery, so exactly that size is sent), or for 0 the default:
     * path MTU discovery up to the interface MTU (loopback: 8972).
     */
    private static TransportConfig datagramSize(final TransportConfig config, final int datagram)
    {
        return 0 == datagram ? config.maxDatagramSize(TransportConfig.MAX_DATAGRAM_SIZE_AUTO) :
            config.minDatagramSize(datagram).maxDatagramSize(datagram);
    }

    private static String dropReasons(final TransportStats stats)
    {
        final StringBuilder reasons = new StringBuilder();
        for (final DropReason reason : DropReason.values())
        {
            if (stats.drops(reason) > 0)
            {
                reasons.append(reasons.length() > 0 ? "," : "").append(reason).append(':').append(stats.drops(reason));
            }
        }
        return reasons.length() > 0 ? reasons.toString() : "none";
    }

    /** The application thread: blocking sends until told to stop. */
    private static final class Sender implements Runnable
    {
        private final Connection connection;
        private final UnsafeBuffer message;
        private final int size;
        volatile boolean running = true;
        volatile Throwable failure;

        Sender(final Connection connection, final UnsafeBuffer message, final int size)
        {
            this.connection = connection;
            this.message = message;
            this.size = size;
        }

        @Override
        public void run()
        {
            try
            {
                while (running)
                {
                    final long id = connection.send(message, 0, size, 100, TimeUnit.MILLISECONDS);
                    if (Connection.CLOSED == id)
                    {
                        throw new IllegalStateException("connection closed: " + connection.closeFuture().getNow(null));
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }
    }
}
