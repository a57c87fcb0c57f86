/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.netns;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.DropReason;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.testing.ChildProcess;
import dev.salvo.testing.Namespace;
import dev.salvo.testing.NetnsLink;
import dev.salvo.testing.NetworkNamespaces;
import dev.salvo.transport.ReliableConnectionCore;
import dev.salvo.transport.pmtu.InterfaceMtu;
import dev.salvo.transport.pmtu.PathMtuDiscovery;
import org.agrona.DirectBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.salvo.testing.ChildProcess.longField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * EMSGSIZE as a path MTU signal on a real link: two namespaces joined by a veth of MTU 9000, a sender JVM at the
 * default (auto) datagram size, so it sends 8972-byte datagrams (GSO trains of them). Once data flows, the
 * sender's own end of the veth drops to MTU 1300: the sender's kernel now refuses every datagram above 1272 bytes
 * with EMSGSIZE (the socket sets don't-fragment). The transfer must complete intact; the connection must settle at
 * ≤ 1272 through the refusals alone (no black hole detected: that needs three bursts of lost full-size packets or
 * three probe timeouts), with only a handful of refused sends (the rest of the batch in flight at the change, then
 * refused probes), and the I/O thread must go on working (no internal error; the graceful close needs it).
 */
class SendTooLargeNamespaceTest
{
    static final int PORT = 7_431;
    static final long TRANSFER_TIMEOUT_MS = 140_000;
    static final String PLAN = "200x1024,48x1048576";
    static final int NARROW_MTU = 1300;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "nio"})
    void aLinkThatShrinksUnderTheSenderIsFollowedAtOnceThroughEmsgsize(final String io) throws Exception
    {
        if ("nio".equals(io))
        {
            assumeTrue(Runtime.version().feature() >= 19,
                "NIO sets don't-fragment only from JDK 19 (jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT); on " +
                Runtime.version() + " the kernel fragments oversized datagrams instead of refusing them");
        }
        try (NetworkNamespaces net = NetworkNamespaces.create())
        {
            final Namespace a = net.namespace();
            final Namespace b = net.namespace();
            final NetnsLink link = net.link(a, b);
            link.mtu(9000);
            // 200 Mbit/s out of A: the transfer lasts about 2 s however fast the machine, so the change lands in it.
            link.tbf(a, "200mbit", "256kb", "50ms");

            final ChildProcess receiver = net.startJvm(
                b, TransferPeers.Receiver.class, List.of(), link.addressB(), Integer.toString(PORT));
            receiver.awaitLine("READY", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            final List<String> jvmArgs = "nio".equals(io) ? List.of("-Dsalvo.io.forceNio=true") : List.of();
            final ChildProcess sender = net.startJvm(
                a, Sender.class, jvmArgs, link.addressB(), Integer.toString(PORT), PLAN);
            final String connected = sender.awaitLine("CONNECTED", NetworkNamespaces.CHILD_START_TIMEOUT_MS);
            assertTrue(connected.contains("native".equals(io) ? "native" : "nio"), connected);
            receiver.awaitLine("RECEIVING", TRANSFER_TIMEOUT_MS);
            final String before = sender.awaitLine("PATH", TRANSFER_TIMEOUT_MS); // the search found 8972
            a.exec("ip", "link", "set", "dev", link.deviceOf(a), "mtu", Integer.toString(NARROW_MTU));
            sender.println("SHRUNK");

            final int senderExit = sender.awaitExit(TRANSFER_TIMEOUT_MS);
            final String context = "\n" + sender.transcript() + "\n" + receiver.transcript();
            assertEquals(0, senderExit, "sender" + context);
            assertEquals(0, receiver.awaitExit(30_000), "receiver" + context);
            final String acked = sender.awaitLine("ACKED", 1_000);
            final String done = receiver.awaitLine("DONE", 1_000);
            TransferPeers.assertDeliveredWhole(PLAN, acked, done, context);

            assertEquals(9000 - InterfaceMtu.IPV4_OVERHEAD, longField(before, "pathMtu"), "jumbo before the change" + context);
            final long limit = NARROW_MTU - InterfaceMtu.IPV4_OVERHEAD;
            final long pathMtu = longField(acked, "pathMtu");
            assertTrue(pathMtu <= limit && pathMtu > limit - PathMtuDiscovery.SEARCH_RESOLUTION,
                "settled just below the narrowed link: " + acked);
            final long refused = longField(acked, "sendsTooLarge");
            assertTrue(refused > 0, "the kernel refused full-size sends: " + acked);
            assertEquals(refused, longField(acked, "tooLargeSignals"), "every refusal reached the connection: " + acked);
            assertEquals(0, longField(acked, "blackHoles"), "the refusal, not black-hole detection, moved it: " + acked);
            // At most the entries of the one batch in hand at the change, then refused probes (a binary search:
            // about 10). (With the signal ignored, this run saw 31 refusals and blackHoles=1: detection got there
            // after three bursts of losses; the assertions above are what tell the two apart.)
            assertTrue(refused <= TransportConfig.SEND_BATCH_DATAGRAMS_DEFAULT + 16,
                "one batch's worth at the change, then only probes: " + acked);
            assertEquals(0, longField(acked, "internalErrors"), "the I/O thread never failed: " + acked);
            System.out.println("EMSGSIZE (" + io + ", 9000 -> " + NARROW_MTU + " under the sender): " + acked);
        }
    }

    /**
     * Sender: {@code ADDRESS PORT PLAN}. Connects, prints {@code CONNECTED io=..}, sends the plan; once the path
     * search has settled at the jumbo size and data flows it prints {@code PATH pathMtu=..} and waits for the test's
     * {@code SHRUNK} on stdin before sending the rest; then waits for every acknowledgement and prints
     * {@code ACKED crcSum=.. pathMtu=.. sendsTooLarge=.. tooLargeSignals=.. blackHoles=.. internalErrors=..},
     * closes gracefully and exits 0.
     */
    public static final class Sender
    {
        public static void main(final String[] args) throws Exception
        {
            TransferPeers.startWatchdog("sender");
            final InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
            final List<long[]> plan = TransferPeers.plan(args[2]);
            long total = 0;
            for (final long[] step : plan)
            {
                total += step[0];
            }
            final CountDownLatch acknowledged = new CountDownLatch((int)total);
            final ConnectionHandler handler = new ConnectionHandler()
            {
                @Override
                public void onMessage(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
                {
                }

                @Override
                public void onAcknowledged(final Connection connection, final long messageId)
                {
                    acknowledged.countDown();
                }
            };
            final TransportConfig config = new TransportConfig(
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), TransferPeers.senderKey())
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(30))
                .handshakeRetryNs(TimeUnit.MILLISECONDS.toNanos(100))
                .idleTimeoutNs(TimeUnit.SECONDS.toNanos(30));
            try (Transport transport = Transport.open(config))
            {
                final Connection connection = transport.connect(peer, TransferPeers.receiverKey().publicKey(), handler)
                    .get(60, TimeUnit.SECONDS);
                System.out.println("CONNECTED io=" + transport.capabilities());
                final PathMtuDiscovery pmtu = core(connection).pathMtuDiscovery();
                final java.io.BufferedReader stdin = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
                long index = 0;
                long crcSum = 0;
                boolean shrunk = false;
                byte[] message = new byte[0];
                for (final long[] step : plan)
                {
                    final int size = (int)step[1];
                    if (message.length < size)
                    {
                        message = new byte[size];
                    }
                    for (long i = 0; i < step[0]; i++, index++)
                    {
                        crcSum += TransferPeers.fill(message, size, index, total) & 0xFFFF_FFFFL;
                        if (connection.send(ByteBuffer.wrap(message, 0, size), 60, TimeUnit.SECONDS) < 0)
                        {
                            System.out.println("FAILED send of message " + index);
                            System.exit(1);
                        }
                        if (!shrunk && size > 64 * 1024 && connection.stats().pathMtu() >= 8972 &&
                            connection.stats().bytesInFlight() > 0)
                        {
                            System.out.println("PATH pathMtu=" + connection.stats().pathMtu());
                            System.out.flush();
                            final String line = stdin.readLine(); // the link shrinks now, with data in flight
                            shrunk = "SHRUNK".equals(line);
                        }
                    }
                }
                final boolean acked = acknowledged.await(120, TimeUnit.SECONDS);
                System.out.println((acked && shrunk ? "ACKED" : "NOT_ACKED shrunk=" + shrunk) + " crcSum=" + crcSum +
                    " pathMtu=" + connection.stats().pathMtu() +
                    " sendsTooLarge=" + transport.stats().sendsTooLarge() +
                    " tooLargeSignals=" + pmtu.tooLargeSignals() + " blackHoles=" + pmtu.blackHoles() +
                    " internalErrors=" + transport.stats().drops(DropReason.INTERNAL_ERROR) +
                    " " + TransferPeers.stats(connection.stats()) + " " + transport.stats());
                connection.close();
                final CloseReason reason = connection.closeFuture().get(60, TimeUnit.SECONDS);
                System.out.println("CLOSED reason=" + reason);
                System.exit(acked && shrunk && CloseReason.LOCAL_CLOSE == reason ? 0 : 1);
            }
        }

        /** The connection's core (test-only reflection): its path MTU discovery counters are not public API. */
        private static ReliableConnectionCore core(final Connection connection) throws ReflectiveOperationException
        {
            final Field field = connection.getClass().getDeclaredField("core");
            field.setAccessible(true);
            return (ReliableConnectionCore)field.get(connection);
        }
    }
}
