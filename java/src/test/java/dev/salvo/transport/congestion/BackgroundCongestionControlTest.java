/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundCongestionControlTest
{
    private static final int MDS = 1200;
    private static final long MS = 1_000_000L;
    private static final long BASE = 10 * MS;
    private static final long TARGET = BackgroundCongestionControl.TARGET_DELAY_NS_DEFAULT;

    /** Slow start at the base RTT, then a queue of 3/4 target ends it: congestion avoidance. */
    private static CongestionDriver inAvoidance()
    {
        final BackgroundCongestionControl cc = new BackgroundCongestionControl(MDS);
        final CongestionDriver d = new CongestionDriver(cc, MDS);
        for (int r = 0; r < 30; r++)
        {
            d.fullRound(BASE);
        }
        assertEquals(BackgroundCongestionControl.SLOW_START, cc.phase());
        d.fullRound(BASE + TARGET * 3 / 4 + MS);
        assertEquals(BackgroundCongestionControl.AVOIDANCE, cc.phase(), "queueing delay above 3/4 target ends slow start");
        return d;
    }

    /** As {@link #inAvoidance()}, then through the first slowdown (so the next one is far off). */
    private static CongestionDriver pastFirstSlowdown()
    {
        final CongestionDriver d = inAvoidance();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        for (int r = 0; r < 500 && (cc.slowdowns() == 0 || cc.phase() != BackgroundCongestionControl.AVOIDANCE); r++)
        {
            d.fullRound(BASE);
        }
        assertEquals(1, cc.slowdowns());
        assertEquals(BackgroundCongestionControl.AVOIDANCE, cc.phase());
        return d;
    }

    @Test
    void slowStartGrowsByGainTimesBytesAcked()
    {
        final BackgroundCongestionControl cc = new BackgroundCongestionControl(MDS);
        final CongestionDriver d = new CongestionDriver(cc, MDS);
        d.fullRound(BASE);
        assertEquals(1.0 / 12, cc.gain(), 1e-12, "GAIN = 1 / min(16, ceil(2 * 60 ms / 10 ms))");
        final long before = cc.congestionWindow();
        d.fullRound(BASE);
        assertEquals(before * (1 + 1.0 / 12), cc.congestionWindow(), MDS, "slow start at GAIN: x(1 + 1/12) per round");
        assertTrue(cc.inSlowStart());
    }

    @Test
    void belowTargetGrowsSlowerThanRenoAboveTargetDecreasesMultiplicatively()
    {
        final CongestionDriver d = pastFirstSlowdown();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        final long w0 = cc.congestionWindow();
        d.fullRound(BASE + 10 * MS);
        assertEquals(w0 + MDS / 12.0, cc.congestionWindow(), MDS / 24.0, "GAIN datagrams per round below target");

        final long w1 = cc.congestionWindow();
        d.fullRound(BASE + 2 * TARGET); // delay twice the target: (delay/target - 1) * W = W, capped at W/2
        assertEquals(w1 / 2.0, cc.congestionWindow(), 2 * MDS, "at most half a window per round trip");

        final long w2 = cc.congestionWindow();
        d.fullRound(BASE + TARGET + TARGET / 10); // 10% above target: W/10 less per round, plus GAIN
        assertEquals(w2 - w2 / 10.0, cc.congestionWindow(), 0.05 * w2, "proportional to how far above the target");

        for (int r = 0; r < 30; r++)
        {
            d.fullRound(BASE + 3 * TARGET);
            assertTrue(cc.congestionWindow() >= cc.minimumWindow(), "never below the floor");
        }
        assertEquals(4 * MDS, cc.congestionWindow(), "a long queue pins it at the floor, not at zero");
        assertEquals(0, cc.rebases());
    }

    @Test
    void lossHalvesOncePerRecoveryPeriodAndPersistentCongestionStopsAtTheFloor()
    {
        final CongestionDriver d = inAvoidance();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        final long w = cc.congestionWindow();
        d.loss();
        assertEquals(w / 2, cc.congestionWindow(), 1);
        cc.onPacketsLost(MDS, d.nowNs - 10, d.nowNs + 5);
        assertEquals(w / 2, cc.congestionWindow(), 1, "same recovery period");
        for (int i = 0; i < 20; i++)
        {
            d.fullRound(BASE);
            d.loss();
        }
        assertEquals(cc.minimumWindow(), cc.congestionWindow());
        cc.onPersistentCongestion(d.nowNs);
        assertEquals(4 * MDS, cc.congestionWindow(), "4 packets: a single loss is still found by the packet threshold");
    }

    @Test
    void slowdownDrainsOwnQueueAndRemeasuresTheBaseDelay()
    {
        final BackgroundCongestionControl cc = new BackgroundCongestionControl(MDS);
        final CongestionDriver d = new CongestionDriver(cc, MDS);
        // The flow's own queue is already in every sample: it measures a base of 40 ms instead of 10 ms.
        final long inflated = BASE + 30 * MS;
        for (int r = 0; r < 20; r++)
        {
            d.fullRound(inflated);
        }
        assertEquals(inflated, cc.baseDelayNs());
        d.fullRound(inflated + TARGET); // queue grows: slow start ends, first slowdown scheduled 2 RTTs on
        assertEquals(BackgroundCongestionControl.AVOIDANCE, cc.phase());
        final long before = cc.congestionWindow();
        int rounds = 0;
        while (cc.phase() != BackgroundCongestionControl.SLOWDOWN_HOLD && rounds++ < 10)
        {
            d.fullRound(inflated);
        }
        assertEquals(BackgroundCongestionControl.SLOWDOWN_HOLD, cc.phase(), "slowdown 2 round trips after slow start");
        assertEquals(cc.minimumWindow(), cc.congestionWindow(), "slowdown: window at the floor");
        d.fullRound(BASE); // the queue drains while the window is small: the true base delay shows
        d.fullRound(BASE);
        assertEquals(BASE, cc.baseDelayNs(), "base delay re-measured during the slowdown");
        for (int r = 0; r < 200 && cc.phase() != BackgroundCongestionControl.AVOIDANCE; r++)
        {
            d.fullRound(BASE);
        }
        assertEquals(BackgroundCongestionControl.AVOIDANCE, cc.phase());
        assertTrue(cc.congestionWindow() >= before * 0.9, "ramped back to the window before the slowdown");
        assertTrue(cc.nextSlowdownNs() > d.nowNs && cc.nextSlowdownNs() != Long.MAX_VALUE, "next slowdown scheduled");
        assertEquals(1, cc.slowdowns());
    }

    @Test
    void slowdownsRecurAtAboutTenPercentDutyCycle()
    {
        final CongestionDriver d = inAvoidance();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        int holdRounds = 0;
        final int total = 3000;
        for (int r = 0; r < total; r++)
        {
            d.fullRound(BASE + 20 * MS);
            if (cc.phase() == BackgroundCongestionControl.SLOWDOWN_HOLD)
            {
                holdRounds++;
            }
        }
        assertTrue(cc.slowdowns() >= 3, "slowdowns recur: " + cc.slowdowns());
        assertTrue(holdRounds < total / 10, "held at the floor less than 10% of the time: " + holdRounds);
    }

    @Test
    void baseDelayThatIsTooLowIsRepairedInsteadOfPinningTheWindowAtTheFloorForever()
    {
        final CongestionDriver d = inAvoidance();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        final long longer = BASE + 150 * MS; // the path got longer: every RTT is 150 ms above the old base
        for (int r = 0; r < 3000 && cc.rebases() == 0; r++)
        {
            d.fullRound(longer);
            assertTrue(cc.congestionWindow() >= cc.minimumWindow());
        }
        assertEquals(1, cc.rebases(), "slowdowns at the floor that still see the queue re-measure the base");
        assertEquals(longer, cc.baseDelayNs());
        final long atFloor = cc.congestionWindow();
        for (int r = 0; r < 100; r++)
        {
            d.fullRound(longer);
        }
        assertTrue(cc.congestionWindow() > atFloor + 2 * MDS, "grows again: " + cc.congestionWindow());
    }

    @Test
    void applicationLimitedWindowDoesNotGrow()
    {
        final CongestionDriver d = inAvoidance();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        final long w = cc.congestionWindow();
        for (int r = 0; r < 50; r++)
        {
            d.round(2, BASE);
        }
        assertTrue(cc.congestionWindow() <= w, "no growth with 2 packets in flight");
    }

    @Test
    void aSpuriousLossEventIsUndoneUnlessASlowdownCameBetween()
    {
        final CongestionDriver d = pastFirstSlowdown();
        final BackgroundCongestionControl cc = (BackgroundCongestionControl)d.cc;
        final long before = cc.congestionWindow();
        d.loss();
        final long lossAt = d.nowNs - 1;
        assertEquals(Math.max(before / 2, cc.minimumWindow()), cc.congestionWindow(), 1);
        cc.onSpuriousCongestionEvent(lossAt, d.nowNs);
        assertEquals(before, cc.congestionWindow(), "restored");
        assertEquals(BackgroundCongestionControl.AVOIDANCE, cc.phase());
        assertEquals(1, cc.undoneEvents());

        d.loss();
        final long secondLoss = d.nowNs - 1;
        final long reduced = cc.congestionWindow();
        for (int r = 0; r < 2000 && cc.slowdowns() == 1; r++)
        {
            d.fullRound(BASE);
        }
        assertEquals(2, cc.slowdowns());
        cc.onSpuriousCongestionEvent(secondLoss, d.nowNs);
        assertEquals(1, cc.undoneEvents(), "a slowdown since the event: not undone");
        assertTrue(reduced < before);
    }
}
