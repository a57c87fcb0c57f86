/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.aead.AeadAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Per-direction key schedule (docs/PROTOCOL.md §4). Every value is one HKDF-Expand (RFC 5869) block with
 * SHA-256 from the direction's current traffic secret, which is already a uniformly random key (Noise
 * {@code Split()} output), so no Extract step is needed:
 * <pre>
 *   key_n    = HKDF-Expand(secret_n, "salvo key" || algorithm id, key length)
 *   iv_n     = HKDF-Expand(secret_n, "salvo iv", 12)
 *   secret_n+1 = HKDF-Expand(secret_n, "salvo ku", 32)
 * </pre>
 * {@code secret_0} is the traffic secret from {@link SessionSecrets}.
 */
public final class KeySchedule
{
    /** Label prefix of the AEAD key; followed by one byte, {@link AeadAlgorithm#wireId()}. */
    public static final byte[] KEY_LABEL = "salvo key".getBytes(StandardCharsets.US_ASCII);

    /** Label of the AEAD IV. */
    public static final byte[] IV_LABEL = "salvo iv".getBytes(StandardCharsets.US_ASCII);

    /** Label of the next generation's secret (key update). */
    public static final byte[] KEY_UPDATE_LABEL = "salvo ku".getBytes(StandardCharsets.US_ASCII);

    private static final int HASH_LENGTH = 32;

    private KeySchedule()
    {
    }

    /**
     * @param secret    a 32-byte traffic secret.
     * @param algorithm the AEAD in use.
     * @return the AEAD key for that secret.
     */
    public static byte[] key(final byte[] secret, final AeadAlgorithm algorithm)
    {
        final byte[] info = Arrays.copyOf(KEY_LABEL, KEY_LABEL.length + 1);
        info[KEY_LABEL.length] = (byte)algorithm.wireId();
        return expand(secret, info, algorithm.keyLength());
    }

    /**
     * @param secret a 32-byte traffic secret.
     * @return the 12-byte static IV for that secret.
     */
    public static byte[] iv(final byte[] secret)
    {
        return expand(secret, IV_LABEL, AeadAlgorithm.NONCE_LENGTH);
    }

    /**
     * @param secret a 32-byte traffic secret.
     * @return the secret of the next key generation.
     */
    public static byte[] nextSecret(final byte[] secret)
    {
        return expand(secret, KEY_UPDATE_LABEL, SessionSecrets.SECRET_LENGTH);
    }

    /**
     * HKDF-Expand with SHA-256 for outputs of at most one hash block.
     *
     * @param prk    pseudo-random key.
     * @param info   context label.
     * @param length output length, 1 to 32.
     * @return the output keying material.
     */
    public static byte[] expand(final byte[] prk, final byte[] info, final int length)
    {
        if (length < 1 || length > HASH_LENGTH)
        {
            throw new IllegalArgumentException("length must be 1.." + HASH_LENGTH);
        }
        final HMac hmac = new HMac(new SHA256Digest());
        hmac.init(new KeyParameter(prk));
        hmac.update(info, 0, info.length);
        hmac.update((byte)1);
        final byte[] block = new byte[HASH_LENGTH];
        hmac.doFinal(block, 0);
        final byte[] out = Arrays.copyOf(block, length);
        Arrays.fill(block, (byte)0);
        return out;
    }
}
