/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import dev.salvo.crypto.SessionSecrets;

/**
 * Reusable holder for what {@link HandshakeResponder#onInitiation} produced. Fields other than
 * {@link #status()} and {@link #replyLength()} are valid only when the status is
 * {@link HandshakeStatus#ACCEPTED}.
 */
public final class ResponderResult
{
    HandshakeStatus status = HandshakeStatus.MALFORMED;
    int replyLength;
    SessionSecrets secrets;
    final byte[] peerStaticKey = new byte[HandshakeDescriptor.KEY_LENGTH];
    int peerIndex;
    int localIndex;
    int version;
    int peerOptions;
    long timestamp;

    void reset()
    {
        status = HandshakeStatus.MALFORMED;
        replyLength = 0;
        secrets = null;
        peerIndex = 0;
        localIndex = 0;
        version = 0;
        peerOptions = 0;
        timestamp = 0;
    }

    /** @return the outcome. */
    public HandshakeStatus status()
    {
        return status;
    }

    /**
     * @return bytes written to the output buffer that must be sent back to the source address:
     * a response ({@link HandshakeStatus#ACCEPTED}) or a cookie reply
     * ({@link HandshakeStatus#COOKIE_REPLY}); 0 otherwise.
     */
    public int replyLength()
    {
        return replyLength;
    }

    /** @return the new session's secrets (responder side: sends with Split()'s second key). */
    public SessionSecrets secrets()
    {
        return secrets;
    }

    /** @return a copy of the authenticated initiator static public key. */
    public byte[] peerStaticKey()
    {
        return peerStaticKey.clone();
    }

    /**
     * @return the initiator's sender index: the receiver session id this side puts on data packets
     * it sends in the new session.
     */
    public int peerIndex()
    {
        return peerIndex;
    }

    /** @return the index this side chose; the initiator puts it on data packets it sends. */
    public int localIndex()
    {
        return localIndex;
    }

    /** @return the session-protocol version agreed (the lower of both sides'). */
    public int version()
    {
        return version;
    }

    /** @return the options byte the initiator sent. */
    public int peerOptions()
    {
        return peerOptions;
    }

    /** @return the initiator's timestamp (nanoseconds since the Unix epoch, by its clock). */
    public long timestamp()
    {
        return timestamp;
    }
}
