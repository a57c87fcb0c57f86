/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import dev.salvo.Connection;
import dev.salvo.DropReason;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.handshake.HandshakeDescriptor;
import dev.salvo.crypto.handshake.HandshakeInitiator;
import dev.salvo.crypto.handshake.HandshakeSettings;
import dev.salvo.crypto.handshake.HandshakeStatus;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An idle transport sleeps in the kernel and still wakes for a message; hostile datagrams are dropped and
 * counted by reason without harming a live connection.
 */
class IdleAndHostileTest
{
    private static final long WAIT = RecordingHandler.WAIT_SECONDS;

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void idleTransportParksInTheKernelAndWakesForAMessage(final TransportFixture.Io io) throws Exception
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported(), "thread CPU time not supported by this JVM");
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())));
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler()).get(WAIT, TimeUnit.SECONDS);
            connection.send(new byte[]{1}, WAIT, TimeUnit.SECONDS);
            serverHandler.nextMessage();

            // A measurement window (not synchronisation): both I/O threads have nothing to do for 500 ms.
            final long serverCpu = threads.getThreadCpuTime(server.ioThread().getId());
            final long clientCpu = threads.getThreadCpuTime(client.ioThread().getId());
            final long wallStart = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            final long wall = System.nanoTime() - wallStart;
            final long serverUsed = threads.getThreadCpuTime(server.ioThread().getId()) - serverCpu;
            final long clientUsed = threads.getThreadCpuTime(client.ioThread().getId()) - clientCpu;
            // A spinning thread would use about 100% of the window; parked ones use next to nothing.
            assertTrue(serverUsed < wall / 10, "server I/O thread used " + serverUsed + " ns CPU in " + wall + " ns");
            assertTrue(clientUsed < wall / 10, "client I/O thread used " + clientUsed + " ns CPU in " + wall + " ns");

            // The parked I/O thread is woken by the application's send (eventfd / Selector.wakeup).
            final long signalsBefore = client.stats().wakeupSignals();
            connection.send(new byte[]{2}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{2}, serverHandler.nextMessage());
            assertTrue(client.stats().wakeupSignals() > signalsBefore, "the send woke the parked thread");
        }
    }

    @Test
    void busySpinIdleStrategyAlsoDelivers() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler)
                .idleStrategy(TransportConfig.IdleStrategy.SPIN));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .idleStrategy(TransportConfig.IdleStrategy.SPIN));
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler()).get(WAIT, TimeUnit.SECONDS);
            connection.send(new byte[]{3}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{3}, serverHandler.nextMessage());
            assertEquals(0, client.stats().wakeupSignals(), "a spinning thread never parks, so never needs a signal");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void hostileDatagramsAreDroppedAndCountedWithoutHarmingALiveConnection(final TransportFixture.Io io) throws Exception
    {
        try (TransportFixture fixture = new TransportFixture();
            DatagramChannel attacker = DatagramChannel.open())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            final ConnectionImpl serverSide = (ConnectionImpl)serverHandler.nextConnected();
            attacker.bind(TransportFixture.loopback());
            final InetSocketAddress target = server.localAddress();
            final Random random = new Random(20260101);

            // 1. Random garbage: every datagram is exactly one counted drop.
            long before = server.stats().totalDrops();
            for (int i = 0; i < 200; i++)
            {
                final byte[] garbage = new byte[random.nextInt(300)];
                random.nextBytes(garbage);
                attacker.send(ByteBuffer.wrap(garbage), target);
            }
            awaitCount(() -> server.stats().totalDrops(), before + 200);

            // 2. Valid-looking data packet headers with session ids nobody owns.
            before = server.stats().drops(DropReason.UNKNOWN_SESSION);
            for (int i = 0; i < 50; i++)
            {
                final ByteBuffer packet = ByteBuffer.allocate(60);
                packet.put((byte)0x43).putInt(serverSide.localSessionId ^ (i + 1)).putInt(i);
                attacker.send(packet.clear(), target);
            }
            awaitCount(() -> server.stats().drops(DropReason.UNKNOWN_SESSION), before + 50);

            // 3. The live session's id with forged contents: authentication fails, the session is unharmed.
            before = server.stats().drops(DropReason.AUTHENTICATION);
            for (int i = 0; i < 20; i++)
            {
                final byte[] packet = new byte[80];
                random.nextBytes(packet);
                ByteBuffer.wrap(packet).put((byte)0x40).putInt(serverSide.localSessionId).put((byte)(100 + i));
                attacker.send(ByteBuffer.wrap(packet), target);
            }
            awaitCount(() -> server.stats().drops(DropReason.AUTHENTICATION), before + 20);
            assertEquals(20, serverSide.stats().packetsRejected());

            // 4. A replayed handshake initiation: the first is answered, the copy is refused as a replay.
            final HandshakeInitiator stranger = new HandshakeInitiator(StaticKeyPair.generate(), new HandshakeSettings(),
                SystemNanoClock.INSTANCE, new SystemEpochNanoClock(), new SecureRandom());
            final UnsafeBuffer initiation = new UnsafeBuffer(new byte[HandshakeDescriptor.INITIATION_LENGTH]);
            stranger.newHandshake(serverKey.publicKey(), 77, 0).writeInitiation(initiation, 0);
            attacker.send(ByteBuffer.wrap(initiation.byteArray()), target);
            attacker.send(ByteBuffer.wrap(initiation.byteArray()), target);
            awaitCount(() -> server.stats().handshakeRejections(HandshakeStatus.REPLAYED), 1);

            // The live connection carries on both ways.
            connection.send(new byte[]{9, 9}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{9, 9}, serverHandler.nextMessage());
            serverSide.send(new byte[]{8}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{8}, clientHandler.nextMessage());
            assertTrue(connection.isOpen() && serverSide.isOpen());
            assertTrue(server.ioThread().isAlive());
            assertEquals(0, server.stats().drops(DropReason.INTERNAL_ERROR));
        }
    }

    private static void awaitCount(final LongSupplier counter, final long expected)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (counter.getAsLong() < expected)
        {
            assertTrue(System.nanoTime() < deadline, "counter stuck at " + counter.getAsLong() + ", expected " + expected);
            Thread.yield();
        }
        assertEquals(expected, counter.getAsLong());
    }
}
