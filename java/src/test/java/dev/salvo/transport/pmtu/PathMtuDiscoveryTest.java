/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.pmtu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RFC 8899 state machine alone, on a virtual clock: a simulated path carries datagrams up to a limit, probes
 * above it vanish; acknowledgements come one RTT later.
 */
class PathMtuDiscoveryTest
{
    private static final long MS = 1_000_000L;
    private static final long RTT_NS = 10 * MS;
    private static final long PROBE_TIMEOUT_NS = PathMtuDiscovery.probeTimeoutNs(3 * RTT_NS);
    private static final long REPROBE_NS = 600_000 * MS;

    private long nowNs = 1_000 * MS;

    /**
     * Runs the search over a path carrying {@code pathLimit} bytes until it completes (bounded).
     *
     * @return probes sent.
     */
    private int search(final PathMtuDiscovery pmtu, final int pathLimit)
    {
        int probes = 0;
        for (int step = 0; step < 1_000 && !pmtu.isSearchComplete(); step++)
        {
            if (pmtu.isProbeDue(nowNs))
            {
                final int size = pmtu.probeSize();
                pmtu.onProbeSent(nowNs, PROBE_TIMEOUT_NS);
                probes++;
                if (size <= pathLimit)
                {
                    nowNs += RTT_NS;
                    pmtu.onProbeAcked(size, nowNs);
                    continue;
                }
            }
            nowNs = Math.max(nowNs, pmtu.timerDeadlineNs());
            pmtu.onTimer(nowNs, 0);
        }
        assertTrue(pmtu.isSearchComplete(), "search did not complete");
        return probes;
    }

