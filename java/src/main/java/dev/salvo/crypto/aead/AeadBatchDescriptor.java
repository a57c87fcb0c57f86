/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

/**
 * Layout of one record of an {@link AeadBatch} table, the contract with the native shim ({@code native/salvo.h},
 * {@code SALVO_AEAD_ENTRY_*}; checked when the native AEAD loads). Fields are in native byte order:
 * <pre>
 *   0  int64 packet number (XORed into the key's static IV to form the nonce)
 *   8  int32 offset of the packet's first header byte in the data buffer
 *  12  int32 header length: the associated data
 *  16  int32 seal: plaintext length (16 bytes of room must follow); open: ciphertext length including the tag
 *  20  int32 key index: which of the call's keys (seal: 0; open: 0, 1 or 2)
 *  24  int32 result, written by the shim: {@link #RESULT_OK} or {@link #RESULT_AUTH_FAILED}
 *  28  reserved
 * </pre>
 */
public final class AeadBatchDescriptor
{
    /** Offset of the packet number. */
    public static final int PACKET_NUMBER_OFFSET = 0;

    /** Offset of the packet offset. */
    public static final int PACKET_OFFSET_OFFSET = 8;

    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET = 12;

    /** Offset of the plaintext (seal) or ciphertext (open) length. */
    public static final int LENGTH_OFFSET = 16;

    /** Offset of the key index. */
    public static final int KEY_INDEX_OFFSET = 20;

    /** Offset of the result. */
    public static final int RESULT_OFFSET = 24;

    /** Length of one record. */
    public static final int ENTRY_LENGTH = 32;

    /** Most records one native call accepts. */
    public static final int MAX_ENTRIES = 65536;

    /** Result: sealed, or authenticated and decrypted. */
    public static final int RESULT_OK = 0;

    /** Result: the tag did not verify; the ciphertext is left as it was (the shim restores it). */
    public static final int RESULT_AUTH_FAILED = 1;

    private AeadBatchDescriptor()
    {
    }
}
