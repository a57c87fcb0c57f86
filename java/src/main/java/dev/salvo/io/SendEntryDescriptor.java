/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * Layout of one record of a {@link SendBatch}'s entry table: the flat descriptor the native shim
 * expands into {@code mmsghdr}/{@code iovec}/{@code cmsg} arrays for one {@code sendmmsg}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Data Offset (int32, native)                  |  0
 *  +---------------------------------------------------------------+
 *  |                  Data Length (int32, native)                  |  4
 *  +---------------------------------------------------------------+
 *  |     Segment Size (int32; 0 = plain datagram, else GSO train)  |  8
 *  +---------------------------------------------------------------+
 *  |        Address Length (int32; 16 = IPv4, 28 = IPv6)           | 12
 *  +---------------------------------------------------------------+
 *  |   Destination sockaddr_in / sockaddr_in6 (32 bytes reserved)  | 16
 *  |                              ...                              |
 *  +---------------------------------------------------------------+ 48
 * </pre>
 *
 * Data Offset is relative to the batch's data region; the payload of a GSO train is its segments
 * back to back, each Segment Size bytes except a shorter last one, at most
 * {@link #MAX_SEGMENTS} of them. The shim checks every field against the data region before use.
 *
 * <p>After the entry table the batch reserves a scratch area of
 * {@code maxMessagesPerCall * (sizeof(mmsghdr) + sizeof(iovec) + CMSG_SPACE(u16))} bytes which
 * only the shim writes (its size comes from the shim at load time).
 */
public final class SendEntryDescriptor
{
    /** Offset of the payload's offset in the data region. */
    public static final int DATA_OFFSET_OFFSET = 0;
    /** Offset of the payload length (all segments together). */
    public static final int DATA_LENGTH_OFFSET = 4;
    /** Offset of the GSO segment size, 0 for a plain datagram. */
    public static final int SEGMENT_SIZE_OFFSET = 8;
    /** Offset of the destination sockaddr length. */
    public static final int ADDRESS_LENGTH_OFFSET = 12;
    /** Offset of the destination sockaddr. */
    public static final int ADDRESS_OFFSET = 16;
    /** Length of one entry record. */
    public static final int ENTRY_LENGTH = 48;

    /** Most segments in one GSO train (the portable kernel limit). */
    public static final int MAX_SEGMENTS = 64;
    /** Largest UDP payload over IPv4: 65,535 − 20 (IP) − 8 (UDP). */
    public static final int MAX_IPV4_PAYLOAD = 65_507;
    /** Largest UDP payload over IPv6 without jumbograms: 65,535 − 8 (UDP). */
    public static final int MAX_IPV6_PAYLOAD = 65_527;

    private SendEntryDescriptor()
    {
    }
}
