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
}
