/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import org.agrona.DirectBuffer;

/**
 * Receives one connection's messages and events. Every method runs on the transport's I/O thread
 * (docs/ARCHITECTURE.md, "Thread model"): it must return quickly and must not block, or every connection
 * of the transport stalls. Hand heavy work to another thread (copying the message first).
 *
 * <p>Exceptions thrown by a handler are caught, counted in {@link TransportStats#handlerExceptions()} and
 * logged (the first one per transport at WARNING, later ones at DEBUG); the connection and the I/O thread
 * carry on. Only {@link VirtualMachineError}s propagate.
 */
public interface ConnectionHandler
{
    /**
     * A whole message arrived. The view is zero-copy and valid only during this call: copy what must be kept.
     *
     * @param connection the connection it arrived on.
     * @param buffer     holds the message.
     * @param offset     index of its first byte.
     * @param length     its length (0 or more).
     */
    void onMessage(Connection connection, DirectBuffer buffer, int offset, int length);

    /**
     * The peer acknowledged a message this side sent: it will be delivered (reliable cores) and its
     * memory is released.
     *
     * @param connection the connection.
     * @param messageId  the id {@code trySend}/{@code send} returned.
     */
    default void onAcknowledged(final Connection connection, final long messageId)
    {
    }

    /**
     * The connection is established (initiator: the handshake completed; responder: the initiator's first
     * data packet authenticated the session). Called before any {@link #onMessage}.
     *
     * @param connection the connection.
     */
    default void onConnected(final Connection connection)
    {
    }

    /**
     * The connection ended. Called once; no other method is called afterwards.
     *
     * @param connection the connection.
     * @param reason     why.
     */
    default void onClosed(final Connection connection, final CloseReason reason)
    {
    }
}
