/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

/**
 * A Noise hash function (Noise spec §4.3) used incrementally. Instances hold state and are not
 * thread-safe.
 */
public interface HashFunction
{
    /** @return the Noise name, e.g. {@code "SHA256"}. */
    String name();

    /** @return HASHLEN. */
    int hashLength();

    /** @return BLOCKLEN, the block length HMAC uses. */
    int blockLength();

    /**
     * Absorbs bytes.
     *
     * @param in     source.
     * @param offset offset in {@code in}.
     * @param length number of bytes.
     */
    void update(byte[] in, int offset, int length);

    /**
     * Writes the digest of everything absorbed since the last digest, and resets.
     *
     * @param out    destination of {@link #hashLength()} bytes.
     * @param offset offset in {@code out}.
     */
    void digest(byte[] out, int offset);
}
