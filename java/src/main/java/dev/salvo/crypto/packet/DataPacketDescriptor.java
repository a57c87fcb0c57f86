/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import dev.salvo.crypto.aead.AeadAlgorithm;

/**
 * Layout of a data packet (docs/PROTOCOL.md §3):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |0 1|K|R R R|L L|          receiver session id (32)           ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  ...             | truncated packet number (8, 16, 24 or 32)   ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  AEAD ciphertext of the payload             ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      tag (128)                                |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * K = key phase, RRR = reserved (sent as zero, authenticated, ignored on receipt), LL = packet-number
 * length minus one. Everything before the ciphertext is the AEAD associated data.
 */
public final class DataPacketDescriptor
{
    /** Mask of the two type bits of byte 0. */
    public static final int TYPE_MASK = 0xC0;

    /** Value of the type bits for a data packet. */
    public static final int TYPE_DATA = 0x40;

    /** Key phase bit of byte 0. */
    public static final int KEY_PHASE_BIT = 0x20;

    /** Reserved bits of byte 0. */
    public static final int RESERVED_MASK = 0x1C;

    /** Shift of the reserved bits. */
    public static final int RESERVED_SHIFT = 2;

    /** Packet-number length minus one, in the low two bits of byte 0. */
    public static final int PACKET_NUMBER_LENGTH_MASK = 0x03;

    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 0;

    /** Offset of the 4-byte receiver session id. */
    public static final int SESSION_ID_OFFSET = 1;

    /** Length of the receiver session id. */
    public static final int SESSION_ID_LENGTH = 4;

    /** Offset of the truncated packet number. */
    public static final int PACKET_NUMBER_OFFSET = SESSION_ID_OFFSET + SESSION_ID_LENGTH;

    /** Shortest truncated packet number. */
    public static final int MIN_PACKET_NUMBER_LENGTH = 1;

    /** Longest truncated packet number. */
    public static final int MAX_PACKET_NUMBER_LENGTH = 4;

    /** Shortest header. */
    public static final int MIN_HEADER_LENGTH = PACKET_NUMBER_OFFSET + MIN_PACKET_NUMBER_LENGTH;

    /** Longest header. */
    public static final int MAX_HEADER_LENGTH = PACKET_NUMBER_OFFSET + MAX_PACKET_NUMBER_LENGTH;

    /** Authentication tag length. */
    public static final int TAG_LENGTH = AeadAlgorithm.TAG_LENGTH;

    /** Shortest valid data packet: shortest header, empty payload, tag. */
    public static final int MIN_PACKET_LENGTH = MIN_HEADER_LENGTH + TAG_LENGTH;

    /** Largest packet number a sender may use; it refuses to seal beyond it rather than wrap. */
    public static final long MAX_PACKET_NUMBER = (1L << 62) - 1;

    private DataPacketDescriptor()
    {
    }

    /**
     * @param packetNumberLength 1 to 4.
     * @return the header length for that packet-number length.
     */
    public static int headerLength(final int packetNumberLength)
    {
        return PACKET_NUMBER_OFFSET + packetNumberLength;
    }

    /**
     * @param flags byte 0.
     * @return the packet-number length it announces.
     */
    public static int packetNumberLength(final int flags)
    {
        return (flags & PACKET_NUMBER_LENGTH_MASK) + 1;
    }

    /**
     * @param packetLength a packet's total length.
     * @param headerLength its header length.
     * @return the plaintext payload length.
     */
    public static int payloadLength(final int packetLength, final int headerLength)
    {
        return packetLength - headerLength - TAG_LENGTH;
    }

    /**
     * @param headerLength  header length.
     * @param payloadLength payload length.
     * @return the sealed packet's total length.
     */
    public static int packetLength(final int headerLength, final int payloadLength)
    {
        return headerLength + payloadLength + TAG_LENGTH;
    }
}
