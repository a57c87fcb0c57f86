/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes frames in place (docs/PROTOCOL.md §5). Every method writes at {@code offset} and returns
 * the number of bytes written; the caller has checked the space with the matching
 * {@code ...Length} method, except {@link #putAck} which fits itself into the space it is given.
 * Nothing here allocates.
 */
public final class FrameWriter
{
    private FrameWriter()
    {
    }

    /** Writes {@code length} PADDING bytes (zeros). */
    public static int putPadding(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.setMemory(offset, length, (byte)0);
        return length;
    }

    /** Writes a PING frame (1 byte). */
    public static int putPing(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)FrameType.PING);
        return 1;
    }

    /**
     * Writes an ACK frame for the given ranges, dropping the lowest ranges that do not fit in
     * {@code maxLength}.
     *
     * @param rangeLargest  largest packet number of each range, descending, ranges disjoint and
     *                      separated by at least one missing packet number.
     * @param rangeSmallest smallest packet number of each range.
     * @param rangeCount    number of ranges (≥ 1); at most {@link FrameType#MAX_ACK_RANGES} + 1 are written.
     * @param ackDelayMicros time between receiving the largest packet and sending this ACK.
     * @return bytes written, or 0 if not even the first range fits.
     */
    public static int putAck(
        final MutableDirectBuffer buffer,
        final int offset,
        final int maxLength,
        final long[] rangeLargest,
        final long[] rangeSmallest,
        final int rangeCount,
        final long ackDelayMicros)
    {
        final long largest = rangeLargest[0];
        final long firstRange = largest - rangeSmallest[0];
        final long delay = Math.min(Math.max(ackDelayMicros, 0), VarInt.MAX_4_BYTES);
        final int maxExtra = Math.min(rangeCount - 1, FrameType.MAX_ACK_RANGES);

        int extra = 0;
        int length = 1 + VarInt.length(largest) + VarInt.length(delay) + VarInt.length(firstRange);
        int extraLength = 0;
        for (int i = 1; i <= maxExtra; i++)
        {
            final long gap = rangeSmallest[i - 1] - rangeLargest[i] - 2;
            final long range = rangeLargest[i] - rangeSmallest[i];
            final int pairLength = VarInt.length(gap) + VarInt.length(range);
            final int countLengthAfter = VarInt.length(i);
            if (length + extraLength + pairLength + countLengthAfter > maxLength)
            {
                break;
            }
            extraLength += pairLength;
            extra = i;
        }
        if (length + VarInt.length(extra) + extraLength > maxLength)
        {
            return 0;
        }

        int p = offset;
        buffer.putByte(p++, (byte)FrameType.ACK);
        p += VarInt.put(buffer, p, largest);
        p += VarInt.put(buffer, p, delay);
        p += VarInt.put(buffer, p, extra);
        p += VarInt.put(buffer, p, firstRange);
        for (int i = 1; i <= extra; i++)
        {
            p += VarInt.put(buffer, p, rangeSmallest[i - 1] - rangeLargest[i] - 2);
            p += VarInt.put(buffer, p, rangeLargest[i] - rangeSmallest[i]);
        }
        return p - offset;
    }

    /** @return the length of a CLOSE frame with a reason of {@code reasonLength} bytes. */
    public static int closeLength(final long errorCode, final int reasonLength)
    {
        return 1 + VarInt.length(errorCode) + VarInt.length(reasonLength) + reasonLength;
    }

    /** Writes a CLOSE frame; the reason is UTF-8 of at most {@link FrameType#MAX_CLOSE_REASON_LENGTH} bytes. */
    public static int putClose(
        final MutableDirectBuffer buffer,
        final int offset,
        final long errorCode,
        final DirectBuffer reason,
        final int reasonOffset,
        final int reasonLength)
    {
        if (reasonLength > FrameType.MAX_CLOSE_REASON_LENGTH)
        {
            throw new IllegalArgumentException("close reason too long: " + reasonLength);
        }
        int p = offset;
        buffer.putByte(p++, (byte)FrameType.CLOSE);
        p += VarInt.put(buffer, p, errorCode);
        p += VarInt.put(buffer, p, reasonLength);
        if (reasonLength > 0)
        {
            buffer.putBytes(p, reason, reasonOffset, reasonLength);
        }
        return p + reasonLength - offset;
    }

    /** @return the length of a MAX_DATA or DATA_BLOCKED frame carrying {@code value}. */
    public static int limitFrameLength(final long value)
    {
        return 1 + VarInt.length(value);
    }

    /** Writes a MAX_DATA frame. */
    public static int putMaxData(final MutableDirectBuffer buffer, final int offset, final long maxData)
    {
        buffer.putByte(offset, (byte)FrameType.MAX_DATA);
        return 1 + VarInt.put(buffer, offset + 1, maxData);
    }

    /** Writes a DATA_BLOCKED frame. */
    public static int putDataBlocked(final MutableDirectBuffer buffer, final int offset, final long limit)
    {
        buffer.putByte(offset, (byte)FrameType.DATA_BLOCKED);
        return 1 + VarInt.put(buffer, offset + 1, limit);
    }

    /** @return the length of a MESSAGE_CANCEL frame. */
    public static int cancelLength(final long messageId, final long finalSize)
    {
        return 1 + VarInt.length(messageId) + VarInt.length(finalSize);
    }

    /** Writes a MESSAGE_CANCEL frame. */
    public static int putCancel(
        final MutableDirectBuffer buffer, final int offset, final long messageId, final long finalSize)
    {
        int p = offset;
        buffer.putByte(p++, (byte)FrameType.MESSAGE_CANCEL);
        p += VarInt.put(buffer, p, messageId);
        p += VarInt.put(buffer, p, finalSize);
        return p - offset;
    }

    /** @return the length of a MAX_MESSAGE_DATA or MESSAGE_DATA_BLOCKED frame. */
    public static int messageLimitFrameLength(final long messageId, final long limit)
    {
        return 1 + VarInt.length(messageId) + VarInt.length(limit);
    }

    /** Writes a MAX_MESSAGE_DATA frame: the peer may send message {@code messageId} up to offset {@code limit}. */
    public static int putMaxMessageData(
        final MutableDirectBuffer buffer, final int offset, final long messageId, final long limit)
    {
        return putMessageLimit(buffer, offset, FrameType.MAX_MESSAGE_DATA, messageId, limit);
    }

    /** Writes a MESSAGE_DATA_BLOCKED frame: message {@code messageId} waits on limit {@code limit}. */
    public static int putMessageDataBlocked(
        final MutableDirectBuffer buffer, final int offset, final long messageId, final long limit)
    {
        return putMessageLimit(buffer, offset, FrameType.MESSAGE_DATA_BLOCKED, messageId, limit);
    }

    private static int putMessageLimit(
        final MutableDirectBuffer buffer, final int offset, final int type, final long messageId, final long limit)
    {
        int p = offset;
        buffer.putByte(p++, (byte)type);
        p += VarInt.put(buffer, p, messageId);
        p += VarInt.put(buffer, p, limit);
        return p - offset;
    }

    /**
     * @param flags MESSAGE flags ({@link FrameType#MESSAGE_FLAG_MULTI}, {@code _LENGTH}, {@code _ORDERED}).
     * @return the length of a MESSAGE frame header (everything but the data).
     */
    public static int messageHeaderLength(
        final int flags, final long messageId, final long fragmentOffset, final long totalLength, final int length)
    {
        int n = 1 + VarInt.length(messageId);
        if ((flags & FrameType.MESSAGE_FLAG_MULTI) != 0)
        {
            n += VarInt.length(fragmentOffset) + VarInt.length(totalLength);
        }
        if ((flags & FrameType.MESSAGE_FLAG_LENGTH) != 0)
        {
            n += VarInt.length(length);
        }
        return n;
    }

    /**
     * Writes a MESSAGE frame header; the caller writes {@code length} data bytes right after it.
     *
     * @return the header length.
     */
    public static int putMessageHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int flags,
        final long messageId,
        final long fragmentOffset,
        final long totalLength,
        final int length)
    {
        int p = offset;
        buffer.putByte(p++, (byte)(FrameType.MESSAGE | (flags & 0x07)));
        p += VarInt.put(buffer, p, messageId);
        if ((flags & FrameType.MESSAGE_FLAG_MULTI) != 0)
        {
            p += VarInt.put(buffer, p, fragmentOffset);
            p += VarInt.put(buffer, p, totalLength);
        }
        if ((flags & FrameType.MESSAGE_FLAG_LENGTH) != 0)
        {
            p += VarInt.put(buffer, p, length);
        }
        return p - offset;
    }
}
