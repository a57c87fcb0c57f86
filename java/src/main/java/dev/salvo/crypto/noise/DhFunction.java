/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.security.SecureRandom;

/**
 * A Noise DH function (Noise spec §4.1). Keys are raw byte strings; a key pair is a
 * {@code privateKey}/{@code publicKey} array pair of {@link #dhLength()} bytes each.
 */
public interface DhFunction
{
    /** @return the Noise name of the function, e.g. {@code "25519"}. */
    String name();

    /** @return DHLEN: the length of public keys and of DH outputs. */
    int dhLength();

    /**
     * Fills {@code privateKey} with a fresh private key.
     *
     * @param random     source of randomness.
     * @param privateKey destination of {@link #dhLength()} bytes.
     */
    void generatePrivateKey(SecureRandom random, byte[] privateKey);

    /**
     * Computes the public key for a private key.
     *
     * @param privateKey the private key.
     * @param publicKey  destination of {@link #dhLength()} bytes.
     */
    void publicKey(byte[] privateKey, byte[] publicKey);

    /**
     * Performs a Diffie–Hellman calculation.
     *
     * @param privateKey      local private key.
     * @param publicKey       array holding the remote public key.
     * @param publicKeyOffset offset of the remote public key.
     * @param out             destination of {@link #dhLength()} bytes.
     * @param outOffset       offset in {@code out}.
     * @throws NoiseException if the remote key is degenerate (the result would be all zeros).
     */
    void dh(byte[] privateKey, byte[] publicKey, int publicKeyOffset, byte[] out, int outOffset)
        throws NoiseException;
}
