/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.transport.message.BufferPool;
import dev.salvo.transport.pacing.Pacer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The I/O thread's send scheduling with several backlogged connections on one transport: deficit round
 * robin gives them equal bytes, and the transport-wide rate cap bounds their sum. Shares and bounds are
 * asserted, never speed; the measured window is bounded in time.
 */
class SendSchedulingTest
{
    private static final long WAIT = RecordingHandler.WAIT_SECONDS;
    private static final ConnectionHandler DISCARD = (connection, buffer, offset, length) ->
    {
    };

    /** Backlogged senders: one thread per connection sending messages of its own size until stopped. */
    private static final class Senders implements AutoCloseable
    {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        Senders(final List<Connection> connections, final int[] messageSizes)
        {
            for (int i = 0; i < connections.size(); i++)
            {
                final Connection connection = connections.get(i);
                final byte[] message = new byte[messageSizes[i]];
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        while (!stop.get() && connection.isOpen())
                        {
                            connection.send(message, 100, TimeUnit.MILLISECONDS);
                        }
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                    catch (final RuntimeException ex)
                    {
                        // closed under us at the end of the test
                    }
                }, "sender-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        @Override
        public void close()
        {
            stop.set(true);
            try
            {
                for (final Thread thread : threads)
                {
                    thread.join(TimeUnit.SECONDS.toMillis(WAIT));
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A core that always has a packet of its own fixed plaintext size to send (padding) and ignores what it
     * receives: an endlessly backlogged connection whose packet size the test chooses.
     */
    private static final class FixedSizeCore implements ConnectionCore
    {
        private final int plaintextSize;
        private final boolean sends;
        private long lastPacketNumber = -1;

        FixedSizeCore(final int plaintextSize, final boolean sends)
        {
            this.plaintextSize = plaintextSize;
            this.sends = sends;
        }

        public int offerMessage(
            final long messageId, final DirectBuffer buffer, final int offset, final int length,
            final long messageLength, final int flags, final long nowNs)
        {
            return OFFER_ACCEPTED;
        }

        public boolean hasDataToSend(final long nowNs)
        {
            return sends;
        }

        public int writePacket(
            final MutableDirectBuffer buffer, final int offset, final int maxLength, final long packetNumber, final long nowNs)
        {
            if (!sends)
            {
                return 0;
            }
            final int length = Math.min(plaintextSize, maxLength);
            buffer.setMemory(offset, length, (byte)0); // PADDING frames
            lastPacketNumber = packetNumber;
            return length;
        }

        public void onPacket(
            final DirectBuffer buffer, final int offset, final int length, final long packetNumber, final long nowNs)
        {
        }

        public void onDuplicatePacket(final long nowNs)
        {
        }

        public long largestAcknowledgedPacket()
        {
            return lastPacketNumber; // as if the peer acknowledged everything (keeps packet numbers short)
        }

        public long nextTimerDeadlineNs()
        {
            return Long.MAX_VALUE;
        }

        public void onTimer(final long nowNs)
        {
        }

        public void close(final boolean abort, final long nowNs)
        {
        }

        public void snapshotStats(final ConnectionCounters counters)
        {
        }
    }

    /** Gives the n-th core made the n-th size; responders' cores never send. */
    private static ConnectionCoreFactory fixedSizes(final int... plaintextSizes)
    {
        final AtomicInteger made = new AtomicInteger();
        return new ConnectionCoreFactory()
        {
            public ConnectionCore newCore(
                final TransportConfig config, final boolean initiator, final ConnectionCoreListener listener,
                final BufferPool pool, final long nowNs)
            {
                return initiator ?
                    new FixedSizeCore(plaintextSizes[made.getAndIncrement() % plaintextSizes.length], true) :
                    new FixedSizeCore(0, false);
            }

            public long maxMessageLength(final TransportConfig config)
            {
                return 0;
            }
        };
    }

    /** The fixture's config with a short close timeout: the backlog left at the end is not worth waiting for. */
    private static TransportConfig config(final StaticKeyPair identity)
    {
        return TransportFixture.config(identity).closeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200));
    }

    private static List<Connection> connect(
        final TransportFixture fixture, final Transport client, final int count) throws Exception
    {
        final StaticKeyPair serverKey = StaticKeyPair.generate();
        final Transport server = fixture.open(config(serverKey).acceptHandler((connection) -> DISCARD));
        final List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            connections.add(client.connect(server.localAddress(), serverKey.publicKey(), DISCARD).get(WAIT, TimeUnit.SECONDS));
        }
        return connections;
    }

    private static long[] bytesSent(final List<Connection> connections)
    {
        final long[] bytes = new long[connections.size()];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = connections.get(i).stats().bytesSent();
        }
        return bytes;
    }

