/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

/** Creates unkeyed {@link AeadCipher}s; {@link AeadImplementation} is the standard set. */
@FunctionalInterface
public interface AeadCipherFactory
{
    /**
     * @param algorithm the algorithm.
     * @return a new, unkeyed cipher.
     */
    AeadCipher newCipher(AeadAlgorithm algorithm);
}
