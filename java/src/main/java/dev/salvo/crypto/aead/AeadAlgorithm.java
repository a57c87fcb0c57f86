/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

/**
 * The AEAD algorithms Salvo can protect data packets with. All use a 12-byte nonce and a 16-byte tag.
 *
 * <p>The {@link #wireId()} is mixed into the key derivation label (docs/PROTOCOL.md §4) so the same
 * traffic secret never yields the same key bytes for two algorithms.
 */
public enum AeadAlgorithm
{
    /** AES-128 in Galois/Counter mode. RFC 9001 §6.6: at most 2^23 packets per key. */
    AES_128_GCM(1, 16, 1L << 23),

    /** AES-256 in Galois/Counter mode. RFC 9001 §6.6: at most 2^23 packets per key. */
    AES_256_GCM(2, 32, 1L << 23),

    /** ChaCha20-Poly1305 (RFC 8439), for CPUs without AES instructions. Confidentiality limit above 2^62. */
    CHACHA20_POLY1305(3, 32, Long.MAX_VALUE);

    /** Length in bytes of every nonce. */
    public static final int NONCE_LENGTH = 12;

    /** Length in bytes of every authentication tag. */
    public static final int TAG_LENGTH = 16;

    private final int wireId;
    private final int keyLength;
    private final long confidentialityLimit;

    AeadAlgorithm(final int wireId, final int keyLength, final long confidentialityLimit)
    {
        this.wireId = wireId;
        this.keyLength = keyLength;
        this.confidentialityLimit = confidentialityLimit;
    }

    /** @return the identifier used in key derivation labels and handshake options. */
    public int wireId()
    {
        return wireId;
    }

    /** @return key length in bytes. */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * @return the most packets one key may seal (RFC 9001 §6.6 confidentiality limit);
     * {@link Long#MAX_VALUE} when the algorithm has no practical limit.
     */
    public long confidentialityLimit()
    {
        return confidentialityLimit;
    }

    /** @return true for the AES-GCM variants. */
    public boolean isAesGcm()
    {
        return this != CHACHA20_POLY1305;
    }
}
