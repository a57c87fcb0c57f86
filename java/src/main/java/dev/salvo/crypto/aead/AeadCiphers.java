/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

/** Helpers shared by the {@link AeadCipher} implementations. */
final class AeadCiphers
{
    private AeadCiphers()
    {
    }

    /** nonce = iv XOR (64-bit packet number, big-endian, right-aligned in 12 bytes). */
    static void nonce(final byte[] iv, final long packetNumber, final byte[] nonce)
    {
        nonce[0] = iv[0];
        nonce[1] = iv[1];
        nonce[2] = iv[2];
        nonce[3] = iv[3];
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] = (byte)(iv[4 + i] ^ (packetNumber >>> (56 - 8 * i)));
        }
    }

    static void checkKeyAndIv(final AeadAlgorithm algorithm, final byte[] key, final byte[] iv)
    {
        if (null == key || key.length != algorithm.keyLength())
        {
            throw new IllegalArgumentException(algorithm + " key must be " + algorithm.keyLength() + " bytes");
        }
        if (null == iv || iv.length != AeadAlgorithm.NONCE_LENGTH)
        {
            throw new IllegalArgumentException("iv must be " + AeadAlgorithm.NONCE_LENGTH + " bytes");
        }
    }
}
