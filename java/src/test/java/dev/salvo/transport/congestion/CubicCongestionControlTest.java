/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CubicCongestionControlTest
{
    private static final int MDS = 1200;
    private static final long MS = 1_000_000L;

    /** Slow start without HyStart++ to a window of about {@code packets}, then one loss. */
    private static CongestionDriver afterLossAt(final int packets, final long rttNs)
    {
        final CongestionDriver d = new CongestionDriver(new CubicCongestionControl(MDS, false), MDS);
        while (d.cc.congestionWindow() < (long)packets * MDS)
        {
            final int window = (int)(d.cc.congestionWindow() / MDS);
            d.round(window, Math.min(packets - window, window), rttNs);
        }
        assertEquals((long)packets * MDS, d.cc.congestionWindow());
        d.loss();
        return d;
    }

    @Test
    void kAndWCubicFollowRfc9438()
    {
        final double wMax = 100.0 * MDS;
        final double cwndEpoch = 70.0 * MDS;
        final double k = CubicCongestionControl.k(wMax, cwndEpoch, MDS);
        assertEquals(Math.cbrt(30 / 0.4), k, 1e-9, "K = cbrt((W_max - cwnd_epoch) / C)");
        assertEquals(cwndEpoch, CubicCongestionControl.wCubic(0, k, wMax, MDS), 1e-6, "W_cubic(0) = cwnd_epoch");
        assertEquals(wMax, CubicCongestionControl.wCubic(k, k, wMax, MDS), 1e-6, "W_cubic(K) = W_max");
        assertEquals(wMax + 0.4 * 8 * MDS, CubicCongestionControl.wCubic(k + 2, k, wMax, MDS), 1e-6, "C (t - K)^3");
        assertEquals(0.0, CubicCongestionControl.k(wMax, wMax + 1, MDS));
        assertEquals(3 * 0.3 / 1.7, CubicCongestionControl.ALPHA_CUBIC, 1e-12);
    }

    @Test
    void lossReducesByBetaThenFastConvergenceLowersWMax()
    {
        final CongestionDriver d = afterLossAt(100, 100 * MS);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        assertEquals(70 * MDS, cc.congestionWindow(), "cwnd = 0.7 cwnd");
        assertEquals(70 * MDS, cc.slowStartThreshold());
        assertEquals(100.0 * MDS, cc.wMax(), 1e-6);
        assertFalse(cc.inSlowStart());

        d.fullRound(100 * MS);
        final long before = cc.congestionWindow();
        assertTrue(before < 100 * MDS);
        d.loss();
        assertEquals(before * 0.7, cc.congestionWindow(), 1.0, "a second event reduces again");
        assertEquals(before * 1.7 / 2, cc.wMax(), 1.0, "fast convergence: W_max = cwnd (1 + beta) / 2");
        assertEquals(2, cc.lossEvents());
    }

    @Test
    void windowFollowsTheCubicCurveThroughKAndBeyond()
    {
        final long rtt = 100 * MS;
        final CongestionDriver d = afterLossAt(1000, rtt);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        final double wMax = 1000.0 * MDS;
        final double k = Math.cbrt(300 / 0.4);
        d.fullRound(rtt); // the first ACK in avoidance starts the epoch
        final long epochStart = d.nowNs - rtt;
        assertEquals(k, cc.kSeconds(), 1e-9);
        while (d.seconds(epochStart) < k + 3)
        {
            d.fullRound(rtt);
            final double t = d.seconds(epochStart);
            final double expected = CubicCongestionControl.wCubic(t, k, wMax, MDS);
            assertEquals(expected, cc.congestionWindow(), 0.02 * wMax, "cwnd tracks W_cubic(t) at t=" + t);
            assertTrue(cc.congestionWindow() > cc.renoFriendlyWindow(), "concave/convex region, not Reno-friendly");
        }
        assertTrue(cc.congestionWindow() > wMax + 5 * MDS, "convex region after K: probing above W_max");
    }

    @Test
    void renoFriendlyRegionGrowsByAlphaPerRound()
    {
        final long rtt = 100 * MS;
        final CongestionDriver d = afterLossAt(20, rtt);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        d.fullRound(rtt);
        final long epochStart = d.nowNs - rtt;
        final double k = cc.kSeconds();
        final double estAtStart = cc.renoFriendlyWindow();
        for (int r = 0; r < 10; r++)
        {
            d.fullRound(rtt);
        }
        final double t = d.seconds(epochStart);
        assertTrue(CubicCongestionControl.wCubic(t, k, 20.0 * MDS, MDS) < cc.renoFriendlyWindow(),
            "W_cubic(t) < W_est: the Reno-friendly region");
        assertEquals((long)cc.renoFriendlyWindow(), cc.congestionWindow(), "cwnd = W_est there");
        assertEquals(estAtStart + 10 * CubicCongestionControl.ALPHA_CUBIC * MDS, cc.renoFriendlyWindow(), 0.5 * MDS,
            "W_est grows by alpha_cubic segments per window acknowledged");

        while (cc.renoFriendlyWindow() < 20.0 * MDS)
        {
            d.fullRound(rtt);
        }
        final double before = cc.renoFriendlyWindow();
        d.fullRound(rtt);
        assertEquals(before + MDS, cc.renoFriendlyWindow(), 0.1 * MDS, "alpha = 1 once W_est reaches cwnd_prior");
    }

    @Test
    void applicationLimitedWindowNeitherGrowsNorAdvancesTheCurve()
    {
        final long rtt = 100 * MS;
        final CongestionDriver d = afterLossAt(100, rtt);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        d.fullRound(rtt);
        final long window = cc.congestionWindow();
        for (int r = 0; r < 100; r++)
        {
            d.round(10, rtt); // 10 of ~70 packets: application-limited
        }
        assertEquals(window, cc.congestionWindow(), "no growth while the window is not used");

        final CongestionDriver fresh = afterLossAt(100, rtt);
        fresh.fullRound(rtt);
        fresh.fullRound(rtt);
        d.fullRound(rtt);
        assertEquals(fresh.cc.congestionWindow(), cc.congestionWindow(), MDS,
            "10 s application-limited did not move the epoch: growth resumes where it stopped");
    }

    @Test
    void slowStartOnLoopbackIsBoundedByUse()
    {
        final CongestionDriver d = new CongestionDriver(new CubicCongestionControl(MDS), MDS);
        for (int r = 0; r < 10_000; r++)
        {
            d.round(8, 50_000); // an application sending 8 packets per 50 us round trip
        }
        assertTrue(d.cc.congestionWindow() <= 16 * MDS + MDS, "cwnd stays near twice what is used: " + d.cc.congestionWindow());
    }

    @Test
    void oneReductionPerRecoveryPeriodAndNoGrowthFromPacketsSentBeforeIt()
    {
        final long rtt = 100 * MS;
        final CongestionDriver d = afterLossAt(100, rtt);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        final long lossTime = d.nowNs - 1;
        cc.onPacketsLost(MDS, lossTime - 5, d.nowNs + 10);
        assertEquals(70 * MDS, cc.congestionWindow(), "a packet sent before recovery began: same event");
        cc.onPacketAcked(MDS, lossTime - 3, d.nowNs + 20);
        assertEquals(70 * MDS, cc.congestionWindow(), "acks of packets sent before recovery do not grow the window");
        assertEquals(1, cc.lossEvents());
        d.fullRound(rtt);
        assertTrue(cc.congestionWindow() > 70 * MDS, "packets sent after it do");
    }

    @Test
    void persistentCongestionCollapsesAndRestartsTheCurveAtKZero()
    {
        final long rtt = 100 * MS;
        final CongestionDriver d = afterLossAt(100, rtt);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        cc.onPersistentCongestion(d.nowNs);
        assertEquals(2 * MDS, cc.congestionWindow());
        assertTrue(cc.inSlowStart(), "slow start back to ssthresh");
        while (cc.inSlowStart())
        {
            d.fullRound(rtt);
        }
        d.fullRound(rtt);
        assertEquals(0.0, cc.kSeconds(), "first epoch after a timeout: K = 0");
        assertTrue(cc.wMax() >= 70 * MDS && cc.wMax() < 80 * MDS, "W_max = cwnd at the epoch start: " + cc.wMax() / MDS);
    }

    @Test
    void hyStartLeavesSlowStartWhenTheRttRisesAndNotOtherwise()
    {
        final CongestionDriver flat = new CongestionDriver(new CubicCongestionControl(MDS), MDS);
        for (int r = 0; r < 8; r++)
        {
            flat.fullRound(10 * MS);
        }
        assertTrue(flat.cc.inSlowStart(), "constant RTT: slow start goes on");
        assertEquals(12_000L << 8, flat.cc.congestionWindow(), "doubling per round");

        final CubicCongestionControl cc = new CubicCongestionControl(MDS);
        final CongestionDriver d = new CongestionDriver(cc, MDS);
        d.fullRound(10 * MS);
        d.fullRound(10 * MS);
        final long beforeRise = cc.congestionWindow();
        d.fullRound(10 * MS + HyStartPlusPlus.MIN_RTT_THRESH_NS); // the queue builds: min RTT up by the threshold
        assertEquals(HyStartPlusPlus.CONSERVATIVE_SLOW_START, cc.hyStartPhase());
        assertTrue(cc.congestionWindow() < 2 * beforeRise, "conservative growth within the round of the rise");
        final long cssStart = cc.congestionWindow();
        d.fullRound(10 * MS + HyStartPlusPlus.MIN_RTT_THRESH_NS);
        assertEquals(cssStart + cssStart / HyStartPlusPlus.CSS_GROWTH_DIVISOR, cc.congestionWindow(), MDS,
            "CSS grows by a quarter per round");
        for (int r = 0; r < HyStartPlusPlus.CSS_ROUNDS; r++)
        {
            d.fullRound(10 * MS + HyStartPlusPlus.MIN_RTT_THRESH_NS);
        }
        assertFalse(cc.inSlowStart(), "after CSS_ROUNDS, congestion avoidance without a loss");
        assertEquals(0, cc.lossEvents());
        assertEquals(HyStartPlusPlus.DONE, cc.hyStartPhase());
    }

    @Test
    void hyStartReturnsToSlowStartWhenTheRiseWasSpurious()
    {
        final CubicCongestionControl cc = new CubicCongestionControl(MDS);
        final CongestionDriver d = new CongestionDriver(cc, MDS);
        d.fullRound(20 * MS);
        d.fullRound(20 * MS);
        d.fullRound(30 * MS);
        assertEquals(HyStartPlusPlus.CONSERVATIVE_SLOW_START, cc.hyStartPhase());
        d.fullRound(20 * MS);
        assertEquals(HyStartPlusPlus.SLOW_START, cc.hyStartPhase(), "RTT back below the CSS baseline");
        assertTrue(cc.inSlowStart());
    }

    @Test
    void rttThresholdIsClamped()
    {
        assertEquals(4 * MS, HyStartPlusPlus.rttThresholdNs(MS));
        assertEquals(10 * MS, HyStartPlusPlus.rttThresholdNs(80 * MS));
        assertEquals(16 * MS, HyStartPlusPlus.rttThresholdNs(400 * MS));
    }

    @Test
    void aSpuriousLossEventIsUndoneOnlyIfItIsTheLatestReduction()
    {
        final long rtt = 100 * MS;
        final CongestionDriver d = afterLossAt(100, rtt);
        final CubicCongestionControl cc = (CubicCongestionControl)d.cc;
        final long lossAt = d.nowNs - 1;
        assertEquals(70 * MDS, cc.congestionWindow());
        cc.onSpuriousCongestionEvent(lossAt - 1, d.nowNs);
        assertEquals(70 * MDS, cc.congestionWindow(), "not the event that reduced: ignored");
        cc.onSpuriousCongestionEvent(lossAt, d.nowNs);
        assertEquals(100 * MDS, cc.congestionWindow(), "window before the event restored");
        assertTrue(cc.inSlowStart(), "the loss ended slow start; undone, slow start resumes");
        assertEquals(0.0, cc.wMax(), "W_max from before the event");
        assertEquals(1, cc.undoneEvents());
        cc.onSpuriousCongestionEvent(lossAt, d.nowNs);
        assertEquals(1, cc.undoneEvents(), "undone once");

        d.loss();
        final long secondLoss = d.nowNs - 1;
        d.loss();
        assertEquals(70 * MDS, cc.congestionWindow(), "the second loss() is in the same recovery period");
        cc.onPersistentCongestion(d.nowNs);
        cc.onSpuriousCongestionEvent(secondLoss, d.nowNs);
        assertEquals(2 * MDS, cc.congestionWindow(), "persistent congestion is never undone");
    }
}
