/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import java.nio.ByteBuffer;

/**
 * One direction's AEAD with one key, working in place on a packet laid out as
 * {@code [header (associated data)][payload][16-byte tag]}.
 *
 * <p>The nonce is the static IV XOR the 64-bit packet number, right-aligned (as TLS 1.3 and QUIC):
 * callers pass packet numbers, never nonces. An instance is single-threaded and is re-keyed with
 * {@link #init(byte[], byte[])} on every key update so no cipher object is allocated per update.
 * Offsets are absolute indices into the buffer; the buffer's position and limit are not used.
 */
public interface AeadCipher
{
    /** @return the algorithm this cipher implements. */
    AeadAlgorithm algorithm();

    /**
     * Installs a new key and static IV (both copied or consumed; the caller may wipe them).
     *
     * @param key {@link AeadAlgorithm#keyLength()} bytes.
     * @param iv  {@link AeadAlgorithm#NONCE_LENGTH} bytes.
     */
    void init(byte[] key, byte[] iv);

    /**
     * Encrypts {@code payloadLength} bytes at {@code offset + headerLength} in place and writes the
     * tag right after them. The header bytes are the associated data.
     *
     * @param packetNumber  the packet number the nonce is derived from; never reused under one key.
     * @param buffer        direct or heap buffer holding the packet.
     * @param offset        index of the first header byte.
     * @param headerLength  number of header bytes.
     * @param payloadLength number of plaintext bytes; the buffer must have {@link AeadAlgorithm#TAG_LENGTH}
     *                      more bytes after them.
     */
    void seal(long packetNumber, ByteBuffer buffer, int offset, int headerLength, int payloadLength);

    /**
     * Authenticates and decrypts in place; the plaintext ends up at {@code offset + headerLength}.
     * On failure the payload bytes are unspecified.
     *
     * @param packetNumber     the packet number the sender sealed with.
     * @param buffer           direct or heap buffer holding the packet.
     * @param offset           index of the first header byte.
     * @param headerLength     number of header bytes.
     * @param ciphertextLength payload plus tag length, at least {@link AeadAlgorithm#TAG_LENGTH}.
     * @return true if the tag verified.
     */
    boolean open(long packetNumber, ByteBuffer buffer, int offset, int headerLength, int ciphertextLength);

    /** Best-effort removal of key material; the cipher must be {@link #init(byte[], byte[]) re-keyed} before use. */
    void destroy();
}
