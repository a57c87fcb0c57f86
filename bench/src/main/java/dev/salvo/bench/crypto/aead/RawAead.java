/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.crypto.aead;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The raw AEAD primitive, used the plainest documented way on heap arrays with a new nonce per call and no
 * Salvo code in between: the baseline the packet layer is measured against.
 */
final class RawAead
{
    private final AeadImplementation implementation;
    private final AeadAlgorithm algorithm;
    private final byte[] key;
    private final byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
    private Cipher jdk;
    private SecretKeySpec jdkKey;
    private AEADCipher bc;
    private KeyParameter bcKey;

    RawAead(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        this.implementation = implementation;
        this.algorithm = algorithm;
        this.key = new byte[algorithm.keyLength()];
        key[0] = 42;
        try
        {
            if (AeadImplementation.JDK == implementation)
            {
                jdk = Cipher.getInstance(algorithm.isAesGcm() ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
                jdkKey = new SecretKeySpec(key, algorithm.isAesGcm() ? "AES" : "ChaCha20");
            }
            else
            {
                bc = algorithm.isAesGcm() ? GCMBlockCipher.newInstance(AESEngine.newInstance()) : new ChaCha20Poly1305();
                bcKey = new KeyParameter(key);
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Seals {@code in[aad ++ plaintext]} into {@code out}; the nonce's last 8 bytes are the counter. */
    int seal(
        final long counter, final byte[] in, final int aadLength, final int plaintextLength, final byte[] out)
    {
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] = (byte)(counter >>> (56 - 8 * i));
        }
        try
        {
            if (null != jdk)
            {
                jdk.init(Cipher.ENCRYPT_MODE, jdkKey, algorithm.isAesGcm() ?
                    new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
                jdk.updateAAD(in, 0, aadLength);
                return jdk.doFinal(in, aadLength, plaintextLength, out, 0);
            }
            bc.init(true, new AEADParameters(bcKey, 128, nonce));
            bc.processAADBytes(in, 0, aadLength);
            final int written = bc.processBytes(in, aadLength, plaintextLength, out, 0);
            return written + bc.doFinal(out, written);
        }
        catch (final GeneralSecurityException | InvalidCipherTextException ex)
        {
            throw new IllegalStateException(implementation + " " + algorithm, ex);
        }
    }

    /** Opens {@code in[aad ++ ciphertext]} into {@code out}. */
    int open(
        final long counter, final byte[] in, final int aadLength, final int ciphertextLength, final byte[] out)
    {
        for (int i = 0; i < 8; i++)
        {
            nonce[4 + i] = (byte)(counter >>> (56 - 8 * i));
        }
        try
        {
            if (null != jdk)
            {
                jdk.init(Cipher.DECRYPT_MODE, jdkKey, algorithm.isAesGcm() ?
                    new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
                jdk.updateAAD(in, 0, aadLength);
                return jdk.doFinal(in, aadLength, ciphertextLength, out, 0);
            }
            bc.init(false, new AEADParameters(bcKey, 128, nonce));
            bc.processAADBytes(in, 0, aadLength);
            final int written = bc.processBytes(in, aadLength, ciphertextLength, out, 0);
            return written + bc.doFinal(out, written);
        }
        catch (final GeneralSecurityException | InvalidCipherTextException ex)
        {
            throw new IllegalStateException(implementation + " " + algorithm, ex);
        }
    }
}
