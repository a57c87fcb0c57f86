/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import dev.salvo.ConnectionStats;
import dev.salvo.transport.ConnectionCounters;
import dev.salvo.transport.ReliableConnectionCore;
import org.junit.jupiter.api.Test;

import static dev.salvo.transport.sim.SimulatedCongestionTest.assertEverythingDeliveredOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectionStats#spuriousLosses()} and {@link ConnectionStats#congestionUndos()} report what loss recovery
 * and the controller did with packets that were reordered, not lost; a link without reordering reports neither.
 */
class ReorderingStatsTest
{
    private static ConnectionCounters statsAfter(final Scenario scenario)
    {
        final ScenarioResult result = scenario.flow("a", SimulatedCubicCongestionTest.CUBIC, 0).run();
        assertEverythingDeliveredOnce(result);
        final ReliableConnectionCore sender = result.bulkFlows().get(0).sender().core();
        final ConnectionCounters counters = new ConnectionCounters();
        sender.snapshotStats(counters);
        assertEquals(sender.recovery().spuriousLosses(), counters.spuriousLosses());
        assertEquals(sender.congestionControl().undoneEvents(), counters.congestionUndos());
        return counters;
    }

    @Test
    void reorderedPacketsShowAsSpuriousLossesAndUndoneCongestionEvents()
    {
        final ConnectionCounters stats = statsAfter(
            new Scenario().name("reorder-stats").rttMs(50).seed(3).reorder(0.01, 5).durationSeconds(4, 2));
        assertTrue(stats.spuriousLosses() > 0, "reordered packets declared lost, then acknowledged: " + stats);
        assertTrue(stats.congestionUndos() > 0, "their congestion response was undone: " + stats);
        assertTrue(stats.packetsLost() >= stats.spuriousLosses(), "spurious losses are among the losses: " + stats);
        assertTrue(stats.toString().contains("spurious") && stats.toString().contains("congestionUndos="), stats.toString());
    }

    @Test
    void aLinkWithoutReorderingReportsNeither()
    {
        final ConnectionCounters stats = statsAfter(
            new Scenario().name("no-reorder-stats").rttMs(50).seed(3).loss(0.001).durationSeconds(4, 2));
        assertTrue(stats.packetsLost() > 0, "real losses happened: " + stats);
        assertEquals(0, stats.spuriousLosses(), stats.toString());
        assertEquals(0, stats.congestionUndos(), stats.toString());
    }
}
