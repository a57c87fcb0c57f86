/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every controller follows the path's current datagram size ({@link CongestionControl#onDatagramSizeChanged}):
 * the minimum window is 2 (background: 4) datagrams of the current size, windows stay in bytes across a change,
 * and growth per round trip counted in datagrams does not depend on how big a datagram is.
 */
class DatagramSizeChangeTest
{
    private static final int BASE = 1200;
    private static final int JUMBO = 8972;
    private static final long MS = 1_000_000L;
    private static final long RTT = 100 * MS;

    // ------------------------------------------------------------------ minimum window after persistent congestion

    @Test
    void cubicMinimumWindowFollowsTheCurrentSize()
    {
        final CubicCongestionControl jumbo = new CubicCongestionControl(JUMBO);
        jumbo.onPersistentCongestion(1);
        assertEquals(2L * JUMBO, jumbo.congestionWindow(), "a path at 8972 bytes: 2 x 8972");

        final CubicCongestionControl shrunk = new CubicCongestionControl(JUMBO);
        shrunk.onDatagramSizeChanged(BASE);
        assertEquals(BASE, shrunk.maxDatagramSize());
        shrunk.onPersistentCongestion(1);
        assertEquals(2L * BASE, shrunk.congestionWindow(), "a path at 1200 bytes: 2 x 1200, not 2 x 8972");

        final CubicCongestionControl grown = new CubicCongestionControl(BASE);
        assertEquals(12_000, grown.congestionWindow(), "initial window min(10 MDS, max(14720, 2 MDS)) at 1200");
        grown.onDatagramSizeChanged(JUMBO);
        assertEquals(2L * JUMBO, grown.congestionWindow(), "a window below the new minimum (2 x 8972) is raised to it");
        grown.onPersistentCongestion(1);
        assertEquals(2L * JUMBO, grown.congestionWindow(), "and the minimum follows it up");
    }

    @Test
    void newRenoMinimumWindowFollowsTheCurrentSize()
    {
        final NewRenoCongestionControl shrunk = new NewRenoCongestionControl(JUMBO);
        shrunk.onDatagramSizeChanged(BASE);
        shrunk.onPersistentCongestion(1);
        assertEquals(2L * BASE, shrunk.congestionWindow());

        final NewRenoCongestionControl jumbo = new NewRenoCongestionControl(JUMBO);
        jumbo.onPersistentCongestion(1);
        assertEquals(2L * JUMBO, jumbo.congestionWindow());

        final NewRenoCongestionControl grown = new NewRenoCongestionControl(BASE);
        grown.onPersistentCongestion(1);
        assertEquals(2L * BASE, grown.congestionWindow());
        grown.onDatagramSizeChanged(JUMBO);
        assertEquals(2L * JUMBO, grown.congestionWindow(), "a window below the new minimum is raised to it");
    }

    @Test
    void backgroundFloorFollowsTheCurrentSize()
    {
        final BackgroundCongestionControl shrunk = new BackgroundCongestionControl(JUMBO);
        shrunk.onDatagramSizeChanged(BASE);
        assertEquals(4L * BASE, shrunk.minimumWindow());
        final CongestionDriver d = new CongestionDriver(shrunk, BASE);
        d.fullRound(10 * MS);
        for (int i = 0; i < 30; i++)
        {
            d.loss();
            d.fullRound(10 * MS);
        }
        shrunk.onPersistentCongestion(d.nowNs);
        assertEquals(4L * BASE, shrunk.congestionWindow(), "the floor is 4 datagrams of 1200, not of 8972");

        final BackgroundCongestionControl jumbo = new BackgroundCongestionControl(JUMBO);
        assertEquals(4L * JUMBO, jumbo.minimumWindow());
    }

