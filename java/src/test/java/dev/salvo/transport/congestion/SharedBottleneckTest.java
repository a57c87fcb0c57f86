/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import dev.salvo.CongestionControlAlgorithm;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controllers alone on a deterministic packet-level model of one drop-tail bottleneck (virtual clock,
 * no sockets): enough to show the background controller yields to CUBIC and does not starve. The full
 * protocol on a simulated link with jitter and reordering is a separate harness; this one models only
 * what the controllers see: sends, acknowledgements with their RTT, and losses found 9/8 RTT after a drop.
 */
class SharedBottleneckTest
{
    private static final int MDS = 1200;
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void backgroundYieldsAtLeastEightyPercentToCubicWithAShallowQueue()
    {
        final double[] share = run(100_000_000L, 20 * MS, 20 * MS, 0.0, 20 * SECOND,
            CongestionControlAlgorithm.CUBIC, CongestionControlAlgorithm.BACKGROUND);
        assertTrue(share[0] / (share[0] + share[1]) >= 0.8, "cubic share " + describe(share));
        assertTrue(share[0] + share[1] >= 0.85, "the link stays used: " + describe(share));
        assertTrue(share[1] > 0, "background is not starved to zero: " + describe(share));
    }

    @Test
    void backgroundYieldsAtLeastEightyPercentToCubicWithADeepQueue()
    {
        final double[] share = run(100_000_000L, 20 * MS, 150 * MS, 0.0, 20 * SECOND,
            CongestionControlAlgorithm.CUBIC, CongestionControlAlgorithm.BACKGROUND);
        assertTrue(share[0] / (share[0] + share[1]) >= 0.8, "cubic share " + describe(share));
        assertTrue(share[1] > 0, describe(share));
    }

    @Test
    void backgroundRunningFirstMakesRoomForCubicJoiningLater()
    {
        final double[] share = runStaggered(100_000_000L, 20 * MS, 100 * MS, 30 * SECOND, 5 * SECOND,
            CongestionControlAlgorithm.BACKGROUND, CongestionControlAlgorithm.CUBIC);
        assertTrue(share[1] / (share[0] + share[1]) >= 0.8, "cubic share " + describe(share));
        assertTrue(share[0] > 0, describe(share));
    }

    @Test
    void backgroundAloneUsesTheLinkAndSurvivesRandomLoss()
    {
        final double[] clean = run(100_000_000L, 20 * MS, 20 * MS, 0.0, 20 * SECOND, CongestionControlAlgorithm.BACKGROUND);
        assertTrue(clean[0] >= 0.7, "alone it fills most of the link: " + describe(clean));
        final double[] lossy = run(20_000_000L, 20 * MS, 20 * MS, 0.01, 20 * SECOND, CongestionControlAlgorithm.BACKGROUND);
        assertTrue(lossy[0] >= 0.05, "1% random loss: no death spiral to a stall: " + describe(lossy));
    }

    @Test
    void twoCubicFlowsShareFairly()
    {
        final double[] share = run(100_000_000L, 20 * MS, 20 * MS, 0.0, 30 * SECOND,
            CongestionControlAlgorithm.CUBIC, CongestionControlAlgorithm.CUBIC);
        final double sum = share[0] + share[1];
        final double jain = sum * sum / (2 * (share[0] * share[0] + share[1] * share[1]));
        assertTrue(jain >= 0.95, "Jain index " + jain + " " + describe(share));
        assertTrue(sum >= 0.9, "utilisation " + describe(share));
    }

    private static String describe(final double[] share)
    {
        final StringBuilder s = new StringBuilder("[");
        for (final double v : share)
        {
            s.append(String.format(" %.3f", v));
        }
        return s.append(" ] of the link").toString();
    }

    private static double[] run(
        final long bitsPerSecond,
        final long baseRttNs,
        final long queueNs,
        final double randomLoss,
        final long durationNs,
        final CongestionControlAlgorithm... algorithms)
    {
        return simulate(bitsPerSecond, baseRttNs, queueNs, randomLoss, durationNs, 0, algorithms);
    }

    private static double[] runStaggered(
        final long bitsPerSecond,
        final long baseRttNs,
        final long queueNs,
        final long durationNs,
        final long staggerNs,
        final CongestionControlAlgorithm... algorithms)
    {
        return simulate(bitsPerSecond, baseRttNs, queueNs, 0.0, durationNs, staggerNs, algorithms);
    }

