/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.util.Arrays;

/**
 * HMAC (RFC 2104) over any {@link HashFunction}, allocation-free after construction. Used for the
 * Noise HKDF and for Salvo's MAC1/MAC2/cookie MACs. Not thread-safe.
 *
 * <p>Usage: {@link #init(byte[], int, int)} once per key, then for each message
 * {@link #start()}, {@link #update(byte[], int, int)}..., {@link #finish(byte[], int)}.
 */
public final class Hmac
{
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final HashFunction hash;
    private final byte[] innerPad;
    private final byte[] outerPad;
    private final byte[] innerDigest;

    /**
     * @param hash the hash to build on; this object takes ownership of its state.
     */
    public Hmac(final HashFunction hash)
    {
        this.hash = hash;
        innerPad = new byte[hash.blockLength()];
        outerPad = new byte[hash.blockLength()];
        innerDigest = new byte[hash.hashLength()];
    }

    /** @return the output length (HASHLEN). */
    public int macLength()
    {
        return hash.hashLength();
    }

    /**
     * Sets the key.
     *
     * @param key    key bytes.
     * @param offset offset of the key.
     * @param length key length; keys longer than the block are hashed first (RFC 2104).
     */
    public void init(final byte[] key, final int offset, final int length)
    {
        Arrays.fill(innerPad, (byte)0);
        if (length > innerPad.length)
        {
            hash.update(key, offset, length);
            hash.digest(innerPad, 0);
        }
        else
        {
            System.arraycopy(key, offset, innerPad, 0, length);
        }
        for (int i = 0; i < innerPad.length; i++)
        {
            final byte k = innerPad[i];
            innerPad[i] = (byte)(k ^ IPAD);
            outerPad[i] = (byte)(k ^ OPAD);
        }
    }

    /** Begins a message under the current key. */
    public void start()
    {
        hash.update(innerPad, 0, innerPad.length);
    }

    /**
     * Absorbs message bytes.
     *
     * @param in     source.
     * @param offset offset in {@code in}.
     * @param length byte count.
     */
    public void update(final byte[] in, final int offset, final int length)
    {
        hash.update(in, offset, length);
    }

    /**
     * Absorbs one byte.
     *
     * @param value the byte.
     */
    public void update(final byte value)
    {
        innerDigest[0] = value;
        hash.update(innerDigest, 0, 1);
    }

    /**
     * Completes the MAC.
     *
     * @param out    destination of {@link #macLength()} bytes.
     * @param offset offset in {@code out}.
     */
    public void finish(final byte[] out, final int offset)
    {
        hash.digest(innerDigest, 0);
        hash.update(outerPad, 0, outerPad.length);
        hash.update(innerDigest, 0, innerDigest.length);
        hash.digest(out, offset);
    }

    /** Overwrites the key material held. */
    public void destroy()
    {
        Arrays.fill(innerPad, (byte)0);
        Arrays.fill(outerPad, (byte)0);
        Arrays.fill(innerDigest, (byte)0);
    }
}
