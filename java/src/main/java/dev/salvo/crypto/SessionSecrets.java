/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto;

import java.util.Arrays;

/**
 * What a completed handshake hands to packet protection: one 32-byte traffic secret per direction
 * and the handshake hash that names the session.
 *
 * <p>The secrets come from Noise {@code Split()}: the initiator sends with the first output and
 * receives with the second; the responder the other way round. Packet protection derives its
 * AEAD keys and IVs from these secrets (docs/PROTOCOL.md, "Key schedule"), never uses them as
 * keys directly. Call {@link #destroy()} once the keys are derived so the secrets do not linger.
 */
public final class SessionSecrets
{
    /** Length in bytes of each traffic secret and of the handshake hash. */
    public static final int SECRET_LENGTH = 32;

    private final byte[] sendSecret;
    private final byte[] receiveSecret;
    private final byte[] handshakeHash;
    private final boolean initiator;

    /**
     * @param sendSecret    secret for packets this side seals (copied).
     * @param receiveSecret secret for packets this side opens (copied).
     * @param handshakeHash the Noise handshake hash {@code h} after the last message (copied).
     * @param initiator     whether this side sent the first handshake message.
     */
    public SessionSecrets(
        final byte[] sendSecret, final byte[] receiveSecret, final byte[] handshakeHash, final boolean initiator)
    {
        this.sendSecret = checkedCopy(sendSecret, "sendSecret");
        this.receiveSecret = checkedCopy(receiveSecret, "receiveSecret");
        this.handshakeHash = checkedCopy(handshakeHash, "handshakeHash");
        this.initiator = initiator;
    }

    /** @return a copy of the secret for the direction this side sends in. */
    public byte[] sendSecret()
    {
        return sendSecret.clone();
    }

    /** @return a copy of the secret for the direction this side receives in. */
    public byte[] receiveSecret()
    {
        return receiveSecret.clone();
    }

    /** @return a copy of the handshake hash; both sides hold the same value. */
    public byte[] handshakeHash()
    {
        return handshakeHash.clone();
    }

    /** @return true if this side initiated the handshake. */
    public boolean isInitiator()
    {
        return initiator;
    }

    /** Overwrites the secrets with zeros. The handshake hash is public-ish and kept. */
    public void destroy()
    {
        Arrays.fill(sendSecret, (byte)0);
        Arrays.fill(receiveSecret, (byte)0);
    }

    private static byte[] checkedCopy(final byte[] value, final String name)
    {
        if (null == value || SECRET_LENGTH != value.length)
        {
            throw new IllegalArgumentException(name + " must be " + SECRET_LENGTH + " bytes");
        }
        return value.clone();
    }

    @Override
    public String toString()
    {
        return "SessionSecrets{initiator=" + initiator + ", secrets=<redacted>}";
    }
}
