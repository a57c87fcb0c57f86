/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.security.SecureRandom;

import dev.salvo.crypto.noise.Curve25519DhFunction;
import dev.salvo.crypto.noise.DhFunction;
import dev.salvo.crypto.noise.NoiseException;

/** X25519 that counts its scalar multiplications, to prove which paths do no DH. */
final class CountingDhFunction implements DhFunction
{
    long dhCalls;
    long publicKeyCalls;

    public String name()
    {
        return Curve25519DhFunction.INSTANCE.name();
    }

    public int dhLength()
    {
        return Curve25519DhFunction.INSTANCE.dhLength();
    }

    public void generatePrivateKey(final SecureRandom random, final byte[] privateKey)
    {
        Curve25519DhFunction.INSTANCE.generatePrivateKey(random, privateKey);
    }

    public void publicKey(final byte[] privateKey, final byte[] publicKey)
    {
        publicKeyCalls++;
        Curve25519DhFunction.INSTANCE.publicKey(privateKey, publicKey);
    }

    public void dh(
        final byte[] privateKey, final byte[] publicKey, final int publicKeyOffset, final byte[] out, final int outOffset)
        throws NoiseException
    {
        dhCalls++;
        Curve25519DhFunction.INSTANCE.dh(privateKey, publicKey, publicKeyOffset, out, outOffset);
    }

    long scalarMultiplications()
    {
        return dhCalls + publicKeyCalls;
    }
}
