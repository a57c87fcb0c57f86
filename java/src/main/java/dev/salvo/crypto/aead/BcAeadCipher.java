/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * {@link AeadCipher} on BouncyCastle's lightweight API: {@code GCMBlockCipher.newInstance(AESEngine.newInstance())}
 * and {@code ChaCha20Poly1305}.
 *
 * <p>With {@code bcprov-jdk18on} this is pure Java. With {@code bcprov-lts8on} on the class path instead, the
 * same calls return BouncyCastle's native AES-GCM (AES-NI/VAES) without any code change. The cipher is keyed
 * once per {@link #init(byte[], byte[])}; each packet only installs a new nonce. Two parameter objects take
 * turns so that no object is created per packet (BouncyCastle compares the new nonce with the previous one).
 * Packets in direct memory are copied to a scratch array, processed there and copied back, because the
 * lightweight API works on arrays only.
 */
public final class BcAeadCipher implements AeadCipher
{
    private static final int INITIAL_SCRATCH_LENGTH = 2048;

    private final AeadAlgorithm algorithm;
    private final AEADCipher cipher;
    private final byte[] iv = new byte[AeadAlgorithm.NONCE_LENGTH];
    private final ParametersWithIV[] nonceParameters = new ParametersWithIV[2];
    private final boolean rekeyEveryPacket;
    private int nonceTurn;
    private boolean keyed;
    private byte[] scratch = new byte[INITIAL_SCRATCH_LENGTH];

    /** @param algorithm the algorithm to implement. */
    public BcAeadCipher(final AeadAlgorithm algorithm)
    {
        this.algorithm = algorithm;
        this.cipher = algorithm.isAesGcm() ? GCMBlockCipher.newInstance(AESEngine.newInstance()) : new ChaCha20Poly1305();
        // BouncyCastle's native GCM (bcprov-lts8on) needs the key on every init; the pure-Java one must not get it
        // (it would rebuild its GHASH tables per packet).
        this.rekeyEveryPacket = cipher.getClass().getSimpleName().contains("Native");
    }

    /** @return BouncyCastle's name for the underlying engine, which tells native from pure Java. */
    public String engineDescription()
    {
        return cipher.getClass().getName();
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
        System.arraycopy(iv, 0, this.iv, 0, AeadAlgorithm.NONCE_LENGTH);
        // Key with a throw-away nonce derived from the IV but outside the packet-number range
        // (all-ones packet number), so no packet nonce collides with it.
        final byte[] keyingNonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        AeadCiphers.nonce(iv, -1L, keyingNonce);
        final KeyParameter keyParameter = new KeyParameter(key);
        cipher.init(true, new ParametersWithIV(keyParameter, keyingNonce));
        for (int i = 0; i < nonceParameters.length; i++)
        {
            nonceParameters[i] = new ParametersWithIV(rekeyEveryPacket ? keyParameter : null, new byte[AeadAlgorithm.NONCE_LENGTH]);
        }
        keyed = true;
    }

    /** {@inheritDoc} */
    public void seal(
        final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int payloadLength)
    {
        checkKeyed();
        final int length = headerLength + payloadLength;
        final byte[] array;
        final int base;
        if (buffer.hasArray())
        {
            array = buffer.array();
            base = buffer.arrayOffset() + offset;
        }
        else
        {
            array = scratch(length + AeadAlgorithm.TAG_LENGTH);
            buffer.get(offset, array, 0, length);
            base = 0;
        }

        cipher.init(true, nextNonce(packetNumber));
        cipher.processAADBytes(array, base, headerLength);
        final int payloadBase = base + headerLength;
        try
        {
            final int written = cipher.processBytes(array, payloadBase, payloadLength, array, payloadBase);
            cipher.doFinal(array, payloadBase + written);
        }
        catch (final InvalidCipherTextException ex)
        {
            throw new IllegalStateException("seal failed", ex);
        }

        if (!buffer.hasArray())
        {
            buffer.put(offset + headerLength, array, headerLength, payloadLength + AeadAlgorithm.TAG_LENGTH);
        }
    }

    /** {@inheritDoc} */
    public boolean open(
        final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int ciphertextLength)
    {
        checkKeyed();
        final int length = headerLength + ciphertextLength;
        final byte[] array;
        final int base;
        if (buffer.hasArray())
        {
            array = buffer.array();
            base = buffer.arrayOffset() + offset;
        }
        else
        {
            array = scratch(length);
            buffer.get(offset, array, 0, length);
            base = 0;
        }

        cipher.init(false, nextNonce(packetNumber));
        cipher.processAADBytes(array, base, headerLength);
        final int payloadBase = base + headerLength;
        try
        {
            final int written = cipher.processBytes(array, payloadBase, ciphertextLength, array, payloadBase);
            cipher.doFinal(array, payloadBase + written);
        }
        catch (final InvalidCipherTextException ex)
        {
            return false;
        }

        if (!buffer.hasArray())
        {
            buffer.put(offset + headerLength, array, headerLength, ciphertextLength - AeadAlgorithm.TAG_LENGTH);
        }
        return true;
    }

    /** {@inheritDoc} */
    public void destroy()
    {
        keyed = false;
        Arrays.fill(iv, (byte)0);
        Arrays.fill(scratch, (byte)0);
        final byte[] zeroKey = new byte[algorithm.keyLength()];
        final byte[] zeroNonce = new byte[AeadAlgorithm.NONCE_LENGTH];
        cipher.init(true, new ParametersWithIV(new KeyParameter(zeroKey), zeroNonce));
    }

    private ParametersWithIV nextNonce(final long packetNumber)
    {
        final ParametersWithIV parameters = nonceParameters[nonceTurn];
        nonceTurn ^= 1;
        // getIV() returns BouncyCastle's own array, which the next init reads.
        AeadCiphers.nonce(iv, packetNumber, parameters.getIV());
        return parameters;
    }

    private byte[] scratch(final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    private void checkKeyed()
    {
        if (!keyed)
        {
            throw new IllegalStateException("cipher has no key");
        }
    }
}
