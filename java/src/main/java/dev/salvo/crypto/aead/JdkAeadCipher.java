/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link AeadCipher} on the JDK's {@code javax.crypto.Cipher} ("AES/GCM/NoPadding" with the AES-NI/VAES
 * intrinsics, or "ChaCha20-Poly1305").
 *
 * <p>The JDK refuses to encrypt twice with one key and IV, so every packet needs a full {@code init} with
 * a new parameter object: the JDK allocates per packet (a parameter spec, an IV copy and its engine
 * state). Packets in direct memory are copied through two reused heap arrays because the JDK's own
 * direct-ByteBuffer path allocates more per packet and is no faster (docs/BENCHMARKS.md).
 */
public final class JdkAeadCipher implements AeadCipher
{
    private final AeadAlgorithm algorithm;
    private final Cipher cipher;
    private final byte[] iv = new byte[AeadAlgorithm.NONCE_LENGTH];
    private final byte[] nonce = new byte[AeadAlgorithm.NONCE_LENGTH];
    private final byte[] associatedData = new byte[64];
    private byte[] scratchIn = new byte[2048];
    private byte[] scratchOut = new byte[2048];
    private SecretKeySpec key;

    /**
     * @param algorithm the algorithm to implement.
     * @throws IllegalStateException if the JDK lacks the algorithm.
     */
    public JdkAeadCipher(final AeadAlgorithm algorithm)
    {
        this.algorithm = algorithm;
        try
        {
            cipher = Cipher.getInstance(algorithm.isAesGcm() ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("JDK lacks " + algorithm, ex);
        }
    }

    /** {@inheritDoc} */
    public AeadAlgorithm algorithm()
    {
        return algorithm;
    }

    /** {@inheritDoc} */
    public void init(final byte[] key, final byte[] iv)
    {
        AeadCiphers.checkKeyAndIv(algorithm, key, iv);
        this.key = new SecretKeySpec(key, algorithm.isAesGcm() ? "AES" : "ChaCha20");
        System.arraycopy(iv, 0, this.iv, 0, AeadAlgorithm.NONCE_LENGTH);
    }

    /** {@inheritDoc} */
    public void seal(
        final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int payloadLength)
    {
        try
        {
            start(Cipher.ENCRYPT_MODE, packetNumber, buffer, offset, headerLength);
            final int payloadOffset = offset + headerLength;
            if (buffer.hasArray())
            {
                final byte[] array = buffer.array();
                final int at = buffer.arrayOffset() + payloadOffset;
                cipher.doFinal(array, at, payloadLength, array, at);
            }
            else
            {
                // The JDK's ByteBuffer path for direct memory copies through its own temporary arrays; copying
                // through reused arrays here allocates less and is no slower (docs/BENCHMARKS.md).
                final byte[] in = scratchIn(payloadLength);
                final byte[] out = scratchOut(payloadLength + AeadAlgorithm.TAG_LENGTH);
                buffer.get(payloadOffset, in, 0, payloadLength);
                final int written = cipher.doFinal(in, 0, payloadLength, out, 0);
                buffer.put(payloadOffset, out, 0, written);
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("seal failed", ex);
        }
    }

    /** {@inheritDoc} */
    public boolean open(
        final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int ciphertextLength)
    {
        try
        {
            start(Cipher.DECRYPT_MODE, packetNumber, buffer, offset, headerLength);
            final int payloadOffset = offset + headerLength;
            if (buffer.hasArray())
            {
                final byte[] array = buffer.array();
                final int at = buffer.arrayOffset() + payloadOffset;
                cipher.doFinal(array, at, ciphertextLength, array, at);
            }
            else
            {
                final byte[] in = scratchIn(ciphertextLength);
                final byte[] out = scratchOut(ciphertextLength);
                buffer.get(payloadOffset, in, 0, ciphertextLength);
                final int written = cipher.doFinal(in, 0, ciphertextLength, out, 0);
                buffer.put(payloadOffset, out, 0, written);
            }
            return true;
        }
        catch (final AEADBadTagException ex)
        {
            return false;
        }
        catch (final ShortBufferException | InvalidKeyException | InvalidAlgorithmParameterException ex)
        {
            throw new IllegalStateException("open failed", ex);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private byte[] scratchIn(final int length)
    {
        if (scratchIn.length < length)
        {
            scratchIn = new byte[Math.max(length, scratchIn.length * 2)];
        }
        return scratchIn;
    }

    private byte[] scratchOut(final int length)
    {
        if (scratchOut.length < length)
        {
            scratchOut = new byte[Math.max(length, scratchOut.length * 2)];
        }
        return scratchOut;
    }

    /** {@inheritDoc} */
    public void destroy()
    {
        key = null;
        Arrays.fill(iv, (byte)0);
    }

    private AlgorithmParameterSpec spec(final byte[] nonce)
    {
        return algorithm.isAesGcm() ?
            new GCMParameterSpec(AeadAlgorithm.TAG_LENGTH * 8, nonce) : new IvParameterSpec(nonce);
    }

    private void start(
        final int mode, final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength)
        throws InvalidKeyException, InvalidAlgorithmParameterException
    {
        if (null == key)
        {
            throw new IllegalStateException("cipher has no key");
        }
        AeadCiphers.nonce(iv, packetNumber, nonce);
        try
        {
            cipher.init(mode, key, spec(nonce));
        }
        catch (final InvalidKeyException ex)
        {
            if (Cipher.DECRYPT_MODE != mode)
            {
                throw ex;
            }
            // The JDK's ChaCha20-Poly1305 refuses the key and nonce of its previous init even to decrypt, which
            // happens when a forged packet repeats the packet number of the one opened just before. Step through
            // a nonce outside the packet-number range (all-ones) and retry, so a forgery cannot block a genuine packet.
            AeadCiphers.nonce(iv, -1L, nonce);
            cipher.init(mode, key, spec(nonce));
            AeadCiphers.nonce(iv, packetNumber, nonce);
            cipher.init(mode, key, spec(nonce));
        }
        for (int i = 0; i < headerLength; i++)
        {
            associatedData[i] = buffer.get(offset + i);
        }
        cipher.updateAAD(associatedData, 0, headerLength);
    }
}
