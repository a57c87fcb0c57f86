/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RttEstimatorTest
{
    private static final long MS = 1_000_000L;

    @Test
    void startsFromTheInitialRtt()
    {
        final RttEstimator rtt = new RttEstimator();
        assertFalse(rtt.hasSample());
        assertEquals(333 * MS, rtt.smoothedRttNs());
        assertEquals(333 * MS / 2, rtt.rttVarNs());
        // PTO = 333 + 4 * 166.5 + 25 = 1024 ms.
        assertEquals(333 * MS + 4 * (333 * MS / 2) + 25 * MS, rtt.ptoNs(25 * MS));
    }

    @Test
    void followsRfc9002Formulas()
    {
        final RttEstimator rtt = new RttEstimator();
        rtt.onSample(100 * MS, 10 * MS, 0);
        assertEquals(100 * MS, rtt.smoothedRttNs(), "first sample ignores ack delay");
        assertEquals(50 * MS, rtt.rttVarNs());
        assertEquals(100 * MS, rtt.minRttNs());

        rtt.onSample(120 * MS, 10 * MS, 1);
        // adjusted = 120 - 10 = 110 (>= min + delay); rttvar = 3/4*50 + 1/4*|100-110| = 40; srtt = 7/8*100 + 1/8*110
        assertEquals(40 * MS, rtt.rttVarNs());
        assertEquals((7 * 100 * MS + 110 * MS) / 8, rtt.smoothedRttNs());
        assertEquals(120 * MS, rtt.latestRttNs());

        final long srtt = rtt.smoothedRttNs();
        final long var = rtt.rttVarNs();
        rtt.onSample(105 * MS, 10 * MS, 2);
        // 105 < min(100) + 10: ack delay not subtracted
        assertEquals((3 * var + Math.abs(srtt - 105 * MS)) / 4, rtt.rttVarNs());
        assertEquals((7 * srtt + 105 * MS) / 8, rtt.smoothedRttNs());

        rtt.onSample(80 * MS, 0, 3);
        assertEquals(80 * MS, rtt.minRttNs());
        assertTrue(rtt.hasSample());
    }

    @Test
    void lossDelayIsNineEighthsOfTheLargerRttWithGranularityFloor()
    {
        final RttEstimator rtt = new RttEstimator();
        rtt.onSample(80 * MS, 0, 0);
        assertEquals(90 * MS, rtt.lossDelayNs());
        rtt.onSample(160 * MS, 0, 1);
        assertEquals(180 * MS, rtt.lossDelayNs(), "latest above smoothed");

        final RttEstimator tiny = new RttEstimator();
        tiny.onSample(1000, 0, 0);
        assertEquals(RttEstimator.GRANULARITY_NS, tiny.lossDelayNs());
    }
}
