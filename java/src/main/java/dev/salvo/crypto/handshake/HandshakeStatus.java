/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

/**
 * Outcome of feeding a handshake datagram to a responder or initiator. Every byte string yields
 * one of these; none throws.
 */
public enum HandshakeStatus
{
    /** Handshake complete: session secrets are available (responder: a response was written). */
    ACCEPTED(false),
    /** Responder under load: a cookie reply was written instead of doing any DH. */
    COOKIE_REPLY(false),
    /** Initiator: a cookie reply was accepted; the next initiation will carry MAC2. */
    COOKIE_STORED(false),
    /** Wrong length, type or non-zero reserved bytes. No crypto done. */
    MALFORMED(true),
    /** MAC1 did not verify. No DH done. */
    BAD_MAC1(true),
    /** Source address blocked after repeated authentication failures. No DH done. */
    ADDRESS_BLOCKED(true),
    /** Source address over its handshake rate. No DH done. */
    RATE_LIMITED(true),
    /** Noise decryption failed (wrong keys, tampering, degenerate DH). */
    AUTHENTICATION_FAILED(true),
    /** The initiator's static key was refused by the {@link PeerAuthorizer}. */
    PEER_REJECTED(true),
    /** The payload names a version or carries reserved bits this side does not accept. */
    UNSUPPORTED_VERSION(true),
    /** Initiation timestamp not newer than the last accepted one from the same peer. */
    REPLAYED(true),
    /** Initiator: the datagram answers no handshake this object is waiting for. */
    UNEXPECTED(true);

    private final boolean rejection;

    HandshakeStatus(final boolean rejection)
    {
        this.rejection = rejection;
    }

    /** @return true if the datagram was rejected and should be counted and dropped. */
    public boolean isRejection()
    {
        return rejection;
    }
}
