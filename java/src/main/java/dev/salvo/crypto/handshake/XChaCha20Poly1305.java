/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.util.Arrays;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AEAD_XChaCha20_Poly1305 (draft-irtf-cfrg-xchacha): HChaCha20 derives a subkey from the key and
 * the first 16 nonce bytes, then RFC 8439 ChaCha20-Poly1305 (BouncyCastle) runs with the nonce
 * {@code 0x00000000 || nonce[16..24)}. Used, as in WireGuard, to encrypt cookies under a random
 * 24-byte nonce, which never needs a counter. Not thread-safe.
 */
final class XChaCha20Poly1305
{
    static final int KEY_LENGTH = 32;
    static final int NONCE_LENGTH = 24;
    static final int TAG_LENGTH = 16;

    private final byte[] subkey = new byte[KEY_LENGTH];
    private final byte[] innerNonce = new byte[12];
    private final int[] state = new int[16];

    /**
     * @return bytes written ({@code length + 16}).
     */
    int seal(
        final byte[] key, final byte[] nonce, final int nonceOffset, final byte[] ad, final int adOffset,
        final int adLength, final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        final ChaCha20Poly1305 aead = init(true, key, nonce, nonceOffset);
        aead.processAADBytes(ad, adOffset, adLength);
        final int written = aead.processBytes(in, inOffset, length, out, outOffset);
        try
        {
            return written + aead.doFinal(out, outOffset + written);
        }
        catch (final InvalidCipherTextException ex)
        {
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", ex);
        }
        finally
        {
            Arrays.fill(subkey, (byte)0);
        }
    }

    /**
     * @return plaintext bytes written, or -1 if authentication fails.
     */
    int open(
        final byte[] key, final byte[] nonce, final int nonceOffset, final byte[] ad, final int adOffset,
        final int adLength, final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        if (length < TAG_LENGTH)
        {
            return -1;
        }
        final ChaCha20Poly1305 aead = init(false, key, nonce, nonceOffset);
        aead.processAADBytes(ad, adOffset, adLength);
        try
        {
            final int written = aead.processBytes(in, inOffset, length, out, outOffset);
            return written + aead.doFinal(out, outOffset + written);
        }
        catch (final InvalidCipherTextException ex)
        {
            return -1;
        }
        finally
        {
            Arrays.fill(subkey, (byte)0);
        }
    }

    private ChaCha20Poly1305 init(final boolean encrypt, final byte[] key, final byte[] nonce, final int nonceOffset)
    {
        hChaCha20(key, nonce, nonceOffset, subkey, state);
        Arrays.fill(innerNonce, 0, 4, (byte)0);
        System.arraycopy(nonce, nonceOffset + 16, innerNonce, 4, 8);
        // A fresh engine per message: BouncyCastle refuses to re-init an encryptor with the same
        // key and nonce, and cookie replies are rare enough that the allocation does not matter.
        final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(encrypt, new AEADParameters(new KeyParameter(subkey), TAG_LENGTH * 8, innerNonce));
        return aead;
    }

    /**
     * HChaCha20(key, nonce[0..16)) into {@code out} (32 bytes).
     */
    static void hChaCha20(final byte[] key, final byte[] nonce, final int nonceOffset, final byte[] out, final int[] x)
    {
        x[0] = 0x61707865;
        x[1] = 0x3320646e;
        x[2] = 0x79622d32;
        x[3] = 0x6b206574;
        for (int i = 0; i < 8; i++)
        {
            x[4 + i] = littleEndian(key, 4 * i);
        }
        for (int i = 0; i < 4; i++)
        {
            x[12 + i] = littleEndian(nonce, nonceOffset + 4 * i);
        }
        for (int round = 0; round < 10; round++)
        {
            quarterRound(x, 0, 4, 8, 12);
            quarterRound(x, 1, 5, 9, 13);
            quarterRound(x, 2, 6, 10, 14);
            quarterRound(x, 3, 7, 11, 15);
            quarterRound(x, 0, 5, 10, 15);
            quarterRound(x, 1, 6, 11, 12);
            quarterRound(x, 2, 7, 8, 13);
            quarterRound(x, 3, 4, 9, 14);
        }
        for (int i = 0; i < 4; i++)
        {
            putLittleEndian(out, 4 * i, x[i]);
            putLittleEndian(out, 16 + 4 * i, x[12 + i]);
        }
        Arrays.fill(x, 0);
    }

    private static void quarterRound(final int[] x, final int a, final int b, final int c, final int d)
    {
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b];
        x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d];
        x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
    }

    private static int littleEndian(final byte[] b, final int offset)
    {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16 | (b[offset + 3] & 0xff) << 24;
    }

    private static void putLittleEndian(final byte[] b, final int offset, final int value)
    {
        b[offset] = (byte)value;
        b[offset + 1] = (byte)(value >>> 8);
        b[offset + 2] = (byte)(value >>> 16);
        b[offset + 3] = (byte)(value >>> 24);
    }
}
