/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

import org.agrona.DirectBuffer;

/**
 * Decodes the frames of one packet's plaintext in place, one at a time, without allocating
 * (docs/PROTOCOL.md §5). A flyweight: after {@link #next()} returns a frame type, the fields of that
 * frame are readable until the next call.
 *
 * <p>On arbitrary bytes the reader never throws: malformed input makes {@link #next()} return
 * {@link #MALFORMED} and {@link #error()} say why (a constant string). A packet containing a
 * malformed frame must be rejected as a whole (error code {@link ErrorCode#FRAME_ENCODING_ERROR}).
 */
public final class FrameReader
{
    /** {@link #next()} result: no more frames in the packet. */
    public static final int END = -1;

    /** {@link #next()} result: the frame at the current position is malformed; see {@link #error()}. */
    public static final int MALFORMED = -2;

    private DirectBuffer buffer;
    private int position;
    private int limit;
    private String error;

    private long ackLargest;
    private long ackDelayMicros;
    private int ackRangeCount;
    private final long[] ackRangeLargest = new long[FrameType.MAX_ACK_RANGES + 1];
    private final long[] ackRangeSmallest = new long[FrameType.MAX_ACK_RANGES + 1];

    private long errorCode;
    private int reasonOffset;
    private int reasonLength;

    private long limitValue;

    private int messageFlags;
    private long messageId;
    private long messageOffset;
    private long messageTotalLength;
    private int messageDataOffset;
    private int messageDataLength;

