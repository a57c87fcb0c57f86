/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise cipher function {@code AESGCM}: AES-256-GCM with a 96-bit nonce of four zero bytes
 * followed by the 64-bit counter big-endian (Noise spec §12.4), on the JDK {@code Cipher}.
 *
 * <p>Handshake messages are few and small, so the JDK provider's per-call cost is irrelevant
 * here; the data plane uses its own packet-protection code.
 */
public final class AesGcmCipherFunction implements CipherFunction
{
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = TAG_LENGTH * 8;

    private final Cipher cipher;
    private final byte[] nonceBytes = new byte[NONCE_LENGTH];

    /** Creates an instance with its own JDK cipher. */
    public AesGcmCipherFunction()
    {
        try
        {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable", ex);
        }
    }

    /** {@inheritDoc} */
    public String name()
    {
        return "AESGCM";
    }

    /** {@inheritDoc} */
    public int encrypt(
        final byte[] key, final long nonce, final byte[] ad, final int adOffset, final int adLength,
        final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        try
        {
            init(Cipher.ENCRYPT_MODE, key, nonce);
            if (adLength > 0)
            {
                cipher.updateAAD(ad, adOffset, adLength);
            }
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        }
        catch (final GeneralSecurityException ex)
        {
            // Only reachable through a programming error (short output, bad key length).
            throw new IllegalStateException("AES-GCM encrypt failed", ex);
        }
    }

    /** {@inheritDoc} */
    public int decrypt(
        final byte[] key, final long nonce, final byte[] ad, final int adOffset, final int adLength,
        final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        throws NoiseException
    {
        if (length < TAG_LENGTH)
        {
            throw new NoiseException("ciphertext shorter than the tag");
        }
        try
        {
            init(Cipher.DECRYPT_MODE, key, nonce);
            if (adLength > 0)
            {
                cipher.updateAAD(ad, adOffset, adLength);
            }
            return cipher.doFinal(in, inOffset, length, out, outOffset);
        }
        catch (final AEADBadTagException ex)
        {
            throw new NoiseException("AES-GCM authentication failed");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES-GCM decrypt failed", ex);
        }
    }

    private void init(final int mode, final byte[] key, final long nonce) throws GeneralSecurityException
    {
        nonceBytes[0] = 0;
        nonceBytes[1] = 0;
        nonceBytes[2] = 0;
        nonceBytes[3] = 0;
        for (int i = 0; i < 8; i++)
        {
            nonceBytes[4 + i] = (byte)(nonce >>> (56 - 8 * i));
        }
        cipher.init(mode, new SecretKeySpec(key, 0, KEY_LENGTH, "AES"), new GCMParameterSpec(TAG_BITS, nonceBytes));
    }
}
