/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;

import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.io.SendBatch;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reliable core end to end over real sockets on loopback (native endpoint where the shim loads, and
 * NIO): every message size arrives whole, exactly once, intact; no head-of-line blocking between messages
 * unless ordered; back-pressure instead of drops; a vanished peer is reported and the sender's memory
 * released; authenticated nonsense is refused without harming the connection.
 */
class ReliableTransportTest
{
    private static final long WAIT = RecordingHandler.WAIT_SECONDS;
    private static final int[] SIZES = {0, 1, 1024, 1 << 20};

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void twoPeersExchangeEverySizeBothWaysExactlyOnce(final TransportFixture.Io io) throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final RecordingHandler clientHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())));
            final Connection clientSide =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            final Connection serverSide = serverHandler.nextConnected();

            final List<byte[]> toServer = messages(3, 1);
            final List<byte[]> toClient = messages(3, 2);
            final CompletableFuture<Void> clientSends = CompletableFuture.runAsync(() -> sendAll(clientSide, toServer));
            sendAll(serverSide, toClient);
            clientSends.get(WAIT, TimeUnit.SECONDS);

            assertEquals(census(toServer), census(receive(serverHandler, toServer.size())), "client -> server");
            assertEquals(census(toClient), census(receive(clientHandler, toClient.size())), "server -> client");
            for (int i = 0; i < toServer.size(); i++)
            {
                clientHandler.nextAcknowledged();
            }
            awaitTrue(() -> 0 == clientSide.stats().bytesInFlight() && 0 == clientSide.stats().bytesUnacknowledged(),
                "everything acknowledged releases the flight and the send buffers");
            assertEquals(toServer.size(), serverSide.stats().messagesReceived(), "exactly once");
            assertTrue(clientSide.stats().smoothedRttNs() > 0 && clientSide.stats().minRttNs() > 0);
            assertTrue(clientSide.stats().congestionWindow() > 0);
            assertTrue(serverHandler.messages.isEmpty() && clientHandler.messages.isEmpty(), "nothing twice");
        }
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void tenPeersExchangeEverySizeWithOneSocket(final TransportFixture.Io io) throws Exception
    {
        final int peers = 10;
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Map<Connection, RecordingHandler> serverHandlers = new HashMap<>();
            final RecordingHandler accepted = new RecordingHandler()
            {
                @Override
                public dev.salvo.ConnectionHandler onAccept(final Connection connection)
                {
                    final RecordingHandler handler = new RecordingHandler();
                    synchronized (serverHandlers)
                    {
                        serverHandlers.put(connection, handler);
                    }
                    connected.add(connection);
                    return handler;
                }
            };
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(accepted)));
            final List<Connection> clients = new ArrayList<>();
            final List<RecordingHandler> clientHandlers = new ArrayList<>();
            final List<byte[]> clientKeys = new ArrayList<>();
            for (int p = 0; p < peers; p++)
            {
                final StaticKeyPair clientKey = StaticKeyPair.generate();
                clientKeys.add(clientKey.publicKey());
                final Transport client = fixture.open(io.apply(TransportFixture.config(clientKey)));
                final RecordingHandler handler = new RecordingHandler();
                clientHandlers.add(handler);
                clients.add(client.connect(server.localAddress(), serverKey.publicKey(), handler).get(WAIT, TimeUnit.SECONDS));
            }
            final List<Connection> serverSides = new ArrayList<>();
            for (int p = 0; p < peers; p++)
            {
                serverSides.add(accepted.nextConnected());
            }

            final List<CompletableFuture<Void>> sends = new ArrayList<>();
            final List<List<byte[]>> sent = new ArrayList<>();
            for (int p = 0; p < peers; p++)
            {
                final List<byte[]> messages = messages(1, 100 + p);
                sent.add(messages);
                final Connection connection = clients.get(p);
                sends.add(CompletableFuture.runAsync(() -> sendAll(connection, messages)));
            }
            final List<byte[]> replies = messages(1, 7);
            for (final Connection serverSide : serverSides)
            {
                sendAll(serverSide, replies);
            }
            for (final CompletableFuture<Void> send : sends)
            {
                send.get(WAIT, TimeUnit.SECONDS);
            }
            for (final Connection serverSide : serverSides)
            {
                final RecordingHandler handler;
                synchronized (serverHandlers)
                {
                    handler = serverHandlers.get(serverSide);
                }
                int p = 0;
                while (!java.util.Arrays.equals(clientKeys.get(p), serverSide.remoteStaticKey()))
                {
                    p++;
                }
                assertEquals(census(sent.get(p)), census(receive(handler, SIZES.length)), "peer " + p + " -> server");
            }
            for (final RecordingHandler handler : clientHandlers)
            {
                assertEquals(census(replies), census(receive(handler, SIZES.length)), "server -> peer");
            }
            assertEquals(peers, server.stats().openConnections());
        }
    }

    @Test
    void sixtyFourMiBMessageArrivesIntact() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler)
                .maxDatagramSize(1472));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()).maxDatagramSize(1472));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            assertEquals(TransportConfig.MAX_MESSAGE_LENGTH_DEFAULT, connection.maxMessageLength());

            final byte[] message = new byte[TransportConfig.MAX_MESSAGE_LENGTH_DEFAULT];
            new Random(64).nextBytes(message);
            final long id = connection.send(message, WAIT, TimeUnit.SECONDS);
            final byte[] received = serverHandler.nextMessage();
            assertEquals(message.length, received.length);
            assertEquals(crc(message), crc(received));
            assertEquals(id, clientHandler.nextAcknowledged());
            assertTrue(serverHandler.messages.isEmpty());
        }
    }

    @Test
    void unorderedSmallMessageIsNotHeldBehindALargeOne() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            // Room for the large message and the small one at once (the limit counts every unacknowledged byte),
            // and a send ring whose records take the whole large message (64 MiB ring: 8 MiB records).
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .sendBufferLimit(64L << 20)
                .sendRingCapacity(64 << 20));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler())
                .get(WAIT, TimeUnit.SECONDS);

            // Hold the client's I/O thread while both messages are queued, so that both reach its core in one
            // cycle, large first: without this the large one may be fully sent before the small one is queued,
            // and the test would prove nothing (or fail on a fast machine).
            final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            TransportAccess.engine(client).execute(() ->
            {
                held.countDown();
                try
                {
                    release.await(WAIT, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(held.await(WAIT, TimeUnit.SECONDS), "the client's I/O thread is held");
            final byte[] large = new byte[4 << 20];
            new Random(16).nextBytes(large);
            try
            {
                assertTrue(connection.trySend(large) >= 0, "the large message fits one ring record");
                assertTrue(connection.trySend(new byte[]{42}) >= 0);
            }
            finally
            {
                release.countDown();
            }

            assertArrayEquals(new byte[]{42}, serverHandler.nextMessage(), "the small message comes first");
            assertArrayEquals(large, serverHandler.nextMessage(), "then the large one, intact");
        }
    }

    @Test
    void orderedModeDeliversInSendOrder() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()).ordered(true)
                .sendBufferLimit(64L << 20));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler())
                .get(WAIT, TimeUnit.SECONDS);

            final Random random = new Random(3);
            final int[] sizes = {4 << 20, 1, 0, 1024, 300_000, 1, 2 << 20, 5, 0, 70_000, 1, 1 << 20, 3};
            final List<byte[]> sent = new ArrayList<>();
            for (final int size : sizes)
            {
                final byte[] message = new byte[size];
                random.nextBytes(message);
                sent.add(message);
                assertTrue(connection.send(message, WAIT, TimeUnit.SECONDS) >= 0);
            }
            for (int i = 0; i < sent.size(); i++)
            {
                assertArrayEquals(sent.get(i), serverHandler.nextMessage(), "message " + i + " in send order");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void receiverThatStopsReadingBackPressuresTheSenderWithoutDropping(final TransportFixture.Io io) throws Exception
    {
        // "Stops reading": the receiving application's handler blocks, so its I/O thread neither delivers nor
        // acknowledges; the sender must fill its unacknowledged-bytes limit and its send ring, then refuse.
        // Sequenced by events, not timing: the receiver is held first, and every packet it sent before that
        // has reached the sender, so nothing can free room while the sender fills.
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final AtomicReference<Connection> serverSide = new AtomicReference<>();
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler()
            {
                @Override
                public ConnectionHandler onAccept(final Connection connection)
                {
                    serverSide.set(connection);
                    return this;
                }

                @Override
                public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
                {
                    super.onMessage(connection, buffer, offset, length);
                    blocked.countDown();
                    try
                    {
                        release.await(WAIT, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())
                .sendBufferLimit(256 * 1024).sendRingCapacity(64 * 1024)));
            final Connection connection = client.connect(server.localAddress(), serverKey.publicKey(), new RecordingHandler())
                .get(WAIT, TimeUnit.SECONDS);

            final UnsafeBuffer message = new UnsafeBuffer(new byte[1024]);
            message.putLong(0, 0);
            assertTrue(connection.trySend(message, 0, message.capacity()) >= 0);
            long accepted = 1;
            assertTrue(blocked.await(WAIT, TimeUnit.SECONDS), "the receiver's handler took the first message");
            final long serverSent = serverSide.get().stats().packetsSent();
            awaitTrue(() -> connection.stats().packetsReceived() + connection.stats().packetsRejected() >= serverSent,
                "every packet the receiver sent before it stopped reached the sender");

            long result = 0;
            boolean full = false;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            for (int attempt = 0; attempt < 100_000_000 && System.nanoTime() < deadline; attempt++)
            {
                message.putLong(0, accepted);
                result = connection.trySend(message, 0, message.capacity());
                if (Connection.BACK_PRESSURED == result)
                {
                    if (connection.stats().bytesUnacknowledged() > 255 * 1024)
                    {
                        full = true; // the core holds all it may (another 1 KiB would pass the limit) and the ring is full
                        break;
                    }
                    Thread.yield();
                    continue;
                }
                assertTrue(result >= 0);
                accepted++;
            }
            final long acceptedBeforeFull = accepted;
            assertTrue(full, () -> "the sender did not fill: accepted " + acceptedBeforeFull + ", sender " +
                connection.stats() + ", receiver " + serverSide.get().stats());
            final long unacknowledgedWhenFull = connection.stats().bytesUnacknowledged();
            final long secondResult = connection.send(message, 0, 1024, 100, TimeUnit.MILLISECONDS);
            assertEquals(Connection.BACK_PRESSURED, secondResult, () -> "send times out: accepted " + acceptedBeforeFull +
                ", unacknowledged when full " + unacknowledgedWhenFull + ", sender " + connection.stats() +
                ", receiver " + serverSide.get().stats());
            assertTrue(connection.isOpen());
            final long limitBytes = connection.stats().bytesUnacknowledged();
            assertTrue(limitBytes <= 256 * 1024, "the core holds at most the limit: " + limitBytes);

            release.countDown();
            final boolean[] seen = new boolean[(int)accepted];
            for (long i = 0; i < accepted; i++)
            {
                final byte[] received = serverHandler.nextMessage();
                final int index = (int)new UnsafeBuffer(received).getLong(0);
                assertFalse(seen[index], "message " + index + " twice");
                seen[index] = true;
            }
            assertTrue(serverHandler.messages.isEmpty(), "nothing extra");
            awaitTrue(() -> 0 == connection.stats().bytesUnacknowledged(), "all acknowledged after the receiver resumed");
            assertTrue(connection.trySend(message, 0, 1024) >= 0, "room again");
        }
        finally
        {
            release.countDown();
        }
    }

    @Test
    void peerKilledMidTransferIsReportedAndTheSenderReleasesItsMemory() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(600))
                .keepAliveIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)));
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            final Connection serverSide = serverHandler.nextConnected();

            // 64 MiB (the largest message), sent from another thread so that the kill follows the first 100
            // packets at once instead of waiting for the blocking send to hand over every chunk (by then a fast
            // machine has delivered most of it).
            final java.util.concurrent.CompletableFuture<Long> sending = java.util.concurrent.CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return connection.send(new byte[64 << 20], WAIT, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    throw new java.util.concurrent.CompletionException(ex);
                }
            });
            awaitTrue(() -> serverSide.stats().packetsReceived() >= 100, "the transfer is under way");
            TransportAccess.engine(server).endpoint().close(); // the peer's host dies: no close frame, nothing
            assertTrue(serverHandler.messages.isEmpty(), "killed mid-transfer");
            final long sendResult = sending.get(WAIT, TimeUnit.SECONDS);
            assertTrue(sendResult >= 0 || Connection.CLOSED == sendResult, "handed over, or refused once closed");

            assertEquals(CloseReason.IDLE_TIMEOUT, clientHandler.nextClosed());
            assertEquals(CloseReason.IDLE_TIMEOUT, connection.closeFuture().get(WAIT, TimeUnit.SECONDS));
            assertTrue(clientHandler.acknowledged.isEmpty(), "the message was never acknowledged");
            assertEquals(0, connection.stats().bytesInFlight(), "flight released");
            assertEquals(0, connection.stats().bytesUnacknowledged(), "send buffers released");
            assertEquals(0, client.stats().openConnections());
            assertEquals(Connection.CLOSED, connection.trySend(new byte[1]));
        }
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void authenticatedNonsenseIsRefusedWithoutHarmingTheConnection(final TransportFixture.Io io) throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final RecordingHandler clientHandler = new RecordingHandler();
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())));
            final ConnectionImpl connection = (ConnectionImpl)
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);
            final Connection serverSide = serverHandler.nextConnected();
            connection.send(new byte[]{1}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{1}, serverHandler.nextMessage());

            // Sealed with the client's real keys, so they authenticate; the frames inside are nonsense.
            final UnsafeBuffer frames = new UnsafeBuffer(new byte[256]);
            frames.putByte(0, (byte)FrameType.PING);
            frames.putByte(1, (byte)0x3F); // no such frame type
            injectFromIoThread(client, connection, frames, 2);
            final int ack = FrameWriter.putAck(frames, 0, 100, new long[]{1_000_000}, new long[]{0}, 1, 0);
            injectFromIoThread(client, connection, frames, ack); // acknowledges packets the server never sent
            int p = FrameWriter.putMessageHeader(frames, 0, FrameType.MESSAGE_FLAG_MULTI, 1, 10, 100, 0);
            p += 150; // a fragment running past its own message's end
            injectFromIoThread(client, connection, frames, p);
            // Flow-control frames: credit for a message the server never sent, bytes beyond an unadmitted
            // message's initial limit. (Frames that are ignored rather than refused are covered in
            // FlowControlTest: an accepted injected packet would be acknowledged with a packet number the
            // client's core never sent.)
            p = FrameWriter.putMaxMessageData(frames, 0, 999, 1L << 40);
            injectFromIoThread(client, connection, frames, p);
            p = FrameWriter.putMessageHeader(frames, 0, FrameType.MESSAGE_FLAG_MULTI, 2, 70_000, 100_000, 0);
            injectFromIoThread(client, connection, frames, p + 100);
            awaitTrue(() -> serverSide.stats().packetsRejected() >= 5, "refused and counted");

            // The connection carries on both ways, and nothing of the refused packets was delivered.
            connection.send(new byte[]{2}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{2}, serverHandler.nextMessage());
            serverSide.send(new byte[]{3}, WAIT, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{3}, clientHandler.nextMessage());
            assertTrue(connection.isOpen() && serverSide.isOpen());
            assertEquals(5, serverSide.stats().packetsRejected());

            // A message announced at 4 GiB: refused before any allocation, and the connection ends with an error
            // both sides can see.
            p = FrameWriter.putMessageHeader(frames, 0, FrameType.MESSAGE_FLAG_MULTI, 1000, 0, 4L << 30, 0);
            p += 100;
            injectFromIoThread(client, connection, frames, p);
            assertEquals(CloseReason.PROTOCOL_ERROR, serverHandler.nextClosed());
            assertEquals(CloseReason.PROTOCOL_ERROR, clientHandler.nextClosed(), "the peer said why (MESSAGE_TOO_LARGE)");
            assertTrue(serverHandler.messages.isEmpty());
            assertTrue(server.ioThread().isAlive());
        }
    }

    @Test
    void anUnconfirmedInboundSessionHoldsNoSendRingOrCore() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture();
            java.nio.channels.DatagramChannel stranger = java.nio.channels.DatagramChannel.open())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(new RecordingHandler()));
            stranger.bind(TransportFixture.loopback());
            // A valid initiation from a peer that then never sends a data packet (a handshake flood's pattern).
            final dev.salvo.crypto.handshake.HandshakeInitiator initiator = new dev.salvo.crypto.handshake.HandshakeInitiator(
                StaticKeyPair.generate(), new dev.salvo.crypto.handshake.HandshakeSettings(),
                org.agrona.concurrent.SystemNanoClock.INSTANCE, new org.agrona.concurrent.SystemEpochNanoClock(),
                new java.security.SecureRandom());
            final UnsafeBuffer initiation = new UnsafeBuffer(new byte[dev.salvo.crypto.handshake.HandshakeDescriptor.INITIATION_LENGTH]);
            initiator.newHandshake(serverKey.publicKey(), 5, 0).writeInitiation(initiation, 0);
            stranger.send(java.nio.ByteBuffer.wrap(initiation.byteArray()), server.localAddress());
            awaitTrue(() -> 1 == server.stats().openConnections(), "the responder session exists");

            final TransportEngine engine = TransportAccess.engine(server);
            final CompletableFuture<String> state = new CompletableFuture<>();
            engine.execute(() ->
            {
                final ConnectionImpl connection = engine.connections().get(0);
                state.complete(connection.confirmed + "/" + (null != connection.core) + "/" + connection.isRingEmpty());
            });
            assertEquals("false/false/true", state.get(WAIT, TimeUnit.SECONDS), "confirmed/core/ring empty");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Seals {@code length} plaintext bytes as the next packet of the connection and sends it, on its I/O thread. */
    private static void injectFromIoThread(
        final Transport transport, final ConnectionImpl connection, final UnsafeBuffer plaintext, final int length)
        throws Exception
    {
        final byte[] copy = new byte[length];
        plaintext.getBytes(0, copy);
        final TransportEngine engine = TransportAccess.engine(transport);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        engine.execute(() ->
        {
            try
            {
                final SendBatch batch = new SendBatch(1, 2048);
                final int header = connection.sealer.headerLength(1);
                batch.buffer().putBytes(header, copy);
                final int packetLength = connection.sealer.seal(batch.byteBuffer(), 0, header, copy.length);
                assertTrue(packetLength > 0);
                batch.add(connection.peer, packetLength);
                engine.endpoint().send(batch);
                done.complete(null);
            }
            catch (final IOException ex)
            {
                done.completeExceptionally(new UncheckedIOException(ex));
            }
            catch (final RuntimeException | AssertionError ex)
            {
                done.completeExceptionally(ex);
            }
        });
        done.get(WAIT, TimeUnit.SECONDS);
    }

    private static List<byte[]> messages(final int copiesOfEachSize, final long seed)
    {
        final Random random = new Random(seed);
        final List<byte[]> messages = new ArrayList<>();
        for (int copy = 0; copy < copiesOfEachSize; copy++)
        {
            for (final int size : SIZES)
            {
                final byte[] message = new byte[size];
                random.nextBytes(message);
                messages.add(message);
            }
        }
        return messages;
    }

    private static void sendAll(final Connection connection, final List<byte[]> messages)
    {
        try
        {
            for (final byte[] message : messages)
            {
                assertTrue(connection.send(message, WAIT, TimeUnit.SECONDS) >= 0, "sent");
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static List<byte[]> receive(final RecordingHandler handler, final int count) throws InterruptedException
    {
        final List<byte[]> received = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            received.add(handler.nextMessage());
        }
        return received;
    }

    /** @return how many times each (length, CRC-32) occurs: equal censuses mean each message exactly once. */
    private static Map<String, Integer> census(final List<byte[]> messages)
    {
        final Map<String, Integer> census = new HashMap<>();
        for (final byte[] message : messages)
        {
            census.merge(message.length + "/" + crc(message), 1, Integer::sum);
        }
        return census;
    }

    private static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "not within " + WAIT + " s: " + what);
            Thread.yield();
        }
    }
}
