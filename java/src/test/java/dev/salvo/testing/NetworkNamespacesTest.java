/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The namespace fixture itself: addresses exist only inside the namespaces, UDP crosses the veth, nft loss
 * drops, shaping and MTU are applied, child JVMs run inside, and everything is gone after close — including
 * namespaces left behind by a dead process.
 */
class NetworkNamespacesTest
{
    static final int PORT = 7_301;
    static final int DATAGRAMS = 200;

    @Test
    void udpCrossesTheVethOnlyBetweenTheTestsNamespaces() throws Exception
    {
        final List<String> names;
        final String ip;
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            ip = HostCommands.find("ip");
            final Namespace a = net.namespace();
            final Namespace b = net.namespace();
            final NetnsLink link = net.link(a, b).mtu(1400);
            names = net.names();

            assertTrue(a.exec(ip, "-4", "addr", "show", "dev", link.deviceOf(a)).contains(link.addressA() + "/30"));
            assertTrue(b.exec(ip, "link", "show", "dev", link.deviceOf(b)).contains("mtu 1400"));
            final String host = HostCommands.run(List.of(ip, "-4", "addr", "show"), null).output;
            assertFalse(host.contains(link.addressA()) || host.contains(link.addressB()),
                "the test range must not appear in the host's namespace: " + host);

            final ChildProcess receiver = net.startJvm(b, UdpProbe.class, List.of(), "receive", link.addressB(), "2000");
            receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            final ChildProcess sender = net.startJvm(a, UdpProbe.class, List.of(), "send", link.addressB());
            assertEquals(0, sender.awaitExit(NetworkNamespaces.CHILD_START_TIMEOUT_MS), sender.transcript());
            assertEquals(0, receiver.awaitExit(NetworkNamespaces.CHILD_START_TIMEOUT_MS), receiver.transcript());
            final String received = receiver.awaitLine("RECEIVED", 1_000);
            assertEquals(DATAGRAMS, ChildProcess.longField(received, "count"), receiver.transcript());
        }
        final String after = HostCommands.run(List.of(ip, "netns", "list"), null).output;
        for (final String name : names)
        {
            assertFalse(after.contains(name + " ") || after.contains(name + "\n") || after.trim().equals(name),
                name + " left behind: " + after);
        }
    }

    @Test
    void nftRandomLossDropsAndTbfShapes() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final Namespace a = net.namespace();
            final Namespace b = net.namespace();
            final NetnsLink link = net.link(a, b);
            link.tbf(a, "50mbit", "32kb", "20ms");
            assertTrue(link.describeQdiscs().contains("tbf"), link.describeQdiscs());
            link.randomLoss(50, 0);
            assertTrue(b.nftRuleset().contains("numgen random mod 100 < 50"), b.nftRuleset());
            assertFalse(a.nftRuleset().contains("numgen"), a.nftRuleset());

            final ChildProcess receiver = net.startJvm(b, UdpProbe.class, List.of(), "receive", link.addressB(), "1000");
            receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            final ChildProcess sender = net.startJvm(a, UdpProbe.class, List.of(), "send", link.addressB());
            assertEquals(0, sender.awaitExit(NetworkNamespaces.CHILD_START_TIMEOUT_MS), sender.transcript());
            assertEquals(0, receiver.awaitExit(NetworkNamespaces.CHILD_START_TIMEOUT_MS), receiver.transcript());
            final long count = ChildProcess.longField(receiver.awaitLine("RECEIVED", 1_000), "count");
            // 200 datagrams at 50% loss: P(count outside 40..160) is below 1e-17.
            assertTrue(count >= 40 && count <= 160, "with 50% loss, received " + count + " of " + DATAGRAMS);

            b.dropUdp(0, 0);
            assertFalse(b.nftRuleset().contains("numgen"), "loss rules replaced: " + b.nftRuleset());
        }
    }

    @Test
    void namespacesOfADeadProcessAreRemoved() throws Exception
    {
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final String ip = HostCommands.find("ip");
            final Process shortLived = new ProcessBuilder("true").start();
            shortLived.waitFor();
            final String stale = NetworkNamespaces.NAME_PREFIX + shortLived.pid() + "-0";
            assertTrue(HostCommands.run(List.of(ip, "netns", "add", stale), null).succeeded());
            try
            {
                final List<String> removed = NetworkNamespaces.removeStale(ip);
                assertTrue(removed.contains(stale), "removed " + removed);
                assertFalse(HostCommands.run(List.of(ip, "netns", "list"), null).output.contains(stale));
            }
            finally
            {
                HostCommands.run(List.of(ip, "netns", "del", stale), null);
            }
            // A live fixture's namespaces are never taken for stale.
            final Namespace live = net.namespace();
            assertFalse(NetworkNamespaces.removeStale(ip).contains(live.name()));
        }
    }

    /** Child: {@code send ADDRESS} sends {@link #DATAGRAMS} datagrams; {@code receive ADDRESS QUIET_MS} counts them. */
    public static final class UdpProbe
    {
        public static void main(final String[] args) throws IOException
        {
            final InetSocketAddress address = new InetSocketAddress(args[1], PORT);
            if ("send".equals(args[0]))
            {
                try (DatagramChannel channel = DatagramChannel.open())
                {
                    final ByteBuffer datagram = ByteBuffer.wrap("probe".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < DATAGRAMS; i++)
                    {
                        channel.send(datagram.rewind(), address);
                    }
                }
                System.out.println("SENT count=" + DATAGRAMS);
                return;
            }
            try (java.net.DatagramSocket socket = new java.net.DatagramSocket(address))
            {
                socket.setReceiveBufferSize(1 << 20);
                // The first datagram may take a JVM start; after it, counting stops after a quiet period (the
                // test cannot know how many survive the loss).
                socket.setSoTimeout(60_000);
                System.out.println("READY");
                System.out.flush();
                final java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[64], 64);
                int count = 0;
                try
                {
                    for (int i = 0; i < DATAGRAMS; i++)
                    {
                        socket.receive(packet);
                        count++;
                        socket.setSoTimeout(Integer.parseInt(args[2]));
                    }
                }
                catch (final SocketTimeoutException quiet)
                {
                    // the rest was dropped
                }
                System.out.println("RECEIVED count=" + count);
            }
        }
    }
}
