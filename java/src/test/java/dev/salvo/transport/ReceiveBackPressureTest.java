/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.AcceptHandler;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import dev.salvo.io.EndpointConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver that is paused or slow holds the sender back through flow control, on real sockets on
 * loopback: the sender's {@code trySend} reports back-pressure, nothing is dropped (neither by Salvo nor,
 * where {@code /proc/net/udp} is readable, by the kernel), the receiver's memory stays within its window,
 * and everything arrives once the receiver catches up. Each case runs with the socket buffers the endpoint
 * requests (64 MiB, forced where privileged) and with those of an unprivileged process on a default Linux
 * host (the kernel's caps kept, 212,992 bytes requested), whatever this machine's privileges and caps.
 */
class ReceiveBackPressureTest
{
    private static final int WINDOW = 4 << 20;
    private static final int MAX_MESSAGE = 1 << 20;

    /** The socket buffers a case runs with. */
    enum Buffers
    {
        /** What the endpoint requests by default (SO_RCVBUFFORCE where privileged). */
        REQUESTED,
        /** A default Linux host's net.core.rmem_max/wmem_max, unforced: what most unprivileged users get. */
        DEFAULT_HOST;

        /** The default rmem_max and wmem_max of Linux. */
        static final int DEFAULT_HOST_BUFFER = 212_992;

        TransportConfig apply(final TransportConfig config)
        {
            if (DEFAULT_HOST == this)
            {
                config.endpointConfig(new EndpointConfig(config.bindAddress()).socketBufferForce(false)
                    .receiveBufferSize(DEFAULT_HOST_BUFFER).sendBufferSize(DEFAULT_HOST_BUFFER));
            }
            return config;
        }
    }

    static List<Arguments> ioAndBuffers()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final TransportFixture.Io io : TransportFixture.Io.values())
        {
            for (final Buffers buffers : Buffers.values())
            {
                cases.add(Arguments.of(io, buffers));
            }
        }
        return cases;
    }

    /** Counts and checksums messages; pauses the connection as soon as it is accepted if asked to. */
    static final class CountingHandler implements ConnectionHandler, AcceptHandler
    {
        final boolean pauseOnAccept;
        final long slowNanosPerMessage;
        final AtomicLong messages = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong checksum = new AtomicLong();
        final LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
        private final CRC32 crc = new CRC32();

        CountingHandler(final boolean pauseOnAccept, final long slowNanosPerMessage)
        {
            this.pauseOnAccept = pauseOnAccept;
            this.slowNanosPerMessage = slowNanosPerMessage;
        }

        @Override
        public ConnectionHandler onAccept(final Connection connection)
        {
            if (pauseOnAccept)
            {
                connection.pauseReceiving(); // before the first message can be delivered
            }
            accepted.add(connection);
            return this;
        }

        @Override
        public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
        {
            crc.reset();
            for (int i = 0; i < length; i++)
            {
                crc.update(buffer.getByte(offset + i));
            }
            checksum.addAndGet(crc.getValue());
            bytes.addAndGet(length);
            messages.incrementAndGet();
            if (slowNanosPerMessage > 0)
            {
                // A slow application: the I/O thread is held up, so nothing is read from the socket meanwhile.
                final long until = System.nanoTime() + slowNanosPerMessage;
                while (System.nanoTime() < until)
                {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
            }
        }
    }

    private static byte[] message(final int index)
    {
        final int length = switch (index % 4)
        {
            case 0 -> 100;
            case 1 -> 4_000;
            case 2 -> 60_000;
            default -> 200_000;
        };
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 7 + index);
        }
        return bytes;
    }

    private static long crcOf(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /**
     * @return the kernel's drop counter of the UDP socket bound to {@code port} on loopback, -1 if not readable.
     */
    static long kernelDrops(final int port)
    {
        final String portHex = String.format(":%04X", port);
        long drops = -1;
        for (final String table : List.of("/proc/net/udp", "/proc/net/udp6"))
        {
            try
            {
                for (final String line : Files.readAllLines(Path.of(table)))
                {
                    final String[] fields = line.trim().split("\\s+");
                    if (fields.length >= 13 && fields[1].endsWith(portHex))
                    {
                        drops = Math.max(0, drops) + Long.parseLong(fields[fields.length - 1]);
                    }
                }
            }
            catch (final Exception ignored)
            {
                // not Linux, or not readable: the kernel check is skipped
            }
        }
        return drops;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ioAndBuffers")
    void aPausedReceiverHoldsTheSenderBackWithoutDrops(final TransportFixture.Io io, final Buffers buffers) throws Exception
    {
        final CountingHandler serverHandler = new CountingHandler(true, 0);
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Transport server = fixture.open(buffers.apply(io.apply(TransportFixture.config(serverKey)
                .acceptHandler(serverHandler).receiveWindow(WINDOW).maxMessageLength(MAX_MESSAGE))));
            final Transport client = fixture.open(buffers.apply(io.apply(TransportFixture.config(StaticKeyPair.generate())
                .maxMessageLength(MAX_MESSAGE))));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new CountingHandler(false, 0))
                .get(RecordingHandler.WAIT_SECONDS, TimeUnit.SECONDS);
            final Connection serverSide = serverHandler.accepted.poll(RecordingHandler.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(serverSide);
            assertTrue(serverSide.isReceivingPaused());

            // Offer far more than the receiver may hold; the sender must end up back-pressured.
            final int total = 2_000;
            long expectedChecksum = 0;
            long accepted = 0;
            long acceptedBytes = 0;
            int consecutiveRefusals = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (accepted < total && consecutiveRefusals < 500 && System.nanoTime() < deadline)
            {
                final byte[] m = message((int)accepted);
                if (connection.trySend(new UnsafeBuffer(m), 0, m.length) >= 0)
                {
                    expectedChecksum += crcOf(m);
                    accepted++;
                    acceptedBytes += m.length;
                    consecutiveRefusals = 0;
                }
                else
                {
                    consecutiveRefusals++;
                    LockSupport.parkNanos(1_000_000);
                }
            }
            assertTrue(accepted < total, "the sender was held back (accepted " + accepted + " of " + total + ")");
            assertEquals(500, consecutiveRefusals, "trySend kept reporting back-pressure");
            assertEquals(0, serverHandler.messages.get(), "nothing delivered while paused");
            // What the application could hand over is bounded by the receiver's window, the sender's
            // unacknowledged-bytes limit and its send ring, not by how much it tried to send.
            final long bound = WINDOW + dev.salvo.TransportConfig.SEND_BUFFER_LIMIT_DEFAULT + dev.salvo.TransportConfig.SEND_RING_CAPACITY_DEFAULT;
            assertTrue(acceptedBytes <= bound, "accepted " + acceptedBytes + " ≤ " + bound);
            assertTrue(serverSide.stats().bytesReceived() <= 2L * WINDOW,
                "the receiver took in about its window: " + serverSide.stats().bytesReceived());

            serverSide.resumeReceiving();
            assertFalse(serverSide.isReceivingPaused());
            while (accepted < total && System.nanoTime() < deadline)
            {
                final byte[] m = message((int)accepted);
                final long id = connection.send(new UnsafeBuffer(m), 0, m.length, 1, TimeUnit.SECONDS);
                if (id >= 0)
                {
                    expectedChecksum += crcOf(m);
                    accepted++;
                }
            }
            assertEquals(total, accepted, "everything was sent once the receiver resumed");
            while (serverHandler.messages.get() < total && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(1_000_000);
            }
            assertEquals(total, serverHandler.messages.get(), "everything arrived");
            assertEquals(expectedChecksum, serverHandler.checksum.get(), "intact");
            assertEquals(0, server.stats().totalDrops(), "no datagram dropped by the receiver");
            final long kernelDrops = kernelDrops(server.localAddress().getPort());
            assertTrue(kernelDrops <= 0, "no datagram dropped by the kernel: " + kernelDrops);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("ioAndBuffers")
    void aSlowReceiverHoldsTheSenderBackWithoutSocketDrops(final TransportFixture.Io io, final Buffers buffers) throws Exception
    {
        // The handler takes 2 ms per message on the I/O thread: the socket is not read meanwhile. The credit
        // the receiver keeps outstanding (its share of SO_RCVBUF) is all the sender may put on the wire. (With
        // receiveCreditLimit(-1), i.e. only the 64 MiB window, the kernel dropped thousands of datagrams here.)
        final CountingHandler serverHandler = new CountingHandler(false, 2_000_000);
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Transport server = fixture.open(buffers.apply(io.apply(TransportFixture.config(serverKey)
                .acceptHandler(serverHandler).maxMessageLength(MAX_MESSAGE)))); // default 64 MiB window
            final Transport client = fixture.open(buffers.apply(io.apply(TransportFixture.config(StaticKeyPair.generate())
                .maxMessageLength(MAX_MESSAGE))));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new CountingHandler(false, 0))
                .get(RecordingHandler.WAIT_SECONDS, TimeUnit.SECONDS);
            final int total = 400;
            long expectedChecksum = 0;
            long refusals = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < total && System.nanoTime() < deadline; )
            {
                final byte[] m = message(i);
                if (connection.trySend(new UnsafeBuffer(m), 0, m.length) >= 0)
                {
                    expectedChecksum += crcOf(m);
                    i++;
                }
                else
                {
                    refusals++;
                    LockSupport.parkNanos(200_000);
                }
            }
            while (serverHandler.messages.get() < total && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(1_000_000);
            }
            assertEquals(total, serverHandler.messages.get(), "everything arrived");
            assertEquals(expectedChecksum, serverHandler.checksum.get(), "intact");
            assertTrue(refusals > 0, "the slow receiver pushed back on the sender");
            assertEquals(0, server.stats().totalDrops(), "no datagram dropped by the receiver");
            final long kernelDrops = kernelDrops(server.localAddress().getPort());
            assertTrue(kernelDrops <= 0, "no datagram dropped by the kernel: " + kernelDrops);
        }
    }

    /**
     * Several connections share one default-sized receive buffer (each gets the 64 KiB floor of credit) behind a
     * handler that takes 1 ms per message on the I/O thread: none deadlocks and everything arrives intact. The
     * floors together exceed what such a buffer holds, so losses are allowed here (repaired by retransmission);
     * they are printed, not asserted.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(TransportFixture.Io.class)
    void manyConnectionsShareADefaultSizedBufferWithoutDeadlock(final TransportFixture.Io io) throws Exception
    {
        final CountingHandler serverHandler = new CountingHandler(false, 1_000_000);
        final int clients = 6;
        final int perClient = 40;
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Transport server = fixture.open(Buffers.DEFAULT_HOST.apply(io.apply(TransportFixture.config(serverKey)
                .acceptHandler(serverHandler).maxMessageLength(MAX_MESSAGE))));
            final List<Connection> connections = new ArrayList<>();
            for (int c = 0; c < clients; c++)
            {
                final Transport client = fixture.open(Buffers.DEFAULT_HOST.apply(io.apply(
                    TransportFixture.config(StaticKeyPair.generate()).maxMessageLength(MAX_MESSAGE))));
                connections.add(client.connect(server.localAddress(), serverKey.publicKey(), new CountingHandler(false, 0))
                    .get(RecordingHandler.WAIT_SECONDS, TimeUnit.SECONDS));
            }
            long expectedChecksum = 0;
            final int[] next = new int[clients];
            int sent = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sent < clients * perClient && System.nanoTime() < deadline)
            {
                boolean progress = false;
                for (int c = 0; c < clients; c++)
                {
                    if (next[c] < perClient)
                    {
                        final byte[] m = message(next[c] * clients + c);
                        if (connections.get(c).trySend(new UnsafeBuffer(m), 0, m.length) >= 0)
                        {
                            expectedChecksum += crcOf(m);
                            next[c]++;
                            sent++;
                            progress = true;
                        }
                    }
                }
                if (!progress)
                {
                    LockSupport.parkNanos(200_000);
                }
            }
            assertEquals(clients * perClient, sent, "every connection could send everything");
            while (serverHandler.messages.get() < sent && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(1_000_000);
            }
            assertEquals(sent, serverHandler.messages.get(), "everything arrived on every connection");
            assertEquals(expectedChecksum, serverHandler.checksum.get(), "intact");
            System.out.println("manyConnectionsShareADefaultSizedBufferWithoutDeadlock " + io + ": kernel drops " +
                kernelDrops(server.localAddress().getPort()));
        }
    }
}
