/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

/**
 * Why the I/O thread dropped a received datagram ({@link TransportStats#drops(DropReason)}). Drops never
 * affect other traffic.
 */
public enum DropReason
{
    /** Byte 0 names no datagram type, or the datagram is too short for its type. */
    MALFORMED,
    /** A data packet whose receiver session id names no session (stale, forged or random). */
    UNKNOWN_SESSION,
    /** A data packet that failed AEAD authentication. */
    AUTHENTICATION,
    /** A data packet already received (replay window). */
    DUPLICATE,
    /** A data packet below the replay window. */
    TOO_OLD,
    /** A data packet of a key phase whose key is gone. */
    KEY_UNAVAILABLE,
    /** A handshake datagram the handshake rejected; {@link TransportStats#handshakeRejections} says why. */
    HANDSHAKE,
    /** A handshake response or cookie reply answering no pending connect. */
    UNEXPECTED_HANDSHAKE,
    /** The kernel truncated the datagram (it did not fit the receive slot). */
    TRUNCATED,
    /** Processing the datagram threw; counted and skipped. */
    INTERNAL_ERROR
}
