/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.util.Arrays;

/**
 * Noise CipherState (spec §5.1): a key {@code k} (or none) and a 64-bit nonce {@code n}.
 * Not thread-safe.
 */
public final class CipherState
{
    /** The nonce value reserved by the spec; encrypting with it is refused. */
    public static final long MAX_NONCE = 0xFFFF_FFFF_FFFF_FFFFL;

    private static final byte[] ZEROS = new byte[CipherFunction.KEY_LENGTH];

    private final CipherFunction cipher;
    private final byte[] key = new byte[CipherFunction.KEY_LENGTH];
    private boolean hasKey;
    private long nonce;

    /**
     * @param cipher the cipher function; owned by this state from now on.
     */
    public CipherState(final CipherFunction cipher)
    {
        this.cipher = cipher;
    }

    /**
     * InitializeKey(k): sets the key and resets the nonce.
     *
     * @param newKey array holding the key, or null for "empty".
     * @param offset offset of the 32-byte key.
     */
    public void initializeKey(final byte[] newKey, final int offset)
    {
        if (null == newKey)
        {
            Arrays.fill(key, (byte)0);
            hasKey = false;
        }
        else
        {
            System.arraycopy(newKey, offset, key, 0, CipherFunction.KEY_LENGTH);
            hasKey = true;
        }
        nonce = 0;
    }

    /** @return true if a key is set. */
    public boolean hasKey()
    {
        return hasKey;
    }

    /**
     * SetNonce(n).
     *
     * @param n the next nonce.
     */
    public void setNonce(final long n)
    {
        nonce = n;
    }

    /** @return the next nonce to be used. */
    public long nonce()
    {
        return nonce;
    }

    /**
     * EncryptWithAd: encrypts (or copies, without a key) and advances the nonce.
     *
     * @return bytes written.
     * @throws NoiseException if the nonce is exhausted.
     */
    public int encryptWithAd(
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        throws NoiseException
    {
        if (!hasKey)
        {
            System.arraycopy(in, inOffset, out, outOffset, length);
            return length;
        }
        if (MAX_NONCE == nonce)
        {
            throw new NoiseException("nonce exhausted");
        }
        final int written = cipher.encrypt(key, nonce, ad, adOffset, adLength, in, inOffset, length, out, outOffset);
        nonce++;
        return written;
    }

    /**
     * DecryptWithAd: authenticates and decrypts (or copies, without a key); on failure the nonce
     * does not advance.
     *
     * @return bytes written.
     * @throws NoiseException if authentication fails or the nonce is exhausted.
     */
    public int decryptWithAd(
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        throws NoiseException
    {
        if (!hasKey)
        {
            System.arraycopy(in, inOffset, out, outOffset, length);
            return length;
        }
        if (MAX_NONCE == nonce)
        {
            throw new NoiseException("nonce exhausted");
        }
        final int written = cipher.decrypt(key, nonce, ad, adOffset, adLength, in, inOffset, length, out, outOffset);
        nonce++;
        return written;
    }

    /** Rekey(): k = first 32 bytes of ENCRYPT(k, maxnonce, zerolen, zeros) (spec §4.2). */
    public void rekey()
    {
        final byte[] out = new byte[CipherFunction.KEY_LENGTH + CipherFunction.TAG_LENGTH];
        cipher.encrypt(key, MAX_NONCE, ZEROS, 0, 0, ZEROS, 0, CipherFunction.KEY_LENGTH, out, 0);
        System.arraycopy(out, 0, key, 0, CipherFunction.KEY_LENGTH);
        Arrays.fill(out, (byte)0);
    }

    /** Overwrites the key. */
    public void destroy()
    {
        Arrays.fill(key, (byte)0);
        hasKey = false;
    }
}