    /**
     * Waits until every connection has sent at least {@code perConnection} bytes (each is backlogged and being
     * served), or the deadline passes.
     */
    private static void awaitEverySending(final List<Connection> connections, final long perConnection)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (System.nanoTime() - deadlineNs < 0)
        {
            boolean all = true;
            for (final long bytes : bytesSent(connections))
            {
                all &= bytes >= perConnection;
            }
            if (all)
            {
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
        throw new AssertionError("not every connection sent " + perConnection + " bytes within " + WAIT + " s");
    }

    /**
     * Waits until the connections together have sent {@code bytes} more than {@code from}, or {@code timeoutNs}
     * passes: the measured window is a volume of data, not a stretch of time.
     *
     * @return whether the volume was reached.
     */
    private static boolean awaitTotal(final List<Connection> connections, final long from, final long bytes, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (sum(bytesSent(connections)) - from < bytes)
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    private static long sum(final long[] values)
    {
        long total = 0;
        for (final long value : values)
        {
            total += value;
        }
        return total;
    }

    @Test
    void backloggedConnectionsGetEqualBytes() throws Exception
    {
        // The cap makes the sender's scheduler the bottleneck wherever the test runs, so the shares measure
        // the deficit round robin, not the machine.
        final long cap = 12_000_000;
        final int[] messageSizes = {1024 * 1024, 64 * 1024, 4 * 1024};
        try (TransportFixture fixture = new TransportFixture())
        {
            final Transport client = fixture.open(config(StaticKeyPair.generate()).rateLimitBytesPerSecond(cap));
            final List<Connection> connections = connect(fixture, client, messageSizes.length);
            try (Senders ignored = new Senders(connections, messageSizes))
            {
                awaitEverySending(connections, 256 * 1024);
                final long[] before = bytesSent(connections);
                // The measured window: two seconds' worth of the cap.
                assertTrue(awaitTotal(connections, sum(before), 2 * cap, TimeUnit.SECONDS.toNanos(WAIT)), "nothing sent");
                final long[] after = bytesSent(connections);
                final double[] shares = new double[before.length];
                final long total = sum(after) - sum(before);
                assertTrue(total > 0, "nothing sent");
                double squares = 0;
                for (int i = 0; i < shares.length; i++)
                {
                    shares[i] = (double)(after[i] - before[i]) / total;
                    squares += shares[i] * shares[i];
                }
                final double jain = 1.0 / (shares.length * squares);
                final String report = "shares " + java.util.Arrays.toString(shares) + ", Jain index " + jain;
                for (final double share : shares)
                {
                    assertEquals(1.0 / shares.length, share, 0.2 / shares.length, report);
                }
                assertTrue(jain >= 0.98, report);
            }
        }
    }

    @Test
    void deficitRoundRobinSharesBytesNotPackets() throws Exception
    {
        // Endlessly backlogged connections with 200-, 600- and 1100-byte packets and no cap: the I/O thread
        // itself is the bottleneck. Turns of equal packet counts would give them bytes in the ratio 1:3:5.5.
        final int[] plaintextSizes = {200, 600, 1100};
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Transport server = fixture.open(config(serverKey)
                .coreFactory(fixedSizes(0)).acceptHandler((connection) -> DISCARD));
            final Transport client = fixture.open(config(StaticKeyPair.generate())
                .coreFactory(fixedSizes(plaintextSizes)));
            final List<Connection> connections = new ArrayList<>();
            for (int i = 0; i < plaintextSizes.length; i++)
            {
                connections.add(client.connect(server.localAddress(), serverKey.publicKey(), DISCARD).get(WAIT, TimeUnit.SECONDS));
            }
            awaitEverySending(connections, 256 * 1024);
            final long[] bytesBefore = bytesSent(connections);
            final long[] packetsBefore = new long[connections.size()];
            for (int i = 0; i < packetsBefore.length; i++)
            {
                packetsBefore[i] = connections.get(i).stats().packetsSent();
            }
            // The measured window: 32 MiB sent in all (tens of thousands of turns).
            assertTrue(awaitTotal(connections, sum(bytesBefore), 32L << 20, TimeUnit.SECONDS.toNanos(WAIT)), "nothing sent");
            final long[] bytesAfter = bytesSent(connections);
            final long total = sum(bytesAfter) - sum(bytesBefore);
            assertTrue(total > 0, "nothing sent");
            final StringBuilder report = new StringBuilder();
            final double[] shares = new double[connections.size()];
            final long[] packets = new long[connections.size()];
            for (int i = 0; i < shares.length; i++)
            {
                shares[i] = (double)(bytesAfter[i] - bytesBefore[i]) / total;
                packets[i] = connections.get(i).stats().packetsSent() - packetsBefore[i];
                report.append(plaintextSizes[i]).append(" B packets: share ").append(shares[i])
                    .append(", packets ").append(packets[i]).append("; ");
            }
            for (final double share : shares)
            {
                assertEquals(1.0 / shares.length, share, 0.2 / shares.length, report.toString());
            }
            assertTrue(packets[0] > 3 * packets[2], "small packets really were smaller: " + report);
        }
    }

    @Test
    void rateCapBoundsTheSumOfConnections() throws Exception
    {
        final long cap = 8_000_000;
        final int datagram = 1200;
        try (TransportFixture fixture = new TransportFixture())
        {
            final Transport client = fixture.open(config(StaticKeyPair.generate())
                .rateLimitBytesPerSecond(cap).maxDatagramSize(datagram));
            final List<Connection> connections = connect(fixture, client, 2);
            try (Senders ignored = new Senders(connections, new int[]{1024 * 1024, 1024 * 1024}))
            {
                awaitEverySending(connections, 64 * 1024);
                final long startNs = System.nanoTime();
                final long before = sum(bytesSent(connections));
                // The measured window: 1.5 s worth of the cap; at 20% of the cap it would take 7.5 s.
                final long volume = cap * 3 / 2;
                final boolean reached = awaitTotal(connections, before, volume, TimeUnit.MILLISECONDS.toNanos(7_500));
                final long after = sum(bytesSent(connections));
                final long elapsedNs = System.nanoTime() - startNs;
                final long sent = after - before;
                assertTrue(reached, "the capped transport still sends (≥ 20% of the cap): " + sent + " bytes in " +
                    elapsedNs / 1_000_000 + " ms");
                final long burst = Pacer.burstBytes(Long.MAX_VALUE, cap, datagram);
                // Counters move once per sealed run (at most 64 packets), so allow one run beyond the burst.
                final double bound = cap * (elapsedNs / 1e9) + burst + 64 * datagram;
                assertTrue(sent <= bound, "sent " + sent + " bytes in " + elapsedNs / 1_000_000 + " ms, bound " + bound);
                assertTrue(sent >= 0.2 * cap * (elapsedNs / 1e9), "the capped transport still sends: " + sent);
            }
        }
    }
}
