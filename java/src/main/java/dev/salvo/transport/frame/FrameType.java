/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

/**
 * Frame type bytes: the first byte of every frame inside a data packet's plaintext
 * (docs/PROTOCOL.md §5). Any other type byte makes the packet malformed.
 */
public final class FrameType
{
    /** One or more zero bytes; ignored. */
    public static final int PADDING = 0x00;

    /** Elicits an acknowledgement; carries nothing. */
    public static final int PING = 0x01;

    /** Acknowledges ranges of packet numbers. */
    public static final int ACK = 0x02;

    /** Closes the connection with an error code and a reason. */
    public static final int CLOSE = 0x03;

    /** Raises the connection-level limit on message bytes the peer may send. */
    public static final int MAX_DATA = 0x04;

    /** The sender had data to send but was blocked by the peer's MAX_DATA limit. */
    public static final int DATA_BLOCKED = 0x05;

    /** The sender abandoned a message; the receiver discards it and never delivers it. */
    public static final int MESSAGE_CANCEL = 0x06;

    /** Raises the highest offset the peer may send of one message (per-message flow control). */
    public static final int MAX_MESSAGE_DATA = 0x07;

    /** The sender had bytes of one message to send but was blocked by its MAX_MESSAGE_DATA limit. */
    public static final int MESSAGE_DATA_BLOCKED = 0x08;

    /** Base of the MESSAGE fragment types 0x10–0x17; the low three bits are flags. */
    public static final int MESSAGE = 0x10;

    /** MESSAGE flag: the message is delivered in message-id order relative to earlier messages. */
    public static final int MESSAGE_FLAG_ORDERED = 0x01;

    /** MESSAGE flag: an explicit length field is present; without it the data runs to the packet's end. */
    public static final int MESSAGE_FLAG_LENGTH = 0x02;

    /**
     * MESSAGE flag: the message spans several fragments, so the frame carries the fragment's offset
     * and the message's total length. Without it the frame is the whole message (offset 0).
     */
    public static final int MESSAGE_FLAG_MULTI = 0x04;

    /** Mask selecting the MESSAGE type family. */
    public static final int MESSAGE_MASK = 0xF8;

    /** Highest number of additional ACK ranges (gap/length pairs) a valid ACK frame may carry. */
    public static final int MAX_ACK_RANGES = 64;

    /** Longest CLOSE reason in bytes. */
    public static final int MAX_CLOSE_REASON_LENGTH = 1024;

    private FrameType()
    {
    }

    /** @return true if {@code type} is one of the MESSAGE fragment types. */
    public static boolean isMessage(final int type)
    {
        return (type & MESSAGE_MASK) == MESSAGE;
    }

    /** @return true if a packet containing a frame of this type must be acknowledged. */
    public static boolean isAckEliciting(final int type)
    {
        return type != PADDING && type != ACK && type != CLOSE;
    }
}
