/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.salvo.CloseReason;
import dev.salvo.ConnectFailedException;
import dev.salvo.Connection;
import dev.salvo.DropReason;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.handshake.HandshakeStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two transports on loopback: handshake, accept policy, messages both ways on the reliable core, acknowledgements,
 * chunked sends, events and counters. Runs on the native endpoint (where the shim loads) and on NIO.
 */
class TransportTest
{
    private static final long WAIT = RecordingHandler.WAIT_SECONDS;

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void connectAcceptAndExchangeMessagesBothWays(final TransportFixture.Io io) throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final StaticKeyPair clientKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final RecordingHandler clientHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey)
                .allowPeers(clientKey.publicKey()).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(clientKey)));

            final Connection clientSide = client.connect(server.localAddress(), serverKey.publicKey(), clientHandler)
                .get(WAIT, TimeUnit.SECONDS);
            assertTrue(clientSide.isInitiator());
            assertArrayEquals(serverKey.publicKey(), clientSide.remoteStaticKey());
            assertEquals(clientSide, clientHandler.nextConnected());
            final Connection serverSide = serverHandler.nextConnected(); // confirmed by the client's first packet
            assertFalse(serverSide.isInitiator());
            assertArrayEquals(clientKey.publicKey(), serverSide.remoteStaticKey());

            final Random random = new Random(42);
            for (final int size : new int[]{0, 1, 1024})
            {
                final byte[] message = new byte[size];
                random.nextBytes(message);
                final long id = clientSide.send(message, WAIT, TimeUnit.SECONDS);
                assertTrue(id >= 0);
                assertArrayEquals(message, serverHandler.nextMessage(), "client -> server, " + size + " B");
                assertEquals(id, clientHandler.nextAcknowledged(), "acknowledged");

                final UnsafeBuffer direct = new UnsafeBuffer(new byte[size + 10]);
                direct.putBytes(5, message);
                assertTrue(serverSide.trySend(direct, 5, size) >= 0);
                assertArrayEquals(message, clientHandler.nextMessage(), "server -> client, " + size + " B");
            }

            assertTrue(serverHandler.threads.stream().allMatch((name) -> name.equals(server.ioThread().getName())),
                "handlers run on the I/O thread: " + serverHandler.threads);
            final CompletableFuture<Void> tracked = clientSide.sendTracked(new byte[]{7}, WAIT, TimeUnit.SECONDS);
            tracked.get(WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{7}, serverHandler.nextMessage());
            assertEquals(4, clientSide.stats().messagesSent());
            assertEquals(4, serverSide.stats().messagesReceived());
            assertTrue(clientSide.stats().packetsSent() >= 4);
            assertEquals(2, server.stats().handshakesCompleted() + client.stats().handshakesCompleted());
            // A handshake retry (100 ms here) on a loaded machine draws a second response, dropped by design.
            assertEquals(0, server.stats().totalDrops() + client.stats().totalDrops() -
                server.stats().drops(dev.salvo.DropReason.HANDSHAKE) - client.stats().drops(dev.salvo.DropReason.HANDSHAKE),
                () -> "drops: server " + dropReasons(server) + ", client " + dropReasons(client));
        }
    }

    private static String dropReasons(final Transport transport)
    {
        final StringBuilder reasons = new StringBuilder();
        for (final dev.salvo.DropReason reason : dev.salvo.DropReason.values())
        {
            if (transport.stats().drops(reason) > 0)
            {
                reasons.append(reason).append('=').append(transport.stats().drops(reason)).append(' ');
            }
        }
        return reasons.toString();
    }

    @Test
    void wrongPeerKeyFailsTheFutureCleanly() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final RecordingHandler handler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(StaticKeyPair.generate()).acceptHandler(handler));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(400)));

            final CompletableFuture<Connection> future =
                client.connect(server.localAddress(), StaticKeyPair.generate().publicKey(), handler);
            final ExecutionException failure = assertThrows(ExecutionException.class, () -> future.get(WAIT, TimeUnit.SECONDS));
            assertInstanceOf(ConnectFailedException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("initiations"), failure.getCause().getMessage());
            assertTrue(server.stats().handshakeRejections(HandshakeStatus.BAD_MAC1) >= 2, "retried with backoff");
            assertEquals(0, server.stats().openConnections());
        }
    }

    @Test
    void allowListRejectsOtherPeers() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler handler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey)
                .allowPeers(StaticKeyPair.generate().publicKey()).acceptHandler(handler));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300)));

            final CompletableFuture<Connection> future = client.connect(server.localAddress(), serverKey.publicKey(), handler);
            final ExecutionException failure = assertThrows(ExecutionException.class, () -> future.get(WAIT, TimeUnit.SECONDS));
            assertInstanceOf(ConnectFailedException.class, failure.getCause());
            assertTrue(server.stats().handshakeRejections(HandshakeStatus.PEER_REJECTED) >= 1);
            assertTrue(handler.connected.isEmpty());
        }
    }

    @Test
    void acceptHandlerMayRefuseAConfirmedConnection() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler((connection) -> null));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            assertEquals(CloseReason.PEER_ABORT, clientHandler.nextClosed(), "the refusal reaches the initiator");
            assertEquals(CloseReason.PEER_ABORT, connection.closeFuture().get(WAIT, TimeUnit.SECONDS));
            assertEquals(Connection.CLOSED, connection.trySend(new byte[1]));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void closeDeliversWhatWasSentAndAbortIsImmediate(final TransportFixture.Io io) throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())));

            final RecordingHandler first = new RecordingHandler();
            final Connection graceful = client.connect(server.localAddress(), serverKey.publicKey(), first)
                .get(WAIT, TimeUnit.SECONDS);
            serverHandler.nextConnected();
            for (int i = 0; i < 20; i++)
            {
                assertTrue(graceful.send(new byte[]{(byte)i}, WAIT, TimeUnit.SECONDS) >= 0);
            }
            graceful.close();
            assertFalse(graceful.isOpen());
            assertEquals(Connection.CLOSED, graceful.trySend(new byte[1]));
            for (int i = 0; i < 20; i++)
            {
                assertArrayEquals(new byte[]{(byte)i}, serverHandler.nextMessage(), "delivered before the close");
            }
            assertEquals(CloseReason.PEER_CLOSE, serverHandler.nextClosed());
            assertEquals(CloseReason.LOCAL_CLOSE, first.nextClosed());
            assertEquals(CloseReason.LOCAL_CLOSE, graceful.closeFuture().get(WAIT, TimeUnit.SECONDS));

            final RecordingHandler second = new RecordingHandler();
            final Connection aborted = client.connect(server.localAddress(), serverKey.publicKey(), second)
                .get(WAIT, TimeUnit.SECONDS);
            serverHandler.nextConnected();
            aborted.abort();
            assertEquals(CloseReason.LOCAL_ABORT, second.nextClosed());
            assertEquals(CloseReason.PEER_ABORT, serverHandler.nextClosed());
            assertEquals(0, client.stats().openConnections());
        }
    }

    @Test
    void vanishedPeerIsReportedByTheIdleTimeout() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
                .keepAliveIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), clientHandler)
                .get(WAIT, TimeUnit.SECONDS);
            serverHandler.nextConnected();

            // The server's socket disappears without a word (as if its host died).
            TransportAccess.engine(server).endpoint().close();
            assertEquals(CloseReason.IDLE_TIMEOUT, clientHandler.nextClosed());
            assertEquals(CloseReason.IDLE_TIMEOUT, connection.closeFuture().get(WAIT, TimeUnit.SECONDS));
            assertEquals(0, client.stats().openConnections());
        }
    }

    @Test
    void messagesLargerThanARingRecordAreSentInChunks() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()).sendRingCapacity(1024)
                .maxMessageLength(64 * 1024));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler())
                .get(WAIT, TimeUnit.SECONDS);

            assertEquals(1024 / 8 - SendRecordDescriptor.DATA_OFFSET, connection.maxTrySendLength());
            assertEquals(64 * 1024, connection.maxMessageLength());
            final byte[] large = new byte[(int)connection.maxMessageLength()];
            new Random(7).nextBytes(large);
            assertThrows(IllegalArgumentException.class, () -> connection.trySend(large));
            assertThrows(IllegalArgumentException.class, () -> connection.send(new byte[large.length + 1], 1, TimeUnit.SECONDS));
            final byte[] small = {1, 2, 3};
            for (int i = 0; i < 5; i++)
            {
                assertTrue(connection.send(large, WAIT, TimeUnit.SECONDS) >= 0);
                assertTrue(connection.send(small, WAIT, TimeUnit.SECONDS) >= 0);
            }
            int larges = 0;
            int smalls = 0;
            for (int i = 0; i < 10; i++)
            {
                final byte[] received = serverHandler.nextMessage();
                if (Arrays.equals(large, received))
                {
                    larges++;
                }
                else
                {
                    assertArrayEquals(small, received);
                    smalls++;
                }
            }
            assertEquals(5, larges);
            assertEquals(5, smalls);
        }
    }

    @Test
    void handlerExceptionsAreCountedAndDoNotStopTheIoThread() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler recorder = new RecordingHandler();
            final RecordingHandler throwing = new RecordingHandler()
            {
                @Override
                public void onMessage(
                    final Connection connection, final org.agrona.DirectBuffer buffer, final int offset, final int length)
                {
                    if (1 == length && 13 == buffer.getByte(offset))
                    {
                        throw new IllegalStateException("handler bug (expected by the test)");
                    }
                    recorder.onMessage(connection, buffer, offset, length);
                }
            };
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(throwing));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler())
                .get(WAIT, TimeUnit.SECONDS);
            connection.send(new byte[]{13}, WAIT, TimeUnit.SECONDS);
            connection.send(new byte[]{14}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{14}, recorder.nextMessage());
            assertEquals(1, server.stats().handlerExceptions());
            assertTrue(server.ioThread().isAlive());
            assertTrue(connection.isOpen());
        }
    }

    @Test
    void transportCloseClosesConnectionsAndFailsPendingConnects() throws Exception
    {
        final StaticKeyPair serverKey = StaticKeyPair.generate();
        try (TransportFixture fixture = new TransportFixture())
        {
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), clientHandler)
                .get(WAIT, TimeUnit.SECONDS);
            serverHandler.nextConnected();
            final CompletableFuture<Connection> pending =
                client.connect(new java.net.InetSocketAddress(server.localAddress().getAddress(), 9), // nobody there
                    serverKey.publicKey(), clientHandler);

            client.close();
            assertEquals(CloseReason.TRANSPORT_CLOSED, connection.closeFuture().get(WAIT, TimeUnit.SECONDS));
            assertEquals(CloseReason.PEER_CLOSE, serverHandler.nextClosed());
            final ExecutionException failure = assertThrows(ExecutionException.class, () -> pending.get(WAIT, TimeUnit.SECONDS));
            assertInstanceOf(ConnectFailedException.class, failure.getCause());
            assertFalse(client.ioThread().isAlive());
            assertThrows(ExecutionException.class, () -> client.connect(server.localAddress(), serverKey.publicKey(),
                clientHandler).get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void badArgumentsAreRejected() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final Transport transport = fixture.open(TransportFixture.config(StaticKeyPair.generate()));
            assertThrows(IllegalArgumentException.class,
                () -> transport.connect(transport.localAddress(), new byte[31], new RecordingHandler()));
            assertThrows(IllegalArgumentException.class, () -> new TransportConfig(TransportFixture.loopback(),
                StaticKeyPair.generate()).sendRingCapacity(3000));
            assertThrows(IllegalArgumentException.class, () -> new TransportConfig(TransportFixture.loopback(),
                StaticKeyPair.generate()).allowPeers(new byte[5]));
            final Set<DropReason> none = new HashSet<>();
            for (final DropReason reason : DropReason.values())
            {
                if (0 == transport.stats().drops(reason))
                {
                    none.add(reason);
                }
            }
            assertEquals(DropReason.values().length, none.size());
        }
    }
}
