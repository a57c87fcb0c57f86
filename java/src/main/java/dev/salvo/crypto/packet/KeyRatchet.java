/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import dev.salvo.crypto.aead.AeadCipher;
import java.util.Arrays;

/**
 * One direction's chain of traffic secrets. Holds only the secret of the next generation to install;
 * installing derives that generation's key and IV into a cipher and steps the chain forward, wiping
 * the secret it leaves behind (forward secrecy across key updates).
 */
final class KeyRatchet
{
    private byte[] secret;
    private long generation;

    KeyRatchet(final byte[] initialSecret)
    {
        this.secret = initialSecret.clone();
    }

    /**
     * Keys {@code cipher} with the next generation.
     *
     * @param cipher the cipher to re-key.
     * @return the generation number now installed in it (0 for the first).
     */
    long installNext(final AeadCipher cipher)
    {
        final byte[] key = KeySchedule.key(secret, cipher.algorithm());
        final byte[] iv = KeySchedule.iv(secret);
        cipher.init(key, iv);
        Arrays.fill(key, (byte)0);
        Arrays.fill(iv, (byte)0);

        final byte[] next = KeySchedule.nextSecret(secret);
        Arrays.fill(secret, (byte)0);
        secret = next;
        return generation++;
    }

    void destroy()
    {
        Arrays.fill(secret, (byte)0);
    }
}
