/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import dev.salvo.transport.congestion.BackgroundCongestionControl;
import dev.salvo.transport.congestion.CubicCongestionControl;
import dev.salvo.transport.recovery.LossRecovery;
import dev.salvo.transport.recovery.ReorderingDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.salvo.transport.sim.SimulatedCongestionTest.assertEverythingDeliveredOnce;
import static dev.salvo.transport.sim.SimulatedCongestionTest.assertFills;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's bars on the simulated link with CUBIC (the default) and the background controller, including
 * the cases NewReno cannot meet: a 200 ms path with a quarter-BDP queue (NewReno's halving leaves the link a
 * third used for minutes), jitter at full utilisation, and yielding to a default flow.
 *
 * <p>Steady state: after slow start, its first loss and CUBIC's first epoch (K ≈ 9 s at 200 ms); the
 * windows below are per scenario. Every run is deterministic and takes a few seconds of wall time.
 */
class SimulatedCubicCongestionTest
{
    static final CongestionControlFactory CUBIC =
        CongestionControlFactory.named("Cubic", s -> new CubicCongestionControl(s.maxDatagramSize()));
    static final CongestionControlFactory BACKGROUND =
        CongestionControlFactory.named("Background", s -> new BackgroundCongestionControl(s.maxDatagramSize()));

    @ParameterizedTest(name = "RTT {0} ms")
    @ValueSource(ints = {50, 100, 200})
    void oneFlowFillsA100MbitLink(final int rttMs)
    {
        final ScenarioResult result = new Scenario().name("util").rttMs(rttMs).queueBdp(1)
            .durationSeconds(20, 10).flow("a", CUBIC, 0).run();
        System.out.print(result);
        assertFills(result);
        assertEverythingDeliveredOnce(result);
    }

    @Test
    void oneFlowFillsA200MsPathWithAQuarterBdpQueue()
    {
        final ScenarioResult result = new Scenario().name("util-smallq").rttMs(200).queueBdp(0.25)
            .durationSeconds(50, 30).flow("a", CUBIC, 0).run();
        System.out.print(result);
        assertFills(result);
        assertEverythingDeliveredOnce(result);
    }

    @Test
    void oneFlowFillsAGigabitLinkAt100MsWithJumboFrames()
    {
        final ScenarioResult result = new Scenario().name("util-1g").rate(1_000_000_000L).rttMs(100)
            .maxDatagramSize(8972).durationSeconds(8, 4).flow("a", CUBIC, 0).run();
        System.out.print(result);
        assertFills(result);
        assertEverythingDeliveredOnce(result);
    }

    @Test
    void twoFlowsStartedTogetherShareFairly()
    {
        final ScenarioResult result = new Scenario().name("fair-2").rttMs(50).durationSeconds(30, 10)
            .flow("a", CUBIC, 0).flow("b", CUBIC, 0).run();
        System.out.print(result);
        assertTrue(result.jainIndex() >= 0.95, () -> "Jain < 0.95\n" + result);
        assertFills(result);
        assertEverythingDeliveredOnce(result);
    }

    @Test
    void aLateFlowGetsItsShare()
    {
        // CUBIC converges in few loss epochs here (one every few seconds): judge it over 30-60 s. Where the
        // late flow leaves slow start against the full drop-tail queue decides how far apart the two windows
        // settle, and that depends chaotically on the start instant: one run gave Jain 0.933 starting at 4.9 s,
        // 0.994 at 5.0 s, 0.952 at 5.1 s; a 64 KiB INITIAL_MAX_DATA turned these into 0.998, 0.886, 0.952.
        // So the bar is on the median of three start instants, and every run must still be near fair.
        final double[] jain = new double[3];
        final double[] starts = {4.9, 5.0, 5.1};
        final StringBuilder runs = new StringBuilder();
        for (int i = 0; i < starts.length; i++)
        {
            final ScenarioResult result = new Scenario().name("fair-late").rttMs(50).durationSeconds(60, 30)
                .flow("a", CUBIC, 0).flow("b", CUBIC, starts[i]).run();
            System.out.print(result);
            runs.append(result);
            jain[i] = result.jainIndex();
            assertTrue(jain[i] >= 0.85, () -> "Jain < 0.85\n" + result);
            assertFills(result);
            assertEverythingDeliveredOnce(result);
        }
        java.util.Arrays.sort(jain);
        assertTrue(jain[1] >= 0.95, () -> "median Jain < 0.95\n" + runs);
    }

    /** A background flow started beside a default (CUBIC) flow leaves it at least 80% of the link. */
    @ParameterizedTest(name = "background starts at {0} s")
    @ValueSource(doubles = {0, 5})
    void backgroundYieldsToADefaultFlow(final double backgroundStart)
    {
        final ScenarioResult result = new Scenario().name("background").rttMs(50).durationSeconds(40, 20)
            .flow("default", CUBIC, 0).flow("background", BACKGROUND, backgroundStart).run();
        System.out.print(result);
        assertTrue(result.flow(0).goodputBps() >= 0.80 * result.scenario().rateBitsPerSecond(),
            () -> "default flow below 80% of the link\n" + result);
        assertTrue(result.utilisation() >= 0.90, () -> "link not filled\n" + result);
        assertTrue(result.flow(1).goodputBps() > 0, "the background flow is not starved to zero");
        assertEverythingDeliveredOnce(result);
    }

