/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.security.SecureRandom;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Noise DH function {@code 25519}: X25519 (RFC 7748) from BouncyCastle. Stateless and thread-safe.
 *
 * <p>A remote public key of small order gives an all-zero shared secret; this implementation
 * rejects it with a {@link NoiseException} (as WireGuard does) rather than continue with a
 * secret an attacker knows.
 */
public final class Curve25519DhFunction implements DhFunction
{
    /** The shared instance. */
    public static final Curve25519DhFunction INSTANCE = new Curve25519DhFunction();

    /** Length of keys and DH outputs. */
    public static final int DH_LENGTH = 32;

    static
    {
        X25519.precompute();
    }

    private Curve25519DhFunction()
    {
    }

    /** {@inheritDoc} */
    public String name()
    {
        return "25519";
    }

    /** {@inheritDoc} */
    public int dhLength()
    {
        return DH_LENGTH;
    }

    /** {@inheritDoc} */
    public void generatePrivateKey(final SecureRandom random, final byte[] privateKey)
    {
        X25519.generatePrivateKey(random, privateKey);
    }

    /** {@inheritDoc} */
    public void publicKey(final byte[] privateKey, final byte[] publicKey)
    {
        X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    }

    /** {@inheritDoc} */
    public void dh(
        final byte[] privateKey, final byte[] publicKey, final int publicKeyOffset, final byte[] out, final int outOffset)
        throws NoiseException
    {
        if (!X25519.calculateAgreement(privateKey, 0, publicKey, publicKeyOffset, out, outOffset))
        {
            throw new NoiseException("X25519 produced an all-zero shared secret");
        }
    }
}
