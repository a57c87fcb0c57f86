/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.PriorityQueue;

import dev.salvo.CloseReason;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.packet.DataPacketDescriptor;
import dev.salvo.transport.congestion.CubicCongestionControl;
import dev.salvo.transport.congestion.NewRenoCongestionControl;
import dev.salvo.transport.message.BufferPool;
import dev.salvo.transport.pmtu.PathMtuDiscovery;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Path MTU discovery inside two real {@link ReliableConnectionCore}s joined by an in-memory path on a virtual clock
 * that drops every datagram larger than its MTU (no ICMP: a black hole for larger sizes). Datagram size = header
 * (7 bytes here) + plaintext + tag, sized per packet by {@link ConnectionCore#nextDatagramSize} as the I/O thread
 * does.
 */
class PathMtuCoreTest
{
    private static final long MS = 1_000_000L;
    private static final int HEADER = 7;
    private static final int OVERHEAD = HEADER + DataPacketDescriptor.TAG_LENGTH;
    private static final long ONE_WAY_NS = 5 * MS;

    private record Datagram(long arrivalNs, long sequence, int destination, long packetNumber, byte[] bytes)
        implements Comparable<Datagram>
    {
        public int compareTo(final Datagram other)
        {
            final int byTime = Long.compare(arrivalNs, other.arrivalNs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Datagram> network = new PriorityQueue<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[65_536]);
    private final long[] nextPacketNumber = new long[2];
    private final ReliableConnectionCore[] cores = new ReliableConnectionCore[2];
    private final long[] delivered = new long[2];
    private final int[] largestDatagram = new int[2];
    private long sequence;
    private long nowNs = 1_000 * MS;
    private int pathMtu;
    private int localMtu = Integer.MAX_VALUE;
    private long refused;
    private long dropped;

    private final long[] smallestWindow = {Long.MAX_VALUE, Long.MAX_VALUE};

    private void open(final int base, final int max, final int pathMtu)
    {
        this.pathMtu = pathMtu;
        for (int side = 0; side < 2; side++)
        {
            final ConnectionSettings settings = new ConnectionSettings().minDatagramSize(base).maxDatagramSize(max);
            cores[side] = new ReliableConnectionCore(
                settings, 0 == side, listener(side), new NewRenoCongestionControl(base), new BufferPool(), nowNs);
        }
    }

    /** Cores as the transport makes them: the factory, the config's controller, auto maximum size limited by the route. */
    private void openLikeTheTransport(final TransportConfig config, final int routeLimit, final int pathMtu)
    {
        this.pathMtu = pathMtu;
        for (int side = 0; side < 2; side++)
        {
            cores[side] = (ReliableConnectionCore)ReliableConnectionCore.FACTORY.newCore(
                config, 0 == side, listener(side), new BufferPool(), nowNs);
            cores[side].limitDatagramSize(routeLimit);
        }
    }

    private static TransportConfig autoConfig()
    {
        return new TransportConfig(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
            dev.salvo.crypto.StaticKeyPair.generate(new java.security.SecureRandom()));
    }

    private ConnectionCoreListener listener(final int side)
    {
        {
            final int s = side;
            return new ConnectionCoreListener()
            {
                @Override
                public void onMessage(final DirectBuffer buffer, final int offset, final int length)
                {
                    delivered[s] += length;
                }

                @Override
                public void onMessageAcknowledged(final long messageId)
                {
                }

                @Override
                public void onClosed(final CloseReason reason)
                {
                }
            };
        }
    }

    private void flush(final int from)
    {
        final ReliableConnectionCore core = cores[from];
        for (int i = 0; i < 256 && core.hasDataToSend(nowNs); i++)
        {
            final int size = core.nextDatagramSize(nowNs);
            final long pn = nextPacketNumber[from];
            final int length = core.writePacket(scratch, 0, size - OVERHEAD, pn, nowNs);
            if (0 == length)
            {
                return;
            }
            nextPacketNumber[from]++;
            final int datagram = length + OVERHEAD;
            if (datagram > localMtu)
            {
                refused++;
                core.onDatagramTooLarge(datagram, nowNs); // as the I/O thread does on EMSGSIZE: it never left
                continue;
            }
            if (datagram > pathMtu)
            {
                dropped++;
                continue;
            }
            largestDatagram[from] = Math.max(largestDatagram[from], datagram);
            final byte[] bytes = new byte[length];
            scratch.getBytes(0, bytes);
            network.add(new Datagram(nowNs + ONE_WAY_NS, sequence++, 1 - from, pn, bytes));
        }
    }

    private void step()
    {
        flush(0);
        flush(1);
        long next = Math.min(cores[0].nextDeadlineNs(), cores[1].nextDeadlineNs());
        if (!network.isEmpty())
        {
            next = Math.min(next, network.peek().arrivalNs());
        }
        assertTrue(next != Long.MAX_VALUE, "deadlock");
        nowNs = Math.max(nowNs, next);
        while (!network.isEmpty() && network.peek().arrivalNs() <= nowNs)
        {
            final Datagram datagram = network.poll();
            final ReliableConnectionCore core = cores[datagram.destination()];
            assertEquals(0, core.receivePacket(
                new UnsafeBuffer(datagram.bytes()), 0, datagram.bytes().length, datagram.packetNumber(), nowNs));
            smallestWindow[datagram.destination()] =
                Math.min(smallestWindow[datagram.destination()], core.congestionControl().congestionWindow());
        }
        cores[0].onTimer(nowNs);
        cores[1].onTimer(nowNs);
    }

    private void runUntil(final java.util.function.BooleanSupplier done, final long limitNs)
    {
        final long endNs = nowNs + limitNs;
        for (int steps = 0; steps < 1_000_000 && !done.getAsBoolean(); steps++)
        {
            assertTrue(nowNs < endNs, "not done within " + limitNs / MS + " ms of virtual time");
            step();
        }
        assertTrue(done.getAsBoolean());
    }

    private void send(final int from, final int messages, final int length)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < messages; i++)
        {
            assertTrue(cores[from].send(message, 0, length, false) >= 0);
        }
    }

    @Test
    void probesThatAreLostDoNotTouchTheCongestionWindow()
    {
        open(1200, 1472, 1400);
        final long initialWindow = cores[0].congestionControl().congestionWindow();
        final PathMtuDiscovery pmtu = cores[0].pathMtuDiscovery();
        runUntil(pmtu::isSearchComplete, 60_000 * MS);
        assertTrue(pmtu.probesLost() >= 2L * PathMtuDiscovery.MAX_PROBES, "probes above 1400 were lost: " + pmtu.probesLost());
        assertTrue(cores[0].congestionControl().congestionWindow() >= initialWindow,
            "no congestion reaction to probe losses: cwnd " + cores[0].congestionControl().congestionWindow());
        assertEquals(0, cores[0].recovery().bytesInFlight(), "probes are never in flight");
        assertEquals(0, cores[0].recovery().persistentCongestionEvents());
        assertTrue(pmtu.datagramSize() <= 1400 && pmtu.datagramSize() > 1400 - PathMtuDiscovery.SEARCH_RESOLUTION,
            "settled at " + pmtu.datagramSize());
        assertEquals(0, pmtu.blackHoles());
    }

    @Test
    void aTransferUsesTheDiscoveredSizeAndSurvivesThePathShrinking()
    {
        open(1200, 8972, 8972);
        final PathMtuDiscovery pmtu = cores[0].pathMtuDiscovery();
        runUntil(() -> pmtu.isSearchComplete() && cores[1].pathMtuDiscovery().isSearchComplete(), 10_000 * MS);
        assertEquals(8972, pmtu.datagramSize(), "a path carrying the maximum: one probe");
        assertEquals(1, pmtu.probesSent());

        send(0, 8, 64 * 1024);
        runUntil(() -> delivered[1] == 8L * 64 * 1024, 60_000 * MS);
        assertEquals(8972, largestDatagram[0], "full-size packets at the discovered size");

        // The path silently shrinks to 1500 (a route change behind a router that sends no ICMP).
        pathMtu = 1500;
        final long droppedBefore = dropped;
        send(0, 64, 64 * 1024);
        runUntil(() -> delivered[1] == 72L * 64 * 1024 && 0 == cores[0].outbound().unackedBytes(), 120_000 * MS);
        assertTrue(dropped > droppedBefore, "full-size packets were dropped");
        assertTrue(pmtu.blackHoles() >= 1, "black hole detected");
        runUntil(pmtu::isSearchComplete, 60_000 * MS);
        assertTrue(pmtu.datagramSize() <= 1500 && pmtu.datagramSize() > 1500 - PathMtuDiscovery.SEARCH_RESOLUTION,
            "settled below the new path MTU: " + pmtu.datagramSize());
        assertEquals(0, cores[1].packetsRejected());
    }

    @Test
    void aPathStuckAtTheBaseSizeHasAMinimumWindowOfTwoBaseDatagramsNotTwoJumboOnes()
    {
        final TransportConfig config = autoConfig(); // auto maximum: up to 8972
        assertEquals(TransportConfig.MAX_DATAGRAM_SIZE_AUTO, config.maxDatagramSize());
        openLikeTheTransport(config, 8972, 1200); // a jumbo route, but nothing above 1200 gets through
        final CubicCongestionControl cc = (CubicCongestionControl)cores[0].congestionControl();
        assertEquals(8972, cores[0].pathMtuDiscovery().maxSize());
        assertEquals(1200, cc.maxDatagramSize(), "created with the path's size at the start, not the transport's maximum");
        assertEquals(12_000, cc.congestionWindow(), "RFC 9002 initial window for 1200 bytes");

        send(0, 16, 16 * 1024);
        runUntil(() -> delivered[1] == 16L * 16 * 1024 && cores[0].pathMtuDiscovery().isSearchComplete(), 60_000 * MS);
        assertEquals(1200, cores[0].datagramSize(), "every probe above 1200 was lost");

        // The path goes dark long enough for persistent congestion, then comes back (still at 1200).
        pathMtu = 0;
        send(0, 16, 16 * 1024);
        runUntil(() -> cores[0].recovery().ptoCount() >= 4, 60_000 * MS);
        pathMtu = 1200;
        runUntil(() -> cores[0].recovery().persistentCongestionEvents() >= 1, 60_000 * MS);
        assertEquals(2 * 1200, cc.minimumWindow());
        assertEquals(2 * 1200, smallestWindow[0], "persistent congestion collapsed the window to 2 x 1200 bytes");
        runUntil(() -> delivered[1] == 32L * 16 * 1024, 60_000 * MS);
        assertEquals(0, cores[1].packetsRejected());
    }

    @Test
    void theControllerFollowsTheSizeUpAndBackDown()
    {
        openLikeTheTransport(autoConfig(), 8972, 8972);
        final CubicCongestionControl cc = (CubicCongestionControl)cores[0].congestionControl();
        assertEquals(1200, cc.maxDatagramSize());
        runUntil(() -> cores[0].pathMtuDiscovery().isSearchComplete(), 10_000 * MS);
        assertEquals(8972, cores[0].datagramSize());
        assertEquals(8972, cc.maxDatagramSize(), "a confirmed probe raised it");
        assertEquals(2 * 8972, cc.minimumWindow());

        pathMtu = 1500; // silently shrinks: black-hole detection falls back to the base size
        send(0, 64, 64 * 1024);
        runUntil(() -> cores[0].pathMtuDiscovery().blackHoles() >= 1, 120_000 * MS);
        assertEquals(1200, cc.maxDatagramSize(), "the fallback lowered it");
        assertEquals(2 * 1200, cc.minimumWindow());
        runUntil(() -> delivered[1] == 64L * 64 * 1024, 120_000 * MS);
    }

    @Test
    void aSendRefusedAsTooLargeFallsBackAtOnceAndTheDataGoesAgainAtTheNewSize()
    {
        openLikeTheTransport(autoConfig(), 8972, 8972);
        final PathMtuDiscovery pmtu = cores[0].pathMtuDiscovery();
        runUntil(pmtu::isSearchComplete, 10_000 * MS);
        assertEquals(8972, pmtu.datagramSize());
        send(0, 8, 64 * 1024);
        runUntil(() -> delivered[1] == 8L * 64 * 1024, 60_000 * MS);

        // The sender's own link shrinks to 1300: the kernel refuses anything above 1272 bytes (EMSGSIZE).
        localMtu = 1300 - 28;
        pathMtu = localMtu;
        send(0, 64, 64 * 1024);
        runUntil(() -> pmtu.tooLargeSignals() > 0, 10_000 * MS);
        assertEquals(1200, pmtu.datagramSize(), "fell back at the first refusal");
        assertEquals(1200, ((CubicCongestionControl)cores[0].congestionControl()).maxDatagramSize());
        runUntil(() -> delivered[1] == 72L * 64 * 1024 && 0 == cores[0].outbound().unackedBytes() && pmtu.isSearchComplete(),
            120_000 * MS);
        assertTrue(pmtu.datagramSize() <= localMtu && pmtu.datagramSize() > localMtu - PathMtuDiscovery.SEARCH_RESOLUTION,
            "settled just below the local limit: " + pmtu.datagramSize());
        assertEquals(0, pmtu.blackHoles(), "no black-hole detection was needed");
        assertEquals(refused, pmtu.tooLargeSignals());
        assertTrue(refused <= 1 + 12, "one refused data packet, then only probes (retransmissions are re-cut " +
            "to the new size, never refused again): " + refused);
        assertTrue(cores[0].recovery().packetsLost() > 0, "the refused packet was declared lost and its data resent");
        assertEquals(0, cores[1].packetsRejected());
    }

    @Test
    void aFixedSizeNeverProbes()
    {
        open(1472, 1472, 1472);
        send(0, 8, 64 * 1024);
        runUntil(() -> delivered[1] == 8L * 64 * 1024, 60_000 * MS);
        assertEquals(0, cores[0].pathMtuDiscovery().probesSent());
        assertEquals(1472, cores[0].datagramSize());
        assertEquals(0, dropped);
    }
}