    /**
     * @param staggerNs flow i starts at i · staggerNs.
     * @return each flow's delivered bytes over the second half of the run, as a fraction of link capacity.
     */
    private static double[] simulate(
        final long bitsPerSecond,
        final long baseRttNs,
        final long queueNs,
        final double randomLoss,
        final long durationNs,
        final long staggerNs,
        final CongestionControlAlgorithm... algorithms)
    {
        final double bytesPerNs = bitsPerSecond / 8.0 / SECOND;
        final long queueLimitBytes = (long)(queueNs * bytesPerNs);
        final long measureFromNs = durationNs / 2;
        final SplittableRandom random = new SplittableRandom(42);
        final PriorityQueue<Event> events = new PriorityQueue<>();
        final List<Flow> flows = new ArrayList<>();
        for (final CongestionControlAlgorithm algorithm : algorithms)
        {
            flows.add(new Flow(CongestionControllers.newController(algorithm, MDS)));
        }
        long linkFreeAtNs = 0;
        long nowNs = 0;
        long seq = 0;
        for (int f = 1; f < flows.size() && staggerNs > 0; f++)
        {
            events.add(new Event(f * staggerNs, seq++, f, -1, false));
        }
        while (nowNs < durationNs)
        {
            for (int f = 0; f < flows.size(); f++)
            {
                final Flow flow = flows.get(f);
                while (nowNs >= f * staggerNs && flow.bytesInFlight < flow.cc.congestionWindow())
                {
                    final long pn = flow.nextPn++;
                    flow.bytesInFlight += MDS;
                    flow.sentNs.add(nowNs);
                    flow.cc.onPacketSent(MDS, flow.bytesInFlight, nowNs);
                    final long backlog = (long)(Math.max(0, linkFreeAtNs - nowNs) * bytesPerNs);
                    final boolean dropped = backlog + MDS > queueLimitBytes || random.nextDouble() < randomLoss;
                    if (dropped)
                    {
                        final long rtt = flow.srttNs == 0 ? baseRttNs : flow.srttNs;
                        events.add(new Event(nowNs + rtt + rtt / 8 + MS, seq++, f, pn, false));
                    }
                    else
                    {
                        linkFreeAtNs = Math.max(nowNs, linkFreeAtNs) + (long)(MDS / bytesPerNs);
                        events.add(new Event(linkFreeAtNs + baseRttNs, seq++, f, pn, true));
                    }
                }
            }
            final Event e = events.poll();
            if (null == e)
            {
                break;
            }
            nowNs = e.timeNs;
            final Flow flow = flows.get(e.flow);
            if (e.pn < 0)
            {
                continue; // a flow's start
            }
            final long sentNs = flow.sentNs.get((int)e.pn);
            flow.bytesInFlight -= MDS;
            if (e.acked)
            {
                flow.cc.onPacketAcked(MDS, sentNs, nowNs);
                final long rtt = nowNs - sentNs;
                flow.minRttNs = Math.min(flow.minRttNs, rtt);
                flow.srttNs = flow.srttNs == 0 ? rtt : (7 * flow.srttNs + rtt) / 8;
                flow.cc.onRttSample(rtt, flow.minRttNs, flow.srttNs, nowNs);
                if (nowNs >= measureFromNs)
                {
                    flow.deliveredBytes += MDS;
                }
            }
            else
            {
                flow.cc.onPacketsLost(MDS, sentNs, nowNs);
            }
        }
        final double capacity = bytesPerNs * (durationNs - measureFromNs);
        final double[] share = new double[flows.size()];
        for (int f = 0; f < flows.size(); f++)
        {
            share[f] = flows.get(f).deliveredBytes / capacity;
        }
        return share;
    }

    private static final class Flow
    {
        final CongestionControl cc;
        final List<Long> sentNs = new ArrayList<>();
        long nextPn;
        long bytesInFlight;
        long srttNs;
        long minRttNs = Long.MAX_VALUE;
        long deliveredBytes;

        Flow(final CongestionControl cc)
        {
            this.cc = cc;
        }
    }

    private static final class Event implements Comparable<Event>
    {
        final long timeNs;
        final long seq;
        final int flow;
        final long pn;
        final boolean acked;

        Event(final long timeNs, final long seq, final int flow, final long pn, final boolean acked)
        {
            this.timeNs = timeNs;
            this.seq = seq;
            this.flow = flow;
            this.pn = pn;
            this.acked = acked;
        }

        @Override
        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }
}
