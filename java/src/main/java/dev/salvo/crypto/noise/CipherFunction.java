/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

/**
 * A Noise cipher function (Noise spec §4.2): an AEAD with a 32-byte key and a 64-bit nonce.
 * Instances may hold per-instance state (a JDK {@code Cipher}) and are not thread-safe; each
 * {@link CipherState} owns its own instance.
 */
public interface CipherFunction
{
    /** Length of the authentication tag appended by {@link #encrypt}. */
    int TAG_LENGTH = 16;

    /** Length of a key. */
    int KEY_LENGTH = 32;

    /** @return the Noise name, e.g. {@code "AESGCM"}. */
    String name();

    /**
     * Encrypts {@code length} bytes and appends the tag. {@code in} and {@code out} may overlap
     * exactly (in place).
     *
     * @return bytes written: {@code length + TAG_LENGTH}.
     */
    int encrypt(
        byte[] key, long nonce, byte[] ad, int adOffset, int adLength,
        byte[] in, int inOffset, int length, byte[] out, int outOffset);

    /**
     * Authenticates and decrypts {@code length} bytes (ciphertext and tag).
     *
     * @return bytes written: {@code length - TAG_LENGTH}.
     * @throws NoiseException if authentication fails or {@code length < TAG_LENGTH}.
     */
    int decrypt(
        byte[] key, long nonce, byte[] ad, int adOffset, int adLength,
        byte[] in, int inOffset, int length, byte[] out, int outOffset) throws NoiseException;
}
