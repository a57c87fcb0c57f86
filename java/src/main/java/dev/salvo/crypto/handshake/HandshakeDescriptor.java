/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * Byte layout of Salvo's handshake datagrams (docs/PROTOCOL.md §2). All integers big-endian.
 *
 * <pre>
 * Initiation (152 bytes)                 Response (84 bytes)            Cookie reply (64 bytes)
 *   0  type = 0x01                         0  type = 0x02                 0  type = 0x03
 *   1  reserved[3] = 0                     1  reserved[3] = 0             1  reserved[3] = 0
 *   4  sender index (u32)                  4  sender index (u32)          4  receiver index (u32)
 *   8  Noise message 1 (112):             8  receiver index (u32)        8  nonce[24]
 *        e[32] | s[32+16] | payload[16+16] 12 Noise message 2 (56):      32  cookie[16] + tag[16]
 * 120  mac1[16]                               e[32] | payload[8+16]
 * 136  mac2[16]                           68  mac1[16]
 * </pre>
 */
public final class HandshakeDescriptor
{
    /** Noise protocol the handshake runs. */
    public static final String PROTOCOL_NAME = "Noise_IK_25519_AESGCM_SHA256";

    /** Prologue bound into the handshake hash: the Salvo handshake protocol and its version. */
    public static final String PROLOGUE_TEXT = "salvo/1";

    /** {@link #PROLOGUE_TEXT} as bytes. */
    static final byte[] PROLOGUE = PROLOGUE_TEXT.getBytes(StandardCharsets.US_ASCII);

    /** Offset of the type byte in every datagram. */
    public static final int TYPE_OFFSET = 0;
    /** Type byte of an initiation. */
    public static final byte TYPE_INITIATION = 0x01;
    /** Type byte of a response. */
    public static final byte TYPE_RESPONSE = 0x02;
    /** Type byte of a cookie reply. */
    public static final byte TYPE_COOKIE_REPLY = 0x03;
    /** Length of the type byte plus the reserved bytes that follow it. */
    public static final int HEADER_LENGTH = 4;

    /** Length of a MAC1/MAC2 field. */
    public static final int MAC_LENGTH = 16;
    /** Length of a cookie. */
    public static final int COOKIE_LENGTH = 16;
    /** Length of an X25519 public key. */
    public static final int KEY_LENGTH = 32;
    /** Length of an AEAD tag. */
    public static final int TAG_LENGTH = 16;

    /** Initiation: offset of the initiator's sender index. */
    public static final int INITIATION_SENDER_INDEX_OFFSET = 4;
    /** Initiation: offset of the Noise message. */
    public static final int INITIATION_NOISE_OFFSET = 8;
    /** Initiation payload (plaintext): version, options, reserved u16, sender index u32, timestamp u64. */
    public static final int INITIATION_PAYLOAD_LENGTH = 16;
    /** Initiation: length of the Noise message. */
    public static final int INITIATION_NOISE_LENGTH =
        KEY_LENGTH + (KEY_LENGTH + TAG_LENGTH) + (INITIATION_PAYLOAD_LENGTH + TAG_LENGTH);
    /** Initiation: offset of MAC1. */
    public static final int INITIATION_MAC1_OFFSET = INITIATION_NOISE_OFFSET + INITIATION_NOISE_LENGTH;
    /** Initiation: offset of MAC2. */
    public static final int INITIATION_MAC2_OFFSET = INITIATION_MAC1_OFFSET + MAC_LENGTH;
    /** Initiation: total length. */
    public static final int INITIATION_LENGTH = INITIATION_MAC2_OFFSET + MAC_LENGTH;

    /** Initiation payload: offset of the session-protocol version. */
    public static final int PAYLOAD_VERSION_OFFSET = 0;
    /** Initiation/response payload: offset of the options byte. */
    public static final int PAYLOAD_OPTIONS_OFFSET = 1;
    /** Initiation/response payload: offset of the reserved u16 (zero). */
    public static final int PAYLOAD_RESERVED_OFFSET = 2;
    /** Initiation/response payload: offset of the sender index, repeated under encryption. */
    public static final int PAYLOAD_SENDER_INDEX_OFFSET = 4;
    /** Initiation payload: offset of the timestamp (u64 nanoseconds since the Unix epoch). */
    public static final int PAYLOAD_TIMESTAMP_OFFSET = 8;

