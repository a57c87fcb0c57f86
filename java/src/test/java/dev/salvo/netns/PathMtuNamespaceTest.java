/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.netns;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.salvo.testing.ChildProcess;
import dev.salvo.testing.NetworkNamespaces;
import dev.salvo.testing.RoutedPath;
import dev.salvo.transport.pmtu.InterfaceMtu;
import dev.salvo.transport.pmtu.PathMtuDiscovery;
import org.junit.jupiter.api.Test;

import static dev.salvo.testing.ChildProcess.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5 item 5 on real links: host A – router – host B in three namespaces ({@link RoutedPath}), a sender JVM on
 * A and a receiver JVM on B (public API, default settings: the maximum datagram size is "auto", from the interface
 * MTU). What is measured is the sender connection's {@code ConnectionStats.pathMtu()}: the UDP payload bytes of its
 * datagrams (RFC 8899 PLPMTU) when the transfer has been acknowledged.
 *
 * <ul>
 * <li>PMTU black hole: A's link has MTU 1500 (A may send 1472-byte datagrams), the router's link to B has MTU
 *     1400 and the router's ICMP "fragmentation needed" is dropped by nftables, so anything above 1400 - 28 = 1372
 *     bytes vanishes silently. The transfer completes intact and the connection settles at ≤ 1372 (and above the
 *     1200 base, so the search ran).</li>
 * <li>Jumbo frames: MTU 9000 on every link; the connection settles at ≥ 8900 (9000 - 28 = 8972) and the transfer
 *     completes.</li>
 * <li>Black hole mid-transfer: 9000 everywhere (the connection sends 8972-byte datagrams), then, while data flows,
 *     the router's link to B drops to 1400 with ICMP dropped: the sender detects the black hole (losses of
 *     full-size packets / probe timeouts), falls back to 1200, searches again, settles at ≤ 1372 and completes.</li>
 * </ul>
 */
class PathMtuNamespaceTest
{
    static final int PORT = 7_421;
    static final long TRANSFER_TIMEOUT_MS = 140_000;
    static final String PLAN = "200x1024,8x1048576";
    private static final Pattern DROPPED = Pattern.compile("counter packets (\\d+) bytes \\d+ drop");

    @Test
    void aTransferThroughAPmtuBlackHoleCompletesAndSettlesBelowTheNarrowLink() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final RoutedPath path = RoutedPath.create(net);
            path.right().mtu(1400);
            path.blockIcmpAtRouter();

            final String acked = transfer(net, path);
            final long pathMtu = longField(acked, "pathMtu");
            assertTrue(pathMtu <= 1400 - InterfaceMtu.IPV4_OVERHEAD, "settled above what the narrow link carries: " + acked);
            assertTrue(pathMtu > 1400 - InterfaceMtu.IPV4_OVERHEAD - PathMtuDiscovery.SEARCH_RESOLUTION,
                "settled below the search resolution of the narrow link: " + acked);
            final long icmpDropped = dropped(path.router().nftRuleset());
            assertTrue(icmpDropped > 0, "the router wanted to report the narrow link and was silenced:\n" +
                path.router().nftRuleset());
            System.out.println("PMTU black hole (1500 | 1400, ICMP dropped " + icmpDropped + "): " + acked);
        }
    }

    @Test
    void jumboFramesOnEveryLinkAreUsed() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final RoutedPath path = RoutedPath.create(net);
            path.left().mtu(9000);
            path.right().mtu(9000);

            final String acked = transfer(net, path);
            final long pathMtu = longField(acked, "pathMtu");
            assertTrue(pathMtu >= 8900, "settled below 8900: " + acked);
            assertEquals(9000 - InterfaceMtu.IPV4_OVERHEAD, pathMtu, acked);
            System.out.println("PMTU jumbo (9000 | 9000): average datagram " +
                longField(acked, "bytesSent") / Math.max(1, longField(acked, "packetsSent")) + " bytes; " + acked);
        }
    }

    @Test
    void aPathThatShrinksMidTransferIsABlackHoleTheConnectionSurvives() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final RoutedPath path = RoutedPath.create(net);
            path.left().mtu(9000);
            path.right().mtu(9000);
            path.blockIcmpAtRouter();
            // 200 Mbit/s out of A: the transfer lasts about 2 s however fast the machine, so the change below
            // always lands in the middle of it.
            path.left().tbf(path.hostA(), "200mbit", "256kb", "50ms");

            // Jumbo datagrams at first; once data flows, the router's link to B shrinks to 1400 without a word.
            final String acked = transfer(net, path, "200x1024,48x1048576", () ->
            {
                try
                {
                    path.right().mtu(1400);
                }
                catch (final java.io.IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            final long pathMtu = longField(acked, "pathMtu");
            assertTrue(pathMtu <= 1400 - InterfaceMtu.IPV4_OVERHEAD, "did not fall back below the narrow link: " + acked);
            assertTrue(longField(acked, "packetsLost") > PathMtuDiscovery.MAX_PROBES,
                "full-size packets vanished in the black hole: " + acked);
            assertTrue(dropped(path.router().nftRuleset()) > 0, path.router().nftRuleset());
            System.out.println("PMTU black hole mid-transfer (9000 -> 1400, ICMP dropped " +
                dropped(path.router().nftRuleset()) + "): " + acked);
        }
    }

    private static String transfer(final NetworkNamespaces net, final RoutedPath path) throws Exception
    {
        return transfer(net, path, PLAN, () -> { });
    }

    /**
     * Runs the plan from A to B, running {@code onReceiving} once the receiver has the first message; checks every
     * message arrived once, intact; returns the sender's ACKED line.
     */
    private static String transfer(
        final NetworkNamespaces net, final RoutedPath path, final String plan, final Runnable onReceiving) throws Exception
    {
        final ChildProcess receiver = net.startJvm(
            path.hostB(), TransferPeers.Receiver.class, List.of(), path.addressB(), Integer.toString(PORT));
        receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
        final ChildProcess sender = net.startJvm(
            path.hostA(), TransferPeers.Sender.class, List.of(), path.addressB(), Integer.toString(PORT), "transfer", plan);
        receiver.awaitLine("RECEIVING", TRANSFER_TIMEOUT_MS);
        onReceiving.run();
        final int senderExit = sender.awaitExit(TRANSFER_TIMEOUT_MS);
        assertEquals(0, senderExit, () -> "sender\n" + sender.transcript() + "\n" + receiver.transcript());
        final int receiverExit = receiver.awaitExit(30_000);
        final String context = "\n" + sender.transcript() + "\n" + receiver.transcript();
        assertEquals(0, receiverExit, "receiver" + context);
        final String acked = sender.awaitLine("ACKED", 1_000);
        final String done = receiver.awaitLine("DONE", 1_000);
        TransferPeers.assertDeliveredWhole(plan, acked, done, context);
        return acked;
    }

    private static long dropped(final String ruleset)
    {
        long total = 0;
        final Matcher matcher = DROPPED.matcher(ruleset);
        while (matcher.find())
        {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }
}
