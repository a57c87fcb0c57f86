/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.Transport;
import dev.salvo.crypto.StaticKeyPair;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A close frame lost on the way: the side that closed answers the peer's next packets with the close frame
 * again (closing state), so the peer learns {@link CloseReason#PEER_CLOSE} at once instead of waiting for
 * its idle timeout. The loss is made by a relay on loopback between the two transports that drops the
 * server's datagrams while told to.
 */
class LostCloseTest
{
    private static final long WAIT_SECONDS = 10;

    @Test
    void peerLearnsOfALostCloseFromTheRepeatedCloseFrame() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture();
            Relay relay = new Relay())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey).acceptHandler(serverHandler)
                .idleTimeoutNs(TimeUnit.SECONDS.toNanos(120)));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate())
                .idleTimeoutNs(TimeUnit.SECONDS.toNanos(120)));
            relay.start((InetSocketAddress)server.localAddress());

            final RecordingHandler clientHandler = new RecordingHandler();
            final Connection clientSide = client.connect(relay.address(), serverKey.publicKey(), clientHandler)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            clientSide.send(new byte[]{1}, WAIT_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(new byte[]{1}, serverHandler.nextMessage());
            final Connection serverSide = serverHandler.nextConnected();

            relay.dropFromServer(true);
            final int droppedBefore = relay.dropped();
            serverSide.close();
            assertEquals(CloseReason.LOCAL_CLOSE, serverSide.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(relay.awaitDropped(droppedBefore + 1), "the server's close frame went to the relay and was dropped");
            relay.dropFromServer(false);

            // The client does not know yet; its next packet draws the close frame again.
            assertTrue(clientSide.trySend(new byte[]{2}) >= 0);
            assertEquals(CloseReason.PEER_CLOSE, clientSide.closeFuture().get(WAIT_SECONDS, TimeUnit.SECONDS),
                "without the repeated close frame the client would only find out after its 120 s idle timeout");
        }
    }

    /** Forwards datagrams between one client and the server on loopback; can drop the server's datagrams. */
    private static final class Relay implements AutoCloseable
    {
        private final DatagramChannel clientFacing;
        private final DatagramChannel serverFacing;
        private final Selector selector;
        private final AtomicInteger dropped = new AtomicInteger();
        private volatile boolean dropFromServer;
        private volatile boolean running = true;
        private Thread thread;
        private InetSocketAddress server;
        private SocketAddress client;

        Relay() throws IOException
        {
            clientFacing = DatagramChannel.open().bind(TransportFixture.loopback());
            serverFacing = DatagramChannel.open().bind(TransportFixture.loopback());
            selector = Selector.open();
        }

        InetSocketAddress address() throws IOException
        {
            return (InetSocketAddress)clientFacing.getLocalAddress();
        }

        void start(final InetSocketAddress server) throws IOException
        {
            this.server = server;
            clientFacing.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            serverFacing.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            thread = new Thread(this::run, "relay");
            thread.setDaemon(true);
            thread.start();
        }

        void dropFromServer(final boolean drop)
        {
            dropFromServer = drop;
        }

        int dropped()
        {
            return dropped.get();
        }

        /** Waits (bounded) until at least {@code count} datagrams were dropped; the relay notifies each drop. */
        synchronized boolean awaitDropped(final int count) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (dropped.get() < count)
            {
                final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0)
                {
                    return false;
                }
                wait(remainingMs);
            }
            return true;
        }

        private synchronized void onDropped()
        {
            dropped.incrementAndGet();
            notifyAll();
        }

        private void run()
        {
            final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
            try
            {
                while (running)
                {
                    selector.select(100); // bounded: the loop rechecks 'running' at least ten times a second
                    selector.selectedKeys().clear();
                    SocketAddress from;
                    while (null != (from = clientFacing.receive(buffer.clear())))
                    {
                        client = from;
                        serverFacing.send(buffer.flip(), server);
                    }
                    while (null != serverFacing.receive(buffer.clear()))
                    {
                        if (dropFromServer || null == client)
                        {
                            onDropped();
                        }
                        else
                        {
                            clientFacing.send(buffer.flip(), client);
                        }
                    }
                }
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    throw new IllegalStateException(ex);
                }
            }
        }

        @Override
        public void close() throws Exception
        {
            running = false;
            selector.wakeup();
            if (null != thread)
            {
                thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            }
            selector.close();
            clientFacing.close();
            serverFacing.close();
        }
    }
}
