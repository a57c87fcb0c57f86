/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.salvo.Connection;
import dev.salvo.Transport;
import dev.salvo.crypto.StaticKeyPair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many connections on one socket, and many application threads on one connection.
 */
class ManyConnectionsTest
{
    private static final long WAIT = RecordingHandler.WAIT_SECONDS;

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void tenPeersToOneTransport(final TransportFixture.Io io) throws Exception
    {
        final int peers = 10;
        final int messagesPerPeer = 20;
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final List<Connection> connections = new ArrayList<>();
            final List<RecordingHandler> clientHandlers = new ArrayList<>();
            for (int p = 0; p < peers; p++)
            {
                final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())));
                final RecordingHandler handler = new RecordingHandler();
                clientHandlers.add(handler);
                connections.add(client.connect(server.localAddress(), serverKey.publicKey(), handler).get(WAIT, TimeUnit.SECONDS));
            }
            for (int i = 0; i < messagesPerPeer; i++)
            {
                for (int p = 0; p < peers; p++)
                {
                    final ByteBuffer message = ByteBuffer.allocate(8).putInt(p).putInt(i).flip();
                    assertTrue(connections.get(p).send(message, WAIT, TimeUnit.SECONDS) >= 0);
                    assertEquals(0, message.position(), "send leaves the position alone");
                }
            }
            final Map<Integer, Set<Integer>> received = new HashMap<>();
            for (int n = 0; n < peers * messagesPerPeer; n++)
            {
                final ByteBuffer message = ByteBuffer.wrap(serverHandler.nextMessage());
                assertTrue(received.computeIfAbsent(message.getInt(), (k) -> new HashSet<>()).add(message.getInt()));
            }
            assertEquals(peers, received.size());
            received.values().forEach((set) -> assertEquals(messagesPerPeer, set.size()));

            // The server answers every peer over the same socket.
            for (int p = 0; p < peers; p++)
            {
                final Connection serverSide = serverHandler.nextConnected();
                assertTrue(serverSide.trySend(new byte[]{42}) >= 0);
            }
            for (final RecordingHandler handler : clientHandlers)
            {
                assertEquals(42, handler.nextMessage()[0]);
            }
            assertEquals(peers, server.stats().openConnections());
        }
    }

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void concurrentApplicationSendersOnOneConnection(final TransportFixture.Io io) throws Exception
    {
        final int threads = 4;
        final int perThread = 300;
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(io.apply(TransportFixture.config(serverKey).acceptHandler(serverHandler)));
            final Transport client = fixture.open(io.apply(TransportFixture.config(StaticKeyPair.generate())
                .sendRingCapacity(4096))); // small ring: senders meet back-pressure
            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection connection =
                client.connect(server.localAddress(), serverKey.publicKey(), clientHandler).get(WAIT, TimeUnit.SECONDS);

            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Set<Long> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            final List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                final Thread sender = new Thread(() ->
                {
                    try
                    {
                        final byte[] message = new byte[64];
                        for (int i = 0; i < perThread; i++)
                        {
                            ByteBuffer.wrap(message).putInt(thread).putInt(i);
                            final long id = connection.send(message, WAIT, TimeUnit.SECONDS);
                            assertTrue(id >= 0, "sent: " + id);
                            assertTrue(ids.add(id), "ids are unique");
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                });
                senders.add(sender);
                sender.start();
            }
            final Map<Integer, Set<Integer>> received = new HashMap<>();
            for (int n = 0; n < threads * perThread; n++)
            {
                final byte[] next;
                try
                {
                    next = serverHandler.nextMessage();
                }
                catch (final AssertionError ex)
                {
                    throw new AssertionError("after " + n + " messages: server " + server.stats() + ", client " +
                        client.stats() + ", connection " + connection.stats() + ", server closed: " + serverHandler.closed, ex);
                }
                final ByteBuffer message = ByteBuffer.wrap(next);
                assertTrue(received.computeIfAbsent(message.getInt(), (k) -> new HashSet<>()).add(message.getInt()),
                    "exactly once");
            }
            for (final Thread sender : senders)
            {
                sender.join(TimeUnit.SECONDS.toMillis(WAIT));
            }
            assertNull(failure.get());
            assertEquals(threads, received.size());
            received.values().forEach((set) -> assertEquals(perThread, set.size()));
            assertEquals(threads * perThread, ids.size());
            final long syscalls = client.stats().sendSyscalls();
            assertTrue(syscalls > 0);
        }
    }
}