    /** Response: offset of the responder's sender index. */
    public static final int RESPONSE_SENDER_INDEX_OFFSET = 4;
    /** Response: offset of the receiver index (the initiator's sender index). */
    public static final int RESPONSE_RECEIVER_INDEX_OFFSET = 8;
    /** Response: offset of the Noise message. */
    public static final int RESPONSE_NOISE_OFFSET = 12;
    /** Response payload (plaintext): version, options, reserved u16, sender index u32. */
    public static final int RESPONSE_PAYLOAD_LENGTH = 8;
    /** Response: length of the Noise message. */
    public static final int RESPONSE_NOISE_LENGTH = KEY_LENGTH + RESPONSE_PAYLOAD_LENGTH + TAG_LENGTH;
    /** Response: offset of MAC1. */
    public static final int RESPONSE_MAC1_OFFSET = RESPONSE_NOISE_OFFSET + RESPONSE_NOISE_LENGTH;
    /** Response: total length. */
    public static final int RESPONSE_LENGTH = RESPONSE_MAC1_OFFSET + MAC_LENGTH;

    /** Cookie reply: offset of the receiver index (the initiator's sender index). */
    public static final int COOKIE_RECEIVER_INDEX_OFFSET = 4;
    /** Cookie reply: offset of the XChaCha20-Poly1305 nonce. */
    public static final int COOKIE_NONCE_OFFSET = 8;
    /** Cookie reply: nonce length. */
    public static final int COOKIE_NONCE_LENGTH = 24;
    /** Cookie reply: offset of the encrypted cookie and its tag. */
    public static final int COOKIE_ENCRYPTED_OFFSET = COOKIE_NONCE_OFFSET + COOKIE_NONCE_LENGTH;
    /** Cookie reply: total length. */
    public static final int COOKIE_REPLY_LENGTH = COOKIE_ENCRYPTED_OFFSET + COOKIE_LENGTH + TAG_LENGTH;

    /** The session-protocol version this implementation speaks. */
    public static final int SESSION_PROTOCOL_VERSION = 1;

    private HandshakeDescriptor()
    {
    }

    /**
     * Classifies a datagram by its type byte, checking only the length and the reserved bytes.
     *
     * @return {@link #TYPE_INITIATION}, {@link #TYPE_RESPONSE}, {@link #TYPE_COOKIE_REPLY}, or -1 if
     * the datagram is not a well-formed handshake datagram of one of those types.
     */
    public static int handshakeType(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || 0 != buffer.getByte(offset + 1) || 0 != buffer.getByte(offset + 2) ||
            0 != buffer.getByte(offset + 3))
        {
            return -1;
        }
        final byte type = buffer.getByte(offset + TYPE_OFFSET);
        switch (type)
        {
            case TYPE_INITIATION:
                return INITIATION_LENGTH == length ? type : -1;
            case TYPE_RESPONSE:
                return RESPONSE_LENGTH == length ? type : -1;
            case TYPE_COOKIE_REPLY:
                return COOKIE_REPLY_LENGTH == length ? type : -1;
            default:
                return -1;
        }
    }

    /**
     * The receiver index of a response or cookie reply: which of this side's pending handshakes it
     * answers. Valid only when {@link #handshakeType} returned {@link #TYPE_RESPONSE} or
     * {@link #TYPE_COOKIE_REPLY}.
     */
    public static int receiverIndex(final DirectBuffer buffer, final int offset, final int type)
    {
        return TYPE_RESPONSE == type ?
            buffer.getInt(offset + RESPONSE_RECEIVER_INDEX_OFFSET, java.nio.ByteOrder.BIG_ENDIAN) :
            buffer.getInt(offset + COOKIE_RECEIVER_INDEX_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
    }
}
