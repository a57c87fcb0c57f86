/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

/**
 * Layout of a record in a connection's send ring (an Agrona {@code ManyToOneRingBuffer}; application
 * threads write, the I/O thread reads). The ring's message type id is {@link #TYPE_CHUNK} plus the
 * {@link ConnectionCore#FLAG_BEGIN}/{@link ConnectionCore#FLAG_END} flags (a middle chunk has neither, and
 * Agrona type ids must be positive).
 * <pre>
 *   0  message id (int64, native order)
 *   8  whole message length (int64, native order)
 *  16  chunk bytes
 * </pre>
 */
public final class SendRecordDescriptor
{
    /** Base message type id of every record; the low two bits are the chunk's flags. */
    public static final int TYPE_CHUNK = 4;
    /** Mask of the flags in the message type id. */
    public static final int FLAGS_MASK = ConnectionCore.FLAG_BEGIN | ConnectionCore.FLAG_END;

    /** Offset of the message id. */
    public static final int MESSAGE_ID_OFFSET = 0;
    /** Offset of the whole message's length. */
    public static final int MESSAGE_LENGTH_OFFSET = 8;
    /** Offset of the chunk's bytes; also the header length. */
    public static final int DATA_OFFSET = 16;

    private SendRecordDescriptor()
    {
    }
}
