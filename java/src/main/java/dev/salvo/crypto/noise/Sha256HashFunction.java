/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Noise hash function {@code SHA256} on the JDK {@code MessageDigest}, which HotSpot
 * intrinsifies (SHA-NI / AVX2) and which digests into a caller's array without allocating.
 */
public final class Sha256HashFunction implements HashFunction
{
    /** HASHLEN. */
    public static final int HASH_LENGTH = 32;

    /** BLOCKLEN. */
    public static final int BLOCK_LENGTH = 64;

    private final MessageDigest digest;

    /** Creates an instance with its own digest state. */
    public Sha256HashFunction()
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    /** {@inheritDoc} */
    public String name()
    {
        return "SHA256";
    }

    /** {@inheritDoc} */
    public int hashLength()
    {
        return HASH_LENGTH;
    }

    /** {@inheritDoc} */
    public int blockLength()
    {
        return BLOCK_LENGTH;
    }

    /** {@inheritDoc} */
    public void update(final byte[] in, final int offset, final int length)
    {
        digest.update(in, offset, length);
    }

    /** {@inheritDoc} */
    public void digest(final byte[] out, final int offset)
    {
        try
        {
            digest.digest(out, offset, HASH_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalArgumentException("no room for the digest", ex);
        }
    }
}