    @Test
    void hookIsIdempotentAndRejectsNonsense()
    {
        final CubicCongestionControl cc = new CubicCongestionControl(BASE);
        final long window = cc.congestionWindow();
        cc.onDatagramSizeChanged(BASE);
        assertEquals(window, cc.congestionWindow());
        assertEquals(2L * BASE, cc.minimumWindow());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> cc.onDatagramSizeChanged(10));
    }

    // ------------------------------------------------------------------ growth per RTT in datagrams

    /** Slow start (no HyStart++) to about {@code packets} datagrams of {@code mds}, then one loss. */
    private static CongestionDriver cubicAfterLossAt(final int mds, final int packets)
    {
        final CongestionDriver d = new CongestionDriver(new CubicCongestionControl(mds, false), mds);
        while (d.cc.congestionWindow() < (long)packets * mds)
        {
            final int window = (int)(d.cc.congestionWindow() / mds);
            d.round(window, Math.min(packets - window, window), RTT);
        }
        d.loss();
        return d;
    }

    @Test
    void cubicGrowthPerRttInDatagramsDoesNotDependOnTheDatagramSize()
    {
        final CongestionDriver small = cubicAfterLossAt(BASE, 100);
        final CongestionDriver large = cubicAfterLossAt(JUMBO, 100);
        for (int r = 0; r < 60; r++)
        {
            small.fullRound(RTT);
            large.fullRound(RTT);
            assertEquals((double)small.cc.congestionWindow() / BASE, (double)large.cc.congestionWindow() / JUMBO, 1.0,
                "round " + r + ": the same window in datagrams at 1200 and 8972 bytes");
        }
        assertTrue(small.cc.congestionWindow() > 100L * BASE, "past W_max: the test covered the whole curve");
    }

    @Test
    void cubicAfterAShrinkFollowsTheCurveOfTheNewSize()
    {
        final CongestionDriver jumbo = cubicAfterLossAt(JUMBO, 20);
        final CubicCongestionControl cc = (CubicCongestionControl)jumbo.cc;
        jumbo.fullRound(RTT);
        final long window = cc.congestionWindow();
        final double wMax = cc.wMax();

        cc.onDatagramSizeChanged(BASE); // PMTUD fell back to the base size
        assertEquals(window, cc.congestionWindow(), "the window stays in bytes");
        assertEquals(wMax, cc.wMax(), 1e-9, "W_max stays in bytes");
        assertFalse(cc.inSlowStart());

        final CongestionDriver d = new CongestionDriver(cc, BASE);
        d.nowNs = jumbo.nowNs;
        d.minRttNs = jumbo.minRttNs;
        d.fullRound(RTT); // starts the new epoch
        final long epochStart = d.nowNs - RTT;
        final double k = cc.kSeconds();
        assertTrue(Math.abs(k - CubicCongestionControl.k(wMax, window, BASE)) < 0.2,
            "K computed with the new size: " + k + " vs " + CubicCongestionControl.k(wMax, window, BASE));
        assertTrue(k > 1.5 * CubicCongestionControl.k(wMax, window, JUMBO), "(with the old size K would be far shorter)");
        for (int r = 0; r < 30; r++)
        {
            d.fullRound(RTT);
            final double t = d.seconds(epochStart);
            final double expected = Math.max(
                CubicCongestionControl.wCubic(t, k, wMax, BASE), cc.renoFriendlyWindow());
            assertEquals(expected, cc.congestionWindow(), 2.0 * BASE, "round " + r + " tracks W_cubic at MDS 1200");
        }
    }

    @Test
    void newRenoAddsOneDatagramOfTheCurrentSizePerWindow()
    {
        final NewRenoCongestionControl cc = new NewRenoCongestionControl(JUMBO);
        final CongestionDriver jumbo = new CongestionDriver(cc, JUMBO);
        for (int r = 0; r < 3; r++)
        {
            jumbo.fullRound(RTT);
        }
        jumbo.loss();
        jumbo.fullRound(RTT);
        final long before = cc.congestionWindow();
        jumbo.fullRound(RTT);
        assertEquals(before + JUMBO, cc.congestionWindow(), JUMBO / 10, "one 8972-byte datagram per window");

        cc.onDatagramSizeChanged(BASE);
        final CongestionDriver d = new CongestionDriver(cc, BASE);
        d.nowNs = jumbo.nowNs;
        for (int r = 0; r < 5; r++)
        {
            final long w = cc.congestionWindow();
            d.fullRound(RTT);
            assertEquals(w + BASE, cc.congestionWindow(), BASE, "one 1200-byte datagram per window after the change");
        }
    }

    private static final long BG_BASE_RTT = 10 * MS;

    /** Slow start, a queue ends it, then through the first slowdown (so the next is far off): avoidance. */
    private static CongestionDriver backgroundPastFirstSlowdown(final int mds)
    {
        final BackgroundCongestionControl cc = new BackgroundCongestionControl(mds);
        final CongestionDriver d = new CongestionDriver(cc, mds);
        for (int r = 0; r < 30; r++)
        {
            d.fullRound(BG_BASE_RTT);
        }
        d.fullRound(BG_BASE_RTT + BackgroundCongestionControl.TARGET_DELAY_NS_DEFAULT * 3 / 4 + MS);
        for (int r = 0; r < 500 && (cc.slowdowns() == 0 || cc.phase() != BackgroundCongestionControl.AVOIDANCE); r++)
        {
            d.fullRound(BG_BASE_RTT);
        }
        assertEquals(BackgroundCongestionControl.AVOIDANCE, cc.phase());
        return d;
    }

    @Test
    void backgroundGrowthPerRttInDatagramsDoesNotDependOnTheDatagramSize()
    {
        final CongestionDriver small = backgroundPastFirstSlowdown(BASE);
        final CongestionDriver large = backgroundPastFirstSlowdown(JUMBO);
        final double smallStart = (double)small.cc.congestionWindow() / BASE;
        final double largeStart = (double)large.cc.congestionWindow() / JUMBO;
        for (int r = 0; r < 20; r++)
        {
            small.fullRound(BG_BASE_RTT);
            large.fullRound(BG_BASE_RTT);
        }
        assertEquals(1, ((BackgroundCongestionControl)small.cc).slowdowns(), "no slowdown while measuring");
        assertEquals(1, ((BackgroundCongestionControl)large.cc).slowdowns(), "no slowdown while measuring");
        final double smallGrowth = (double)small.cc.congestionWindow() / BASE - smallStart;
        final double largeGrowth = (double)large.cc.congestionWindow() / JUMBO - largeStart;
        assertTrue(smallGrowth > 0.5, "it grew: " + smallGrowth);
        assertEquals(smallGrowth, largeGrowth, 0.25, "the same growth in datagrams at 1200 and 8972 bytes");
    }
}
