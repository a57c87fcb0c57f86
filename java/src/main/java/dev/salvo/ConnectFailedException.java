/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import java.io.IOException;

/**
 * A {@link Transport#connect} did not produce a connection: no valid handshake response within the
 * connect timeout (peer down or unreachable, wrong peer key, or the peer refused this side — a refusing
 * responder sends nothing, so these look alike by design), or the transport closed first.
 */
public final class ConnectFailedException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened.
     */
    public ConnectFailedException(final String message)
    {
        super(message);
    }
}
