/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NewRenoCongestionControlTest
{
    private static final int MDS = 1200;
    private static final long MS = 1_000_000L;

    @Test
    void initialWindowFollowsRfc9002()
    {
        assertEquals(12_000, NewRenoCongestionControl.initialWindow(1200));
        assertEquals(14_720, NewRenoCongestionControl.initialWindow(1472));
        assertEquals(18_000, NewRenoCongestionControl.initialWindow(9000), "max(14720, 2*mds) for jumbo frames");
    }

    @Test
    void slowStartThenHalvingThenCongestionAvoidanceThenPersistentCongestion()
    {
        final NewRenoCongestionControl cc = new NewRenoCongestionControl(1200);
        assertTrue(cc.inSlowStart());
        for (int i = 0; i < 10; i++)
        {
            cc.onPacketSent(1200, 1200L * (i + 1), 10 + i);
        }
        for (int i = 0; i < 10; i++)
        {
            cc.onPacketAcked(1200, 10 + i, 100);
        }
        assertEquals(24_000, cc.congestionWindow(), "slow start doubles per window");

        cc.onPacketsLost(1200, 50, 200);
        assertEquals(12_000, cc.congestionWindow());
        assertEquals(12_000, cc.slowStartThreshold());
        assertFalse(cc.inSlowStart());

        cc.onPacketsLost(1200, 150, 210);
        assertEquals(12_000, cc.congestionWindow(), "loss of a packet sent before recovery began: same event");
        cc.onPacketAcked(12_000, 190, 220);
        assertEquals(12_000, cc.congestionWindow(), "no growth for packets sent before recovery began");

        for (int i = 0; i < 10; i++)
        {
            cc.onPacketSent(1200, 1200L * (i + 1), 201 + i);
        }
        cc.onPacketAcked(6_000, 201, 230);
        cc.onPacketAcked(6_000, 202, 231);
        assertEquals(13_200, cc.congestionWindow(), "one datagram per window in congestion avoidance");

        cc.onPacketsLost(1200, 300, 400);
        assertEquals(6_600, cc.congestionWindow());
        for (int i = 0; i < 5; i++)
        {
            cc.onPacketsLost(1200, 500 + 100 * i, 500 + 100 * i + 1);
        }
        assertEquals(2_400, cc.congestionWindow(), "never below the minimum window of 2 datagrams");

        cc.onPersistentCongestion(2000);
        assertEquals(2_400, cc.congestionWindow());
    }

    @Test
    void applicationLimitedWindowDoesNotGrow()
    {
        final NewRenoCongestionControl cc = new NewRenoCongestionControl(1200);
        long now = 0;
        for (int i = 0; i < 10_000; i++)
        {
            cc.onPacketSent(1200, 1200, now);
            cc.onPacketAcked(1200, now, now + 1000);
            now += 1000;
        }
        assertEquals(12_000, cc.congestionWindow(), "one packet in flight never justifies a bigger window (RFC 9002 7.8)");

        for (int i = 0; i < 10; i++)
        {
            cc.onPacketSent(1200, 1200L * (i + 1), now + i);
        }
        for (int i = 0; i < 10; i++)
        {
            cc.onPacketAcked(1200, now + i, now + 1000);
        }
        assertEquals(24_000, cc.congestionWindow(), "a full window in flight: slow start doubles it again");
    }

    @Test
    void aSpuriousLossEventIsUndone()
    {
        final NewRenoCongestionControl cc = new NewRenoCongestionControl(MDS);
        final CongestionDriver d = new CongestionDriver(cc, MDS);
        for (int r = 0; r < 3; r++)
        {
            d.fullRound(100 * MS);
        }
        final long before = cc.congestionWindow();
        d.loss();
        final long lossAt = d.nowNs - 1;
        assertEquals(before / 2, cc.congestionWindow());
        d.fullRound(100 * MS);
        final long grown = cc.congestionWindow();
        assertEquals(before / 2 + MDS, grown, "congestion avoidance since the event");
        cc.onSpuriousCongestionEvent(lossAt + 1, d.nowNs);
        assertEquals(grown, cc.congestionWindow(), "another event's time: ignored");
        cc.onSpuriousCongestionEvent(lossAt, d.nowNs);
        assertEquals(before, cc.congestionWindow(), "restored");
        assertTrue(cc.inSlowStart(), "ssthresh restored");
        assertEquals(1, cc.undoneEvents());
        d.loss();
        assertEquals(before / 2, cc.congestionWindow(), "a new loss after the undo reduces again");
    }
}
