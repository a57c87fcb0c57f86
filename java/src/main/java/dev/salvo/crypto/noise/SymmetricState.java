/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Noise SymmetricState (spec §5.2): the chaining key {@code ck}, the handshake hash {@code h} and
 * a {@link CipherState}. Allocation-free after construction. Not thread-safe.
 */
public final class SymmetricState
{
    private static final byte[] EMPTY = new byte[0];

    private final HashFunction hash;
    private final Hmac hmac;
    private final CipherState cipherState;
    private final int hashLength;
    private final byte[] chainingKey;
    private final byte[] handshakeHash;
    private final byte[] tempKey;
    private final byte[] output1;
    private final byte[] output2;
    private final byte[] output3;

    /**
     * InitializeSymmetric(protocol_name).
     *
     * @param protocolName the full Noise protocol name.
     * @param cipher       cipher function for the handshake's CipherState (owned from now on).
     * @param hash         hash function (owned from now on).
     * @param hmacHash     a second instance of the hash function for HMAC (owned from now on).
     */
    public SymmetricState(
        final String protocolName, final CipherFunction cipher, final HashFunction hash, final HashFunction hmacHash)
    {
        this.hash = hash;
        this.hmac = new Hmac(hmacHash);
        this.cipherState = new CipherState(cipher);
        hashLength = hash.hashLength();
        chainingKey = new byte[hashLength];
        handshakeHash = new byte[hashLength];
        tempKey = new byte[hashLength];
        output1 = new byte[hashLength];
        output2 = new byte[hashLength];
        output3 = new byte[hashLength];

        final byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        if (name.length <= hashLength)
        {
            System.arraycopy(name, 0, handshakeHash, 0, name.length);
        }
        else
        {
            hash.update(name, 0, name.length);
            hash.digest(handshakeHash, 0);
        }
        System.arraycopy(handshakeHash, 0, chainingKey, 0, hashLength);
        cipherState.initializeKey(null, 0);
    }

    /** @return HASHLEN. */
    public int hashLength()
    {
        return hashLength;
    }

    /** @return the CipherState this object encrypts with. */
    public CipherState cipherState()
    {
        return cipherState;
    }

    /**
     * MixKey(input_key_material).
     */
    public void mixKey(final byte[] ikm, final int offset, final int length)
    {
        hkdf(ikm, offset, length, 2);
        System.arraycopy(output1, 0, chainingKey, 0, hashLength);
        cipherState.initializeKey(output2, 0);
    }

    /**
     * MixHash(data): h = HASH(h || data).
     */
    public void mixHash(final byte[] data, final int offset, final int length)
    {
        hash.update(handshakeHash, 0, hashLength);
        hash.update(data, offset, length);
        hash.digest(handshakeHash, 0);
    }

    /**
     * MixKeyAndHash(input_key_material), used for PSKs.
     */
    public void mixKeyAndHash(final byte[] ikm, final int offset, final int length)
    {
        hkdf(ikm, offset, length, 3);
        System.arraycopy(output1, 0, chainingKey, 0, hashLength);
        mixHash(output2, 0, hashLength);
        cipherState.initializeKey(output3, 0);
    }

    /**
     * Copies the handshake hash {@code h}.
     *
     * @param out    destination of HASHLEN bytes.
     * @param offset offset in {@code out}.
     */
    public void handshakeHash(final byte[] out, final int offset)
    {
        System.arraycopy(handshakeHash, 0, out, offset, hashLength);
    }

    /**
     * EncryptAndHash(plaintext). {@code in} and {@code out} may be the same region.
     *
     * @return bytes written.
     */
    public int encryptAndHash(
        final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        throws NoiseException
    {
        final int written = cipherState.encryptWithAd(
            handshakeHash, 0, hashLength, in, inOffset, length, out, outOffset);
        mixHash(out, outOffset, written);
        return written;
    }

    /**
     * DecryptAndHash(ciphertext). {@code in} and {@code out} must not overlap: the ciphertext is
     * hashed after decryption.
     *
     * @return bytes written.
     */
    public int decryptAndHash(
        final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
        throws NoiseException
    {
        final int written = cipherState.decryptWithAd(
            handshakeHash, 0, hashLength, in, inOffset, length, out, outOffset);
        mixHash(in, inOffset, length);
        return written;
    }

    /**
     * Split(): derives the two transport keys.
     *
     * @param key1 destination of the first 32-byte key (initiator to responder).
     * @param key2 destination of the second 32-byte key (responder to initiator).
     */
    public void split(final byte[] key1, final byte[] key2)
    {
        hkdf(EMPTY, 0, 0, 2);
        System.arraycopy(output1, 0, key1, 0, CipherFunction.KEY_LENGTH);
        System.arraycopy(output2, 0, key2, 0, CipherFunction.KEY_LENGTH);
        Arrays.fill(output1, (byte)0);
        Arrays.fill(output2, (byte)0);
    }

    /** Overwrites all secret state. */
    public void destroy()
    {
        Arrays.fill(chainingKey, (byte)0);
        Arrays.fill(tempKey, (byte)0);
        Arrays.fill(output1, (byte)0);
        Arrays.fill(output2, (byte)0);
        Arrays.fill(output3, (byte)0);
        cipherState.destroy();
        hmac.destroy();
    }

    private void hkdf(final byte[] ikm, final int offset, final int length, final int outputs)
    {
        hmac.init(chainingKey, 0, hashLength);
        hmac.start();
        hmac.update(ikm, offset, length);
        hmac.finish(tempKey, 0);

        hmac.init(tempKey, 0, hashLength);
        hmac.start();
        hmac.update((byte)0x01);
        hmac.finish(output1, 0);

        hmac.start();
        hmac.update(output1, 0, hashLength);
        hmac.update((byte)0x02);
        hmac.finish(output2, 0);

        if (3 == outputs)
        {
            hmac.start();
            hmac.update(output2, 0, hashLength);
            hmac.update((byte)0x03);
            hmac.finish(output3, 0);
        }
        Arrays.fill(tempKey, (byte)0);
    }
}
