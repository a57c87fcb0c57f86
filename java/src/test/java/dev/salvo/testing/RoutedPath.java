/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.IOException;

/**
 * Three namespaces in a row, host A – router – host B: two veth pairs ({@link #left()} A–router,
 * {@link #right()} router–B), forwarding on in the router, a route on each host to the far link through the
 * router. Every address is a {@link NetworkNamespaces} test address inside these namespaces only.
 *
 * <pre>{@code
 * try (NetworkNamespaces net = NetworkNamespaces.create())
 * {
 *     RoutedPath path = RoutedPath.create(net);
 *     path.right().mtu(1400);            // a narrower link behind the router
 *     path.blockIcmpAtRouter();          // ... that says nothing: a PMTU black hole
 *     // A talks to path.addressB(), B to path.addressA()
 * }
 * }</pre>
 */
public final class RoutedPath
{
    /** nftables table of {@link #blockIcmpAtRouter()}. */
    public static final String ICMP_TABLE = "salvo_pmtu_black_hole";

    private final Namespace hostA;
    private final Namespace router;
    private final Namespace hostB;
    private final NetnsLink left;
    private final NetnsLink right;

    private RoutedPath(
        final Namespace hostA, final Namespace router, final Namespace hostB, final NetnsLink left, final NetnsLink right)
    {
        this.hostA = hostA;
        this.router = router;
        this.hostB = hostB;
        this.left = left;
        this.right = right;
    }

    /**
     * Makes the three namespaces, both links (each splitting GSO trains on transmit, so the router forwards and
     * drops datagram by datagram as on a real wire), forwarding in the router and the hosts' routes.
     *
     * @param net the fixture that owns (and removes) everything.
     * @return the path.
     */
    public static RoutedPath create(final NetworkNamespaces net) throws IOException
    {
        final Namespace hostA = net.namespace();
        final Namespace router = net.namespace();
        final Namespace hostB = net.namespace();
        final NetnsLink left = net.link(hostA, router);
        final NetnsLink right = net.link(router, hostB);
        left.segmentOnTransmit();
        right.segmentOnTransmit();
        router.enableForwarding();
        hostA.route(right.subnet(), left.addressB());
        hostB.route(left.subnet(), right.addressA());
        return new RoutedPath(hostA, router, hostB, left, right);
    }

    /**
     * Drops, with a counter, every ICMP "destination unreachable" (which carries "fragmentation needed") and ICMPv6
     * "packet too big" the router would send or forward: senders never learn a smaller path MTU from the network.
     */
    public void blockIcmpAtRouter() throws IOException
    {
        router.nft(
            "table inet " + ICMP_TABLE + " {\n" +
            "  chain output { type filter hook output priority 0; policy accept;\n" +
            "    icmp type destination-unreachable counter drop\n" +
            "    icmpv6 type packet-too-big counter drop\n" +
            "  }\n" +
            "  chain forward { type filter hook forward priority 0; policy accept;\n" +
            "    icmp type destination-unreachable counter drop\n" +
            "    icmpv6 type packet-too-big counter drop\n" +
            "  }\n" +
            "}\n");
    }

    /** @return host A's namespace. */
    public Namespace hostA()
    {
        return hostA;
    }

    /** @return the router's namespace. */
    public Namespace router()
    {
        return router;
    }

    /** @return host B's namespace. */
    public Namespace hostB()
    {
        return hostB;
    }

    /** @return the link host A – router. */
    public NetnsLink left()
    {
        return left;
    }

    /** @return the link router – host B. */
    public NetnsLink right()
    {
        return right;
    }

    /** @return host A's address. */
    public String addressA()
    {
        return left.addressA();
    }

    /** @return host B's address. */
    public String addressB()
    {
        return right.addressB();
    }
}