    /**
     * Starts reading the plaintext at {@code [offset, offset + length)} of {@code buffer}.
     *
     * @return this reader.
     */
    public FrameReader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException("range outside buffer: offset=" + offset + " length=" + length);
        }
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.error = null;
        return this;
    }

    /** @return the position of the next frame to decode. */
    public int position()
    {
        return position;
    }

    /** @return why the last {@link #next()} returned {@link #MALFORMED}, or null. */
    public String error()
    {
        return error;
    }

    /**
     * Decodes the next frame.
     *
     * @return the frame type ({@link FrameType}; for MESSAGE frames the full type byte 0x10–0x17),
     * {@link #END} when the packet is exhausted, or {@link #MALFORMED}.
     */
    public int next()
    {
        if (error != null)
        {
            return MALFORMED;
        }
        if (position >= limit)
        {
            return END;
        }
        final int type = buffer.getByte(position) & 0xFF;
        position++;
        switch (type)
        {
            case FrameType.PADDING:
                while (position < limit && buffer.getByte(position) == 0)
                {
                    position++;
                }
                return type;
            case FrameType.PING:
                return type;
            case FrameType.ACK:
                return readAck();
            case FrameType.CLOSE:
                return readClose();
            case FrameType.MAX_DATA:
            case FrameType.DATA_BLOCKED:
                limitValue = readVarInt();
                return error == null ? type : MALFORMED;
            case FrameType.MESSAGE_CANCEL:
            case FrameType.MAX_MESSAGE_DATA:
            case FrameType.MESSAGE_DATA_BLOCKED:
                messageId = readVarInt();
                limitValue = readVarInt();
                return error == null ? type : MALFORMED;
            default:
                if (FrameType.isMessage(type))
                {
                    return readMessage(type);
                }
                return fail("unknown frame type");
        }
    }

    private int readAck()
    {
        final long largest = readVarInt();
        final long delay = readVarInt();
        final long count = readVarInt();
        final long firstRange = readVarInt();
        if (error != null)
        {
            return MALFORMED;
        }
        if (count > FrameType.MAX_ACK_RANGES)
        {
            return fail("too many ACK ranges");
        }
        if (firstRange > largest)
        {
            return fail("ACK first range below packet number 0");
        }
        ackLargest = largest;
        ackDelayMicros = delay;
        ackRangeLargest[0] = largest;
        long smallest = largest - firstRange;
        ackRangeSmallest[0] = smallest;
        final int n = (int)count;
        for (int i = 1; i <= n; i++)
        {
            final long gap = readVarInt();
            final long range = readVarInt();
            if (error != null)
            {
                return MALFORMED;
            }
            final long rangeLargest = smallest - gap - 2;
            if (rangeLargest < 0 || gap > smallest)
            {
                return fail("ACK gap below packet number 0");
            }
            if (range > rangeLargest)
            {
                return fail("ACK range below packet number 0");
            }
            smallest = rangeLargest - range;
            ackRangeLargest[i] = rangeLargest;
            ackRangeSmallest[i] = smallest;
        }
        ackRangeCount = n + 1;
        return FrameType.ACK;
    }

    private int readClose()
    {
        errorCode = readVarInt();
        final long length = readVarInt();
        if (error != null)
        {
            return MALFORMED;
        }
        if (length > FrameType.MAX_CLOSE_REASON_LENGTH || length > limit - position)
        {
            return fail("CLOSE reason length out of range");
        }
        reasonOffset = position;
        reasonLength = (int)length;
        position += reasonLength;
        return FrameType.CLOSE;
    }

    private int readMessage(final int type)
    {
        final int flags = type & 0x07;
        messageFlags = flags;
        messageId = readVarInt();
        if ((flags & FrameType.MESSAGE_FLAG_MULTI) != 0)
        {
            messageOffset = readVarInt();
            messageTotalLength = readVarInt();
        }
        else
        {
            messageOffset = 0;
        }
        final long length;
        if ((flags & FrameType.MESSAGE_FLAG_LENGTH) != 0)
        {
            length = readVarInt();
            if (error != null)
            {
                return MALFORMED;
            }
            if (length > limit - position)
            {
                return fail("MESSAGE length beyond packet end");
            }
        }
        else
        {
            if (error != null)
            {
                return MALFORMED;
            }
            length = limit - position;
        }
        if ((flags & FrameType.MESSAGE_FLAG_MULTI) != 0)
        {
            if (messageOffset > messageTotalLength || length > messageTotalLength - messageOffset)
            {
                return fail("MESSAGE fragment beyond total length");
            }
        }
        else
        {
            messageTotalLength = length;
        }
        messageDataOffset = position;
        messageDataLength = (int)length;
        position += messageDataLength;
        return type;
    }

    private long readVarInt()
    {
        if (error != null)
        {
            return 0;
        }
        if (position >= limit)
        {
            fail("truncated varint");
            return 0;
        }
        final int length = VarInt.encodedLength(buffer.getByte(position));
        if (length > limit - position)
        {
            fail("truncated varint");
            return 0;
        }
        final long value = VarInt.get(buffer, position);
        position += length;
        return value;
    }

    private int fail(final String reason)
    {
        error = reason;
        return MALFORMED;
    }

    /** @return ACK: the largest packet number acknowledged. */
    public long ackLargest()
    {
        return ackLargest;
    }

    /** @return ACK: the peer's delay between receiving the largest packet and sending the ACK, in µs. */
    public long ackDelayMicros()
    {
        return ackDelayMicros;
    }

    /** @return ACK: number of ranges (first range included), 1 to {@link FrameType#MAX_ACK_RANGES} + 1. */
    public int ackRangeCount()
    {
        return ackRangeCount;
    }

    /** @return ACK: largest packet number of range {@code i} (ranges are descending). */
    public long ackRangeLargest(final int i)
    {
        return ackRangeLargest[i];
    }

    /** @return ACK: smallest packet number of range {@code i}. */
    public long ackRangeSmallest(final int i)
    {
        return ackRangeSmallest[i];
    }

    /** @return CLOSE: error code. */
    public long closeErrorCode()
    {
        return errorCode;
    }

    /** @return CLOSE: offset of the reason bytes in the wrapped buffer. */
    public int closeReasonOffset()
    {
        return reasonOffset;
    }

    /** @return CLOSE: length of the reason bytes. */
    public int closeReasonLength()
    {
        return reasonLength;
    }

    /** @return MAX_DATA / DATA_BLOCKED / MAX_MESSAGE_DATA / MESSAGE_DATA_BLOCKED: the limit; MESSAGE_CANCEL: the final size. */
    public long limitValue()
    {
        return limitValue;
    }

    /** @return MESSAGE: flag bits ({@link FrameType#MESSAGE_FLAG_ORDERED} ...). */
    public int messageFlags()
    {
        return messageFlags;
    }

    /** @return MESSAGE / MESSAGE_CANCEL / MAX_MESSAGE_DATA / MESSAGE_DATA_BLOCKED: message id. */
    public long messageId()
    {
        return messageId;
    }

    /** @return MESSAGE: offset of this fragment within the message. */
    public long messageOffset()
    {
        return messageOffset;
    }

    /** @return MESSAGE: total message length in bytes. */
    public long messageTotalLength()
    {
        return messageTotalLength;
    }

    /** @return MESSAGE: offset of the fragment's data in the wrapped buffer. */
    public int messageDataOffset()
    {
        return messageDataOffset;
    }

    /** @return MESSAGE: length of the fragment's data. */
    public int messageDataLength()
    {
        return messageDataLength;
    }

    /** @return MESSAGE: whether the message is delivered in order. */
    public boolean messageOrdered()
    {
        return (messageFlags & FrameType.MESSAGE_FLAG_ORDERED) != 0;
    }

    /** @return MESSAGE: whether this fragment is the whole message. */
    public boolean messageSingle()
    {
        return (messageFlags & FrameType.MESSAGE_FLAG_MULTI) == 0;
    }
}
