/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two most significant bits of the first byte
 * give the encoded length (00 → 1, 01 → 2, 10 → 4, 11 → 8 bytes), the remaining bits hold the
 * value in network byte order. Values range from 0 to 2^62 − 1.
 *
 * <p>Encoding always uses the shortest form. Decoding accepts any form (RFC 9000 does not require
 * the shortest one). Callers check bounds with {@link #encodedLength(byte)} before
 * {@link #get(DirectBuffer, int)}.
 */
public final class VarInt
{
    /** Largest value a variable-length integer can hold: 2^62 − 1. */
    public static final long MAX_VALUE = (1L << 62) - 1;

    /** Largest value that encodes in one byte. */
    public static final long MAX_1_BYTE = 63;

    /** Largest value that encodes in two bytes. */
    public static final long MAX_2_BYTES = 16_383;

    /** Largest value that encodes in four bytes. */
    public static final long MAX_4_BYTES = 1_073_741_823;

    private VarInt()
    {
    }

    /**
     * @param value a value in [0, {@link #MAX_VALUE}].
     * @return the number of bytes the shortest encoding of {@code value} takes (1, 2, 4 or 8).
     * @throws IllegalArgumentException if the value is out of range.
     */
    public static int length(final long value)
    {
        if (value < 0 || value > MAX_VALUE)
        {
            throw new IllegalArgumentException("varint out of range: " + value);
        }
        if (value <= MAX_1_BYTE)
        {
            return 1;
        }
        if (value <= MAX_2_BYTES)
        {
            return 2;
        }
        if (value <= MAX_4_BYTES)
        {
            return 4;
        }
        return 8;
    }

    /**
     * @param firstByte the first byte of an encoded varint.
     * @return the total encoded length in bytes (1, 2, 4 or 8).
     */
    public static int encodedLength(final byte firstByte)
    {
        return 1 << ((firstByte & 0xC0) >>> 6);
    }

    /**
     * Writes {@code value} in its shortest form.
     *
     * @return the number of bytes written.
     */
    public static int put(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        final int length = length(value);
        switch (length)
        {
            case 1:
                buffer.putByte(offset, (byte)value);
                break;
            case 2:
                buffer.putByte(offset, (byte)(0x40 | (value >>> 8)));
                buffer.putByte(offset + 1, (byte)value);
                break;
            case 4:
                buffer.putInt(offset, (int)(0x8000_0000L | value), java.nio.ByteOrder.BIG_ENDIAN);
                break;
            default:
                buffer.putLong(offset, 0xC000_0000_0000_0000L | value, java.nio.ByteOrder.BIG_ENDIAN);
                break;
        }
        return length;
    }

    /**
     * Writes {@code value} in exactly {@code length} bytes (1, 2, 4 or 8), e.g. to patch a field whose
     * space was reserved before its value was known.
     *
     * @throws IllegalArgumentException if the value does not fit in {@code length} bytes.
     */
    public static void putFixed(final MutableDirectBuffer buffer, final int offset, final long value, final int length)
    {
        if (length(value) > length)
        {
            throw new IllegalArgumentException("varint " + value + " does not fit in " + length + " bytes");
        }
        switch (length)
        {
            case 1:
                buffer.putByte(offset, (byte)value);
                break;
            case 2:
                buffer.putShort(offset, (short)(0x4000 | value), java.nio.ByteOrder.BIG_ENDIAN);
                break;
            case 4:
                buffer.putInt(offset, (int)(0x8000_0000L | value), java.nio.ByteOrder.BIG_ENDIAN);
                break;
            case 8:
                buffer.putLong(offset, 0xC000_0000_0000_0000L | value, java.nio.ByteOrder.BIG_ENDIAN);
                break;
            default:
                throw new IllegalArgumentException("varint length must be 1, 2, 4 or 8: " + length);
        }
    }

    /**
     * Reads a varint. The caller has checked that {@link #encodedLength(byte)} bytes are available.
     *
     * @return the decoded value in [0, {@link #MAX_VALUE}].
     */
    public static long get(final DirectBuffer buffer, final int offset)
    {
        final byte first = buffer.getByte(offset);
        switch ((first & 0xC0) >>> 6)
        {
            case 0:
                return first & 0x3F;
            case 1:
                return buffer.getShort(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0x3FFF;
            case 2:
                return buffer.getInt(offset, java.nio.ByteOrder.BIG_ENDIAN) & 0x3FFF_FFFFL;
            default:
                return buffer.getLong(offset, java.nio.ByteOrder.BIG_ENDIAN) & MAX_VALUE;
        }
    }
}
