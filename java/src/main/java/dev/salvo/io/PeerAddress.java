/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A mutable, allocation-free UDP peer address: family, port and the 4- or 16-byte IP address
 * (plus the IPv6 scope id), read from and written to raw {@code sockaddr} bytes
 * ({@link SockaddrDescriptor}). Use it as a flyweight on the hot path and as a map key
 * ({@link #equals}/{@link #hashCode} over the value; {@link #copy()} before storing one that will
 * be overwritten). IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) read from the kernel are
 * normalised to IPv4, so a peer has one identity on a dual-stack socket.
 */
public final class PeerAddress
{
    /** Family value for an unset address. */
    public static final int FAMILY_NONE = 0;
    /** Family value for IPv4. */
    public static final int FAMILY_IPV4 = 4;
    /** Family value for IPv6. */
    public static final int FAMILY_IPV6 = 6;

    private int family = FAMILY_NONE;
    private int port;
    private int scopeId;
    private final byte[] address = new byte[16];
    private InetSocketAddress cachedSocketAddress;

    /**
     * An unset address.
     */
    public PeerAddress()
    {
    }

    /**
     * An address copied from a resolved socket address.
     *
     * @param socketAddress the address to copy.
     * @return a new address.
     */
    public static PeerAddress of(final InetSocketAddress socketAddress)
    {
        return new PeerAddress().set(socketAddress);
    }

    /**
     * Sets this address from a resolved socket address.
     *
     * @param socketAddress a resolved address.
     * @return this.
     * @throws IllegalArgumentException if the address is unresolved.
     */
    public PeerAddress set(final InetSocketAddress socketAddress)
    {
        if (socketAddress.isUnresolved())
        {
            throw new IllegalArgumentException("unresolved address: " + socketAddress);
        }
        final InetAddress inet = socketAddress.getAddress();
        final byte[] raw = inet.getAddress();
        java.util.Arrays.fill(address, (byte)0);
        System.arraycopy(raw, 0, address, 0, raw.length);
        family = raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6;
        port = socketAddress.getPort();
        scopeId = inet instanceof Inet6Address ? ((Inet6Address)inet).getScopeId() : 0;
        cachedSocketAddress = socketAddress;
        return this;
    }

    /**
     * Sets this address from an IPv4 address held in an int (big-endian: a.b.c.d = a&lt;&lt;24|...).
     *
     * @param ipv4 the address.
     * @param port the port, 0..65535.
     * @return this.
     */
    public PeerAddress setIpv4(final int ipv4, final int port)
    {
        checkPort(port);
        java.util.Arrays.fill(address, (byte)0);
        address[0] = (byte)(ipv4 >>> 24);
        address[1] = (byte)(ipv4 >>> 16);
        address[2] = (byte)(ipv4 >>> 8);
        address[3] = (byte)ipv4;
        family = FAMILY_IPV4;
        this.port = port;
        scopeId = 0;
        cachedSocketAddress = null;
        return this;
    }

    /**
     * Copies another address into this one.
     *
     * @param other the address to copy.
     * @return this.
     */
    public PeerAddress set(final PeerAddress other)
    {
        family = other.family;
        port = other.port;
        scopeId = other.scopeId;
        System.arraycopy(other.address, 0, address, 0, 16);
        cachedSocketAddress = other.cachedSocketAddress;
        return this;
    }

    /**
     * A copy that is safe to keep (e.g. as a map key).
     *
     * @return a new address equal to this one.
     */
    public PeerAddress copy()
    {
        return new PeerAddress().set(this);
    }

    /**
     * @return {@link #FAMILY_IPV4}, {@link #FAMILY_IPV6} or {@link #FAMILY_NONE}.
     */
    public int family()
    {
        return family;
    }

    /**
     * @return the port.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return the IPv6 scope id, 0 for IPv4.
     */
    public int scopeId()
    {
        return scopeId;
    }

    /**
     * @param index byte index, 0..3 for IPv4 or 0..15 for IPv6.
     * @return one byte of the IP address.
     */
    public byte addressByte(final int index)
    {
        return address[index];
    }

