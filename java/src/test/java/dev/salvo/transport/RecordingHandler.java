/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.salvo.AcceptHandler;
import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import org.agrona.DirectBuffer;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Test handler: copies every message (the view is valid only during the call) and records events, with
 * bounded waits for them.
 */
class RecordingHandler implements ConnectionHandler, AcceptHandler
{
    static final long WAIT_SECONDS = 10;

    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> acknowledged = new LinkedBlockingQueue<>();
    final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();

    @Override
    public ConnectionHandler onAccept(final Connection connection)
    {
        return this;
    }

    @Override
    public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        threads.add(Thread.currentThread().getName());
        messages.add(copy);
    }

    @Override
    public void onAcknowledged(final Connection connection, final long messageId)
    {
        acknowledged.add(messageId);
    }

    @Override
    public void onConnected(final Connection connection)
    {
        connected.add(connection);
    }

    @Override
    public void onClosed(final Connection connection, final CloseReason reason)
    {
        closed.add(reason);
    }

    byte[] nextMessage() throws InterruptedException
    {
        final byte[] message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(message, "no message within " + WAIT_SECONDS + " s");
        return message;
    }

    Connection nextConnected() throws InterruptedException
    {
        final Connection connection = connected.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(connection, "no connection within " + WAIT_SECONDS + " s");
        return connection;
    }

    CloseReason nextClosed() throws InterruptedException
    {
        final CloseReason reason = closed.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(reason, "no close event within " + WAIT_SECONDS + " s");
        return reason;
    }

    long nextAcknowledged() throws InterruptedException
    {
        final Long id = acknowledged.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(id, "no acknowledgement within " + WAIT_SECONDS + " s");
        return id;
    }
}
