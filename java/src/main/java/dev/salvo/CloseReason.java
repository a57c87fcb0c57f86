/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

/**
 * Why a {@link Connection} ended; delivered once through {@link ConnectionHandler#onClosed} and
 * {@link Connection#closeFuture()}.
 */
public enum CloseReason
{
    /** This side called {@link Connection#close()} and everything sent was delivered. */
    LOCAL_CLOSE,
    /** This side called {@link Connection#abort()}: unsent and unacknowledged messages were dropped. */
    LOCAL_ABORT,
    /** The peer closed the connection. */
    PEER_CLOSE,
    /** The peer aborted the connection. */
    PEER_ABORT,
    /** Nothing was heard from the peer for the idle timeout: it is unreachable or gone. */
    IDLE_TIMEOUT,
    /** The {@link Transport} was closed. */
    TRANSPORT_CLOSED,
    /** The {@link AcceptHandler} refused the inbound connection. */
    REJECTED,
    /** The peer broke the protocol (undecodable frames, acknowledgements of packets never sent, ...). */
    PROTOCOL_ERROR,
    /** The session's keys or packet numbers are used up; a new connection is needed. */
    SESSION_EXHAUSTED,
    /** An internal error; see the transport's log. */
    INTERNAL_ERROR
}