    @ParameterizedTest(name = "base {0}, max {1}, path {2}")
    @CsvSource({
        "1200, 1472, 1372",
        "1200, 1472, 1472",
        "1200, 8972, 8972",
        "1200, 8972, 9000",
        "1200, 8972, 1500",
        "1200, 8972, 1200",
        "1200, 1472, 1000",
    })
    void searchConvergesToTheLargestSizeThePathCarries(final int base, final int max, final int pathLimit)
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(base, max, REPROBE_NS);
        assertEquals(base, pmtu.datagramSize(), "starts at the base");
        assertTrue(pmtu.isProbeDue(nowNs));
        assertEquals(max, pmtu.probeSize(), "first probe: the maximum");
        final int probes = search(pmtu, pathLimit);
        final int expected = Math.max(base, Math.min(max, pathLimit));
        assertTrue(pmtu.datagramSize() <= expected, "never above what the path carries: " + pmtu.datagramSize());
        assertTrue(pmtu.datagramSize() > expected - PathMtuDiscovery.SEARCH_RESOLUTION,
            "within the search resolution of " + expected + ": " + pmtu.datagramSize());
        if (pathLimit >= max)
        {
            assertEquals(1, probes, "a path carrying the maximum takes one probe");
            assertEquals(Long.MAX_VALUE, pmtu.timerDeadlineNs(), "at the maximum: nothing to re-probe");
        }
        // Each failed size costs MAX_PROBES attempts; a binary search over at most 8 KiB needs about 10 sizes.
        assertTrue(probes <= 1 + 14 * PathMtuDiscovery.MAX_PROBES, "probes " + probes);
        assertEquals(pmtu.probesSent(), probes);
        assertEquals(pmtu.probesSent(), pmtu.probesAcked() + pmtu.probesLost());
    }

    @Test
    void aSizeFailsOnlyAfterMaxProbesAttempts()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        for (int attempt = 1; attempt <= PathMtuDiscovery.MAX_PROBES; attempt++)
        {
            assertTrue(pmtu.isProbeDue(nowNs));
            assertEquals(1472, pmtu.probeSize(), "attempt " + attempt + " probes the same size");
            pmtu.onProbeSent(nowNs, PROBE_TIMEOUT_NS);
            assertFalse(pmtu.isProbeDue(nowNs), "one probe outstanding at a time");
            nowNs += PROBE_TIMEOUT_NS - 1;
            pmtu.onTimer(nowNs, 0);
            assertFalse(pmtu.isProbeDue(nowNs), "not before the probe timer");
            nowNs += 1;
            pmtu.onTimer(nowNs, 0);
        }
        assertTrue(pmtu.isProbeDue(nowNs));
        assertEquals((1200 + 1471 + 1) / 2, pmtu.probeSize(), "then the middle of the bracket");
        assertEquals(1200, pmtu.datagramSize());
    }

    @Test
    void aProbeDeclaredLostByLossRecoveryCountsAsAFailedAttempt()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        pmtu.onProbeSent(nowNs, PROBE_TIMEOUT_NS);
        pmtu.onProbeLost(1472, nowNs + MS);
        assertTrue(pmtu.isProbeDue(nowNs + MS), "the next attempt may go at once");
        assertEquals(1, pmtu.probesLost());
        pmtu.onProbeLost(1472, nowNs + MS);
        assertEquals(1, pmtu.probesLost(), "a loss with no probe outstanding changes nothing");
    }

    @Test
    void aLateAcknowledgementStillRaisesTheSize()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        pmtu.onProbeSent(nowNs, PROBE_TIMEOUT_NS);
        nowNs += PROBE_TIMEOUT_NS;
        pmtu.onTimer(nowNs, 0);
        pmtu.onProbeAcked(1472, nowNs + MS);
        assertEquals(1472, pmtu.datagramSize());
        assertTrue(pmtu.isSearchComplete());
    }

    @Test
    void lossBurstsOfLargePacketsAfterTheLastAcknowledgedOneFallBackToTheBase()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        search(pmtu, 1472);
        assertEquals(1472, pmtu.datagramSize());
        // The path shrinks to 1400: every full-size packet from now on is lost; small ones (ACK-only) are not seen.
        long pn = 100;
        pmtu.onPacketAcked(pn++, 1472);
        for (int burst = 1; burst <= PathMtuDiscovery.BLACK_HOLE_LOSS_BURSTS; burst++)
        {
            assertEquals(1472, pmtu.datagramSize(), "not yet after " + (burst - 1) + " bursts");
            for (int k = 0; k < 5; k++)
            {
                pmtu.onPacketLost(pn++, 1472, nowNs);
            }
            pn += 2; // a gap (packets not yet declared lost) separates bursts
        }
        assertEquals(1200, pmtu.datagramSize(), "black hole: back to the base");
        assertEquals(1, pmtu.blackHoles());
        assertFalse(pmtu.isSearchComplete(), "and searching again");
        search(pmtu, 1400);
        assertTrue(pmtu.datagramSize() <= 1400 && pmtu.datagramSize() > 1400 - PathMtuDiscovery.SEARCH_RESOLUTION,
            "settles below the new limit: " + pmtu.datagramSize());
        // Packets of the old, larger size lost afterwards are no evidence against the new size.
        for (int k = 0; k < 20; k++)
        {
            pmtu.onPacketLost(pn, 1472, nowNs);
            pn += 2;
        }
        assertEquals(1, pmtu.blackHoles());
    }

    @Test
    void congestionLossesFollowedByAcknowledgedLargePacketsAreNoBlackHole()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        search(pmtu, 1472);
        long pn = 0;
        for (int round = 0; round < 100; round++)
        {
            // A queue overflow loses a run; the same ACK acknowledges later full-size packets first.
            pmtu.onPacketAcked(pn + 30, 1472);
            for (int k = 0; k < 20; k++)
            {
                pmtu.onPacketLost(pn + k, 1472, nowNs);
            }
            pn += 40;
        }
        assertEquals(1472, pmtu.datagramSize());
        assertEquals(0, pmtu.blackHoles());
    }

    @Test
    void repeatedProbeTimeoutsAboveTheBaseFallBackToTheBase()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 8972, REPROBE_NS);
        search(pmtu, 8972);
        pmtu.onTimer(nowNs, PathMtuDiscovery.BLACK_HOLE_PTO_COUNT - 1);
        assertEquals(8972, pmtu.datagramSize());
        pmtu.onTimer(nowNs, PathMtuDiscovery.BLACK_HOLE_PTO_COUNT);
        assertEquals(1200, pmtu.datagramSize());
        pmtu.onTimer(nowNs, PathMtuDiscovery.BLACK_HOLE_PTO_COUNT + 1);
        assertEquals(1, pmtu.blackHoles(), "at the base a timeout is no news");
    }

    @Test
    void reprobesAfterTheIntervalAndUsesAPathThatGrew()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        search(pmtu, 1372);
        final int settled = pmtu.datagramSize();
        final long completedNs = nowNs;
        assertEquals(completedNs + REPROBE_NS, pmtu.timerDeadlineNs(), "re-probe timer armed");
        pmtu.onTimer(completedNs + REPROBE_NS - 1, 0);
        assertFalse(pmtu.isProbeDue(completedNs + REPROBE_NS - 1), "nothing before the timer");
        nowNs = completedNs + REPROBE_NS;
        pmtu.onTimer(nowNs, 0);
        assertTrue(pmtu.isProbeDue(nowNs), "probes again at the timer");
        assertEquals(1472, pmtu.probeSize());
        assertEquals(settled, pmtu.datagramSize(), "keeps its size while probing");
        search(pmtu, 1472);
        assertEquals(1472, pmtu.datagramSize());
    }

    @Test
    void equalBaseAndMaximumNeverProbe()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1472, 1472, REPROBE_NS);
        assertFalse(pmtu.isProbeDue(nowNs));
        assertEquals(0, pmtu.probeSize());
        assertEquals(1472, pmtu.datagramSize());
        assertEquals(Long.MAX_VALUE, pmtu.timerDeadlineNs());
        pmtu.onTimer(nowNs, 10);
        assertEquals(1472, pmtu.datagramSize());
    }

    @Test
    void theRouteLimitLowersTheMaximumButNeverBelowTheBase()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 8972, REPROBE_NS);
        pmtu.limitMaxDatagramSize(1472);
        assertEquals(1472, pmtu.maxSize());
        assertEquals(1472, pmtu.probeSize());
        pmtu.limitMaxDatagramSize(9000);
        assertEquals(1472, pmtu.maxSize(), "never raised");
        pmtu.limitMaxDatagramSize(500);
        assertEquals(1200, pmtu.maxSize());
        assertFalse(pmtu.isProbeDue(nowNs), "base == max: no probing");
        assertThrows(IllegalArgumentException.class, () -> new PathMtuDiscovery(1200, 1199, REPROBE_NS));
    }

    @Test
    void probeTimerIsTwoProbeTimeoutsWithAFloor()
    {
        assertEquals(PathMtuDiscovery.MIN_PROBE_TIMER_NS, PathMtuDiscovery.probeTimeoutNs(MS));
        assertEquals(2_000 * MS, PathMtuDiscovery.probeTimeoutNs(1_000 * MS));
    }

    /**
     * Runs the search where the local route refuses datagrams above {@code localLimit} at once (EMSGSIZE) and the
     * path carries the rest; no probe timer ever runs.
     *
     * @return probes sent.
     */
    private int searchWithLocalRefusals(final PathMtuDiscovery pmtu, final int localLimit)
    {
        int probes = 0;
        for (int step = 0; step < 1_000 && !pmtu.isSearchComplete(); step++)
        {
            assertTrue(pmtu.isProbeDue(nowNs), "a probe is due at once after a refusal");
            final int size = pmtu.probeSize();
            pmtu.onProbeSent(nowNs, PROBE_TIMEOUT_NS);
            probes++;
            if (size > localLimit)
            {
                pmtu.onDatagramTooLarge(size, nowNs);
            }
            else
            {
                nowNs += RTT_NS;
                pmtu.onProbeAcked(size, nowNs);
            }
        }
        assertTrue(pmtu.isSearchComplete(), "search did not complete");
        return probes;
    }

    @Test
    void aRefusedDatagramOfTheCurrentSizeFallsBackAtOnceAndSearchesBelowIt()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 8972, REPROBE_NS);
        search(pmtu, 8972);
        assertEquals(8972, pmtu.datagramSize());

        // The local link shrinks to 1300: the next full-size send is refused (a GSO train of them, say).
        final long before = nowNs;
        pmtu.onDatagramTooLarge(8972, nowNs);
        assertEquals(1200, pmtu.datagramSize(), "back to the base at once, no black-hole detection needed");
        assertFalse(pmtu.isSearchComplete());
        assertTrue(pmtu.probeSize() < 8972, "the refused size is not probed again: " + pmtu.probeSize());
        pmtu.onDatagramTooLarge(8972, nowNs); // the rest of that batch: no further effect
        assertEquals(1200, pmtu.datagramSize());

        final int probes = searchWithLocalRefusals(pmtu, 1272);
        assertTrue(pmtu.datagramSize() <= 1272 && pmtu.datagramSize() > 1272 - PathMtuDiscovery.SEARCH_RESOLUTION,
            "settled just below the local limit: " + pmtu.datagramSize());
        assertTrue(probes <= 12, "a binary search: " + probes);
        assertTrue(nowNs - before <= 12 * RTT_NS, "round trips only for the sizes that fit, never a probe timer");
        assertEquals(0, pmtu.blackHoles());
        final long refusedProbes = probes - (pmtu.probesAcked() - 1); // the first search's 8972 probe was acked
        assertTrue(refusedProbes > 0);
        assertEquals(2 + refusedProbes, pmtu.tooLargeSignals(), "every refusal counted");
    }

    @Test
    void refusalsThatSayNothingNewAreIgnored()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 1472, REPROBE_NS);
        pmtu.onDatagramTooLarge(1200, nowNs); // the base itself: nothing smaller to go to
        assertEquals(1200, pmtu.datagramSize());
        search(pmtu, 1400);
        final int settled = pmtu.datagramSize();
        pmtu.onDatagramTooLarge(1472, nowNs); // an old probe's size, no probe outstanding
        assertEquals(settled, pmtu.datagramSize());
        assertTrue(pmtu.isSearchComplete());
        assertEquals(2, pmtu.tooLargeSignals());
    }

    @Test
    void aRefusedProbeFailsAtOnceWithoutTheProbeTimer()
    {
        final PathMtuDiscovery pmtu = new PathMtuDiscovery(1200, 8972, REPROBE_NS);
        assertEquals(8972, pmtu.probeSize());
        pmtu.onProbeSent(nowNs, PROBE_TIMEOUT_NS);
        pmtu.onDatagramTooLarge(8972, nowNs);
        assertEquals(1200, pmtu.datagramSize(), "the current size is untouched");
        assertTrue(pmtu.isProbeDue(nowNs), "the next probe goes at once");
        assertTrue(pmtu.probeSize() < 8972 && pmtu.probeSize() > 1200, "below the refused size: " + pmtu.probeSize());
        assertEquals(1, pmtu.probesLost());
    }
}
