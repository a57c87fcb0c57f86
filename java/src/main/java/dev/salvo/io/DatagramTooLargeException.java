/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;

/**
 * The kernel refused to send a datagram because it is larger than the route's MTU or the path MTU it learnt from
 * ICMP (EMSGSIZE; the sockets set don't-fragment, {@code IP_PMTUDISC_DO}). Thrown by
 * {@link DatagramEndpoint#send(SendBatch)} with the batch's position at the refused entry (a datagram or a whole
 * GSO train), which the caller skips ({@link SendBatch#skipEntry()}); nothing of that entry left. It is a path MTU
 * signal, not a socket failure: the socket is fine and smaller datagrams go. Counted in
 * {@link EndpointStats#sendsTooLarge()}.
 */
public final class DatagramTooLargeException extends IOException
{
    private static final long serialVersionUID = 1L;

    /** @param message what failed. */
    public DatagramTooLargeException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   the exception the JDK threw.
     */
    public DatagramTooLargeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
