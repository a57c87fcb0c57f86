/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.nio.charset.StandardCharsets;

import dev.salvo.crypto.noise.Hmac;
import dev.salvo.crypto.noise.Sha256HashFunction;

/**
 * The keyed MACs of the handshake (docs/PROTOCOL.md §2.4): HMAC-SHA256 truncated to 16 bytes.
 * <ul>
 *   <li>MAC1 key = SHA-256("mac1----" || receiver's static public key)</li>
 *   <li>cookie-encryption key = SHA-256("cookie--" || responder's static public key)</li>
 *   <li>MAC2 = MAC(cookie, message up to MAC2)</li>
 * </ul>
 * Allocation-free after construction; not thread-safe.
 */
final class HandshakeMacs
{
    static final byte[] MAC1_LABEL = "mac1----".getBytes(StandardCharsets.US_ASCII);
    static final byte[] COOKIE_LABEL = "cookie--".getBytes(StandardCharsets.US_ASCII);

    private final Sha256HashFunction hash = new Sha256HashFunction();
    private final Hmac hmac = new Hmac(new Sha256HashFunction());
    private final byte[] full = new byte[Sha256HashFunction.HASH_LENGTH];

    /**
     * @param label     {@link #MAC1_LABEL} or {@link #COOKIE_LABEL}.
     * @param publicKey the static public key.
     * @param out       32-byte destination.
     */
    void deriveKey(final byte[] label, final byte[] publicKey, final byte[] out)
    {
        hash.update(label, 0, label.length);
        hash.update(publicKey, 0, publicKey.length);
        hash.digest(out, 0);
    }

    /**
     * Computes a 16-byte MAC.
     */
    void mac(
        final byte[] key, final int keyLength, final byte[] message, final int offset, final int length,
        final byte[] out, final int outOffset)
    {
        hmac.init(key, 0, keyLength);
        hmac.start();
        hmac.update(message, offset, length);
        hmac.finish(full, 0);
        System.arraycopy(full, 0, out, outOffset, HandshakeDescriptor.MAC_LENGTH);
    }

    /**
     * Computes a 16-byte MAC over {@code message[offset, offset + length)} and compares it, in
     * constant time, with {@code expected[expectedOffset, +16)}.
     */
    boolean verify(
        final byte[] key, final int keyLength, final byte[] message, final int offset, final int length,
        final byte[] expected, final int expectedOffset)
    {
        hmac.init(key, 0, keyLength);
        hmac.start();
        hmac.update(message, offset, length);
        hmac.finish(full, 0);
        return constantTimeEquals(full, 0, expected, expectedOffset, HandshakeDescriptor.MAC_LENGTH);
    }

    static boolean constantTimeEquals(
        final byte[] a, final int aOffset, final byte[] b, final int bOffset, final int length)
    {
        int difference = 0;
        for (int i = 0; i < length; i++)
        {
            difference |= a[aOffset + i] ^ b[bOffset + i];
        }
        return 0 == difference;
    }

    static boolean isAllZero(final byte[] bytes, final int offset, final int length)
    {
        int bits = 0;
        for (int i = 0; i < length; i++)
        {
            bits |= bytes[offset + i];
        }
        return 0 == bits;
    }
}