    /**
     * Model: RFC 9438 §5.1's average CUBIC window, the larger of (C(3+β)/(4(1−β)))^¼·(R³/p³)^¼ and the
     * Reno-friendly √(α(1+β)/(2(1−β)p)) segments ({@link LossModel}); bar: a factor of two either way.
     */
    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.01, 0.05})
    void randomLossGivesTheResponseFunctionsThroughputWithoutStalls(final double loss)
    {
        final ScenarioResult result = new Scenario().name("loss").rttMs(50).loss(loss).seed(11)
            .durationSeconds(40, 10).flow("a", CUBIC, 0).run();
        System.out.print(result);
        final double model = LossModel.goodputBps("Cubic", 1200, 50 * Simulation.MS, loss, 100_000_000L);
        final double goodput = result.flow(0).goodputBps();
        assertTrue(goodput >= model / 2 && goodput <= model * 2,
            () -> "goodput " + goodput + " outside [½, 2]× model " + model + "\n" + result);
        assertTrue(result.flow(0).maxStallNs() < Simulation.SECOND, () -> "stall ≥ 1 s\n" + result);
        assertEverythingDeliveredOnce(result);
    }

    /** Jitter (0–10 ms each way, order kept) costs CUBIC no utilisation and is never taken for loss. */
    @Test
    void jitterKeepsTheLinkFull()
    {
        final ScenarioResult result = new Scenario().name("jitter").rttMs(50).jitterMs(10).seed(5)
            .durationSeconds(20, 10).flow("a", CUBIC, 0).run();
        System.out.print(result);
        assertEquals(0, result.flow(0).spuriousLosses(), () -> "losses declared beyond real drops\n" + result);
        assertEquals(0, result.flow(0).persistentCongestionEvents());
        assertFills(result);
        assertEverythingDeliveredOnce(result);
    }

    /**
     * Deep reordering (1% of packets held back by a few ms: overtaken by ~50 packets per 5 ms at 100 Mbit/s)
     * is learned, not taken for loss: the first reordered packets are declared lost, acknowledged late, the
     * packet threshold (and, at 10 ms RTT where the hold-back exceeds 1/8 RTT, the time threshold) rises,
     * their congestion response is undone, and the link stays full (before adaptive thresholds: 3.6%).
     */
    @ParameterizedTest(name = "RTT {0} ms, 1% held back {1} ms")
    @CsvSource({"50, 5", "50, 20", "10, 5", "200, 5"})
    void deepReorderingIsLearnedAndKeepsTheLinkFull(final int rttMs, final int holdBackMs)
    {
        final ScenarioResult result = new Scenario().name("reorder-deep").rttMs(rttMs).seed(3).reorder(0.01, holdBackMs)
            .durationSeconds(30, 10).flow("a", CUBIC, 0).run();
        System.out.print(result);
        final LossRecovery recovery = result.bulkFlows().get(0).sender().core().recovery();
        assertTrue(result.forward().reordered() > 1000, "reordering exercised");
        assertFills(result);
        assertTrue(recovery.reordering().packetThreshold() > ReorderingDetector.INITIAL_PACKET_THRESHOLD,
            "packet threshold adapted");
        assertTrue(recovery.spuriousLosses() < result.forward().reordered() / 10,
            () -> recovery.spuriousLosses() + " spurious losses: the threshold did not keep up\n" + result);
        assertEquals(0, result.flow(0).persistentCongestionEvents());
        assertTrue(result.flow(0).maxStallNs() < Simulation.SECOND, () -> "stall ≥ 1 s\n" + result);
        assertEverythingDeliveredOnce(result);
    }

    /**
     * Reordering learned must not hide real loss: 1% held back 5 ms plus 1% random loss still gives CUBIC's
     * response function at p = 1% (a factor of two either way), no stall of 1 s or more, everything delivered.
     */
    @Test
    void realLossIsStillFoundBesideDeepReordering()
    {
        final ScenarioResult result = new Scenario().name("reorder-loss").rttMs(50).loss(0.01).reorder(0.01, 5).seed(11)
            .durationSeconds(40, 10).flow("a", CUBIC, 0).run();
        System.out.print(result);
        final double model = LossModel.goodputBps("Cubic", 1200, 50 * Simulation.MS, 0.01, 100_000_000L);
        final double goodput = result.flow(0).goodputBps();
        assertTrue(goodput >= model / 2 && goodput <= model * 2,
            () -> "goodput " + goodput + " outside [½, 2]× model " + model + "\n" + result);
        assertTrue(result.flow(0).maxStallNs() < Simulation.SECOND, () -> "stall ≥ 1 s\n" + result);
        assertTrue(result.forward().randomDrops() > 100, "loss exercised");
        assertEverythingDeliveredOnce(result);
    }
}
