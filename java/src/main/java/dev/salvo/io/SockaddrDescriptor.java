/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * Layout of the Linux socket addresses Salvo writes into send entries and reads from receive slots.
 *
 * <pre>
 * sockaddr_in (16 bytes)                      sockaddr_in6 (28 bytes)
 *   0  u16 family  (native order, AF_INET)      0  u16 family   (native order, AF_INET6)
 *   2  u16 port    (network order)              2  u16 port     (network order)
 *   4  u8[4] address                            4  u32 flowinfo (always 0 here)
 *   8  u8[8] zero                               8  u8[16] address
 *                                              24  u32 scope id (native order)
 * </pre>
 *
 * These are the kernel's ABI on every Linux CPU; the shim still exports {@code sizeof}/{@code offsetof}
 * at load time and {@link NativeIo} refuses the shim if any value differs.
 */
public final class SockaddrDescriptor
{
    /** {@code AF_INET} on Linux. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6} on Linux. */
    public static final int AF_INET6 = 10;

    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int SOCKADDR_IN_LENGTH = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int SOCKADDR_IN6_LENGTH = 28;
    /** Bytes reserved for an address in send entries and receive slots. */
    public static final int SOCKADDR_RESERVED_LENGTH = 32;

    /** Offset of the family, both families. */
    public static final int FAMILY_OFFSET = 0;
    /** Offset of the port (big-endian), both families. */
    public static final int PORT_OFFSET = 2;
    /** Offset of the 4-byte IPv4 address. */
    public static final int IN_ADDR_OFFSET = 4;
    /** Offset of the IPv6 flow information. */
    public static final int IN6_FLOWINFO_OFFSET = 4;
    /** Offset of the 16-byte IPv6 address. */
    public static final int IN6_ADDR_OFFSET = 8;
    /** Offset of the IPv6 scope id. */
    public static final int IN6_SCOPE_ID_OFFSET = 24;

    private SockaddrDescriptor()
    {
    }
}
