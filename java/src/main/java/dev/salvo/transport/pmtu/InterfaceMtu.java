/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.pmtu;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;

/**
 * The largest datagram the local interface on the route to a peer carries, found without sending anything: a
 * temporary UDP socket is connected to the peer (a route lookup in the kernel, no traffic), its local address
 * names the outgoing interface, and {@link NetworkInterface#getMTU()} gives that interface's MTU. Works the same
 * on the native and the NIO path (it uses neither socket).
 */
public final class InterfaceMtu
{
    /** IPv4 header (20) + UDP header (8). */
    public static final int IPV4_OVERHEAD = 28;

    /** IPv6 header (40) + UDP header (8). */
    public static final int IPV6_OVERHEAD = 48;

    /** Largest MTU probed for: jumbo frames (loopback's 65536 would only make probes that no real path carries). */
    public static final int MTU_CAP = 9000;

    /** Largest datagram size probed for on any path: {@link #MTU_CAP} less the IPv4 headers. */
    public static final int MAX_DATAGRAM_SIZE = MTU_CAP - IPV4_OVERHEAD;

    /** MTU assumed when the interface cannot be found (Ethernet's). */
    public static final int FALLBACK_MTU = 1500;

    private InterfaceMtu()
    {
    }

    /**
     * @param peer the peer's address.
     * @return the interface MTU on the route to {@code peer}, capped at {@link #MTU_CAP}, less the IP and UDP
     * headers of its family; for an address that cannot be routed or an interface that cannot be read, the
     * {@link #FALLBACK_MTU}'s.
     */
    public static int maxDatagramSize(final InetSocketAddress peer)
    {
        final InetAddress address = peer.getAddress();
        final int overhead = address instanceof Inet6Address && !isIpv4Mapped(address) ? IPV6_OVERHEAD : IPV4_OVERHEAD;
        return Math.min(interfaceMtu(peer), MTU_CAP) - overhead;
    }

    /**
     * @param peer the peer's address.
     * @return the MTU of the local interface a datagram to {@code peer} leaves by, or {@link #FALLBACK_MTU}.
     */
    public static int interfaceMtu(final InetSocketAddress peer)
    {
        final InetAddress address = peer.getAddress();
        if (null == address)
        {
            return FALLBACK_MTU;
        }
        final StandardProtocolFamily family = address instanceof Inet4Address ?
            StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        try (DatagramChannel channel = DatagramChannel.open(family))
        {
            channel.connect(new InetSocketAddress(address, Math.max(1, peer.getPort())));
            final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
            final NetworkInterface nic = null == local ? null : NetworkInterface.getByInetAddress(local.getAddress());
            final int mtu = null == nic ? -1 : nic.getMTU();
            return mtu >= 576 ? mtu : FALLBACK_MTU;
        }
        catch (final IOException | SecurityException | UnsupportedOperationException ex)
        {
            return FALLBACK_MTU;
        }
    }

    private static boolean isIpv4Mapped(final InetAddress address)
    {
        // InetAddress turns ::ffff:a.b.c.d into an Inet4Address already; kept for addresses built from raw bytes.
        final byte[] bytes = address.getAddress();
        if (16 != bytes.length)
        {
            return false;
        }
        for (int i = 0; i < 10; i++)
        {
            if (0 != bytes[i])
            {
                return false;
            }
        }
        return (byte)0xFF == bytes[10] && (byte)0xFF == bytes[11];
    }
}
