/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * Layout of one record of a {@link ReceiveBatch}'s slot table. Java writes the slot's buffer
 * position once; the shim points one {@code mmsghdr} at it (buffer, source address, and the
 * slot's own control buffer) and writes back the results of {@code recvmmsg}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Data Offset (int32, in: slot buffer in data region)    |   0
 *  +---------------------------------------------------------------+
 *  |        Capacity (int32, in: slot buffer length)               |   4
 *  +---------------------------------------------------------------+
 *  |        Received Length (int32, out: bytes, whole GRO train)   |   8
 *  +---------------------------------------------------------------+
 *  |        Message Flags (int32, out: msg_flags)                  |  12
 *  +---------------------------------------------------------------+
 *  |        Segment Size (int32, out: UDP_GRO cmsg, 0 = none)      |  16
 *  +---------------------------------------------------------------+
 *  |        Address Length (int32, out)                            |  20
 *  +---------------------------------------------------------------+
 *  |        Source sockaddr (written by the kernel, 40 bytes)      |  24
 *  +---------------------------------------------------------------+
 *  |        Control buffer (cmsg, 64 bytes)                        |  64
 *  +---------------------------------------------------------------+ 128
 * </pre>
 *
 * With GRO one slot holds a whole coalesced train, so its capacity must be at least
 * {@link #GRO_SLOT_CAPACITY}. After the slot table the batch reserves a scratch area of
 * {@code slots * (sizeof(mmsghdr) + sizeof(iovec))} bytes which only the shim writes.
 */
public final class ReceiveSlotDescriptor
{
    /** Offset of the slot buffer's offset in the data region. */
    public static final int DATA_OFFSET_OFFSET = 0;
    /** Offset of the slot buffer capacity. */
    public static final int CAPACITY_OFFSET = 4;
    /** Offset of the received length. */
    public static final int RECEIVED_LENGTH_OFFSET = 8;
    /** Offset of the message flags. */
    public static final int MSG_FLAGS_OFFSET = 12;
    /** Offset of the GRO segment size. */
    public static final int SEGMENT_SIZE_OFFSET = 16;
    /** Offset of the source address length. */
    public static final int ADDRESS_LENGTH_OFFSET = 20;
    /** Offset of the source sockaddr. */
    public static final int ADDRESS_OFFSET = 24;
    /** Offset of the slot's control buffer. */
    public static final int CONTROL_OFFSET = 64;
    /** Length of the slot's control buffer. */
    public static final int CONTROL_LENGTH = 64;
    /** Length of one slot record. */
    public static final int SLOT_LENGTH = 128;

    /** Capacity of a slot that holds a whole GRO train: 65,535 bytes plus margin, rounded. */
    public static final int GRO_SLOT_CAPACITY = 65_536 + 4_096;
    /** Most datagrams the kernel coalesces into one GRO train ({@code UDP_GRO_CNT_MAX}). */
    public static final int MAX_GRO_SEGMENTS = 64;

    private ReceiveSlotDescriptor()
    {
    }
}
