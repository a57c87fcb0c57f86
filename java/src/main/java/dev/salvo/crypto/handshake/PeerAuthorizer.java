/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

/**
 * Policy hook: decides whether a responder accepts an initiator's authenticated static key.
 * Called on the handshake thread after the initiator has proved possession of the key and
 * before any response is produced; must not block.
 */
@FunctionalInterface
public interface PeerAuthorizer
{
    /** Accepts every peer that completes the handshake. */
    PeerAuthorizer ALLOW_ALL = (key) -> true;

    /**
     * @param initiatorStaticKey the initiator's 32-byte static public key (a copy the callee may keep).
     * @return true to accept the handshake.
     */
    boolean isAuthorized(byte[] initiatorStaticKey);
}