    /**
     * Converts to a JDK socket address (allocates unless cached; not for the hot path).
     *
     * @return the socket address.
     * @throws IllegalStateException if unset.
     */
    public InetSocketAddress toInetSocketAddress()
    {
        InetSocketAddress result = cachedSocketAddress;
        if (null == result)
        {
            try
            {
                final InetAddress inet;
                if (FAMILY_IPV4 == family)
                {
                    inet = InetAddress.getByAddress(java.util.Arrays.copyOf(address, 4));
                }
                else if (FAMILY_IPV6 == family)
                {
                    inet = Inet6Address.getByAddress(null, java.util.Arrays.copyOf(address, 16), scopeId);
                }
                else
                {
                    throw new IllegalStateException("address not set");
                }
                result = new InetSocketAddress(inet, port);
                cachedSocketAddress = result;
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        return result;
    }

    /**
     * Length of the sockaddr this address is written as.
     *
     * @param socketFamily family of the socket it is for; IPv4 peers on an IPv6 socket are written
     *                     IPv4-mapped.
     * @return 16 or 28.
     */
    int sockaddrLength(final int socketFamily)
    {
        return FAMILY_IPV4 == family && FAMILY_IPV4 == socketFamily ?
            SockaddrDescriptor.SOCKADDR_IN_LENGTH : SockaddrDescriptor.SOCKADDR_IN6_LENGTH;
    }

    /**
     * Writes this address as a sockaddr for a socket of the given family.
     *
     * @return the sockaddr length written.
     */
    int writeSockaddr(final MutableDirectBuffer buffer, final int offset, final int socketFamily)
    {
        buffer.setMemory(offset, SockaddrDescriptor.SOCKADDR_RESERVED_LENGTH, (byte)0);
        buffer.putShort(offset + SockaddrDescriptor.PORT_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        if (FAMILY_IPV4 == socketFamily)
        {
            buffer.putShort(offset + SockaddrDescriptor.FAMILY_OFFSET, (short)SockaddrDescriptor.AF_INET);
            buffer.putBytes(offset + SockaddrDescriptor.IN_ADDR_OFFSET, address, 0, 4);
            return SockaddrDescriptor.SOCKADDR_IN_LENGTH;
        }

        buffer.putShort(offset + SockaddrDescriptor.FAMILY_OFFSET, (short)SockaddrDescriptor.AF_INET6);
        final int in6 = offset + SockaddrDescriptor.IN6_ADDR_OFFSET;
        if (FAMILY_IPV4 == family)
        {
            buffer.putByte(in6 + 10, (byte)0xff);
            buffer.putByte(in6 + 11, (byte)0xff);
            buffer.putBytes(in6 + 12, address, 0, 4);
        }
        else
        {
            buffer.putBytes(in6, address, 0, 16);
            buffer.putInt(offset + SockaddrDescriptor.IN6_SCOPE_ID_OFFSET, scopeId);
        }
        return SockaddrDescriptor.SOCKADDR_IN6_LENGTH;
    }

    /**
     * Reads a sockaddr written by the kernel; IPv4-mapped IPv6 becomes IPv4.
     *
     * @return this.
     * @throws IllegalArgumentException if the family or length is not one we know.
     */
    PeerAddress readSockaddr(final DirectBuffer buffer, final int offset, final int length)
    {
        final int af = buffer.getShort(offset + SockaddrDescriptor.FAMILY_OFFSET) & 0xffff;
        final int newPort = buffer.getShort(offset + SockaddrDescriptor.PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xffff;
        if (SockaddrDescriptor.AF_INET == af && length >= SockaddrDescriptor.SOCKADDR_IN_LENGTH)
        {
            setRawIpv4(buffer, offset + SockaddrDescriptor.IN_ADDR_OFFSET, newPort);
            return this;
        }
        if (SockaddrDescriptor.AF_INET6 == af && length >= SockaddrDescriptor.SOCKADDR_IN6_LENGTH)
        {
            final int in6 = offset + SockaddrDescriptor.IN6_ADDR_OFFSET;
            if (buffer.getLong(in6) == 0 && buffer.getShort(in6 + 8) == 0 && buffer.getShort(in6 + 10) == (short)0xffff)
            {
                setRawIpv4(buffer, in6 + 12, newPort);
                return this;
            }
            final int newScope = buffer.getInt(offset + SockaddrDescriptor.IN6_SCOPE_ID_OFFSET);
            if (FAMILY_IPV6 != family || port != newPort || scopeId != newScope || !sameBytes(buffer, in6, 16))
            {
                buffer.getBytes(in6, address, 0, 16);
                family = FAMILY_IPV6;
                port = newPort;
                scopeId = newScope;
                cachedSocketAddress = null;
            }
            return this;
        }
        throw new IllegalArgumentException("unsupported sockaddr family " + af + " length " + length);
    }

    private void setRawIpv4(final DirectBuffer buffer, final int index, final int newPort)
    {
        // Keep the cached InetSocketAddress when the peer is unchanged: repeated peers cost nothing.
        if (FAMILY_IPV4 != family || port != newPort || !sameBytes(buffer, index, 4))
        {
            java.util.Arrays.fill(address, (byte)0);
            buffer.getBytes(index, address, 0, 4);
            family = FAMILY_IPV4;
            port = newPort;
            scopeId = 0;
            cachedSocketAddress = null;
        }
    }

    private boolean sameBytes(final DirectBuffer buffer, final int index, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(index + i) != address[i])
            {
                return false;
            }
        }
        return true;
    }

    private static void checkPort(final int port)
    {
        if (port < 0 || port > 0xffff)
        {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Whether this is {@code other}'s value.
     *
     * @param other the address to compare.
     * @return true when family, port, scope and bytes are equal.
     */
    public boolean equalsAddress(final PeerAddress other)
    {
        return family == other.family && port == other.port && scopeId == other.scopeId &&
            java.util.Arrays.equals(address, other.address);
    }

    @Override
    public boolean equals(final Object obj)
    {
        return this == obj || (obj instanceof PeerAddress && equalsAddress((PeerAddress)obj));
    }

    @Override
    public int hashCode()
    {
        int hash = family * 31 + port;
        for (final byte b : address)
        {
            hash = hash * 31 + b;
        }
        return hash * 31 + scopeId;
    }

    @Override
    public String toString()
    {
        return FAMILY_NONE == family ? "PeerAddress(unset)" : toInetSocketAddress().toString();
    }

    /**
     * Whether the address is an IPv4 one.
     *
     * @param inet an address.
     * @return true for {@link Inet4Address}.
     */
    static boolean isIpv4(final InetAddress inet)
    {
        return inet instanceof Inet4Address;
    }
}
