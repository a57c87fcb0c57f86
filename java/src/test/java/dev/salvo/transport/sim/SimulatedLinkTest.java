/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated link itself: serialisation at the configured rate, propagation delay, drop-tail queue in
 * bytes, seeded random loss, order-keeping jitter and reordering; and Jain's index.
 */
class SimulatedLinkTest
{
    private static final class Sink implements SimulatedLink.Receiver
    {
        final Simulation simulation;
        final List<Long> arrivalsNs = new ArrayList<>();
        final List<Long> packetNumbers = new ArrayList<>();

        Sink(final Simulation simulation)
        {
            this.simulation = simulation;
        }

        @Override
        public void onArrival(final SimulatedLink.Packet packet)
        {
            arrivalsNs.add(simulation.nowNs());
            packetNumbers.add(packet.packetNumber);
        }
    }

    private static final class Source implements SimulatedLink.Sender
    {
        long drops;

        @Override
        public void onLinkDrop()
        {
            drops++;
        }
    }

    private static SimulatedLink.Packet packet(final Source source, final Sink sink, final long pn, final int wireBytes)
    {
        return new SimulatedLink.Packet(source, sink, pn, new byte[0], wireBytes);
    }

    @Test
    void serialisesAtTheRateThenDelaysAndDropsAtTheTail()
    {
        final Simulation simulation = new Simulation(10_000);
        final SimulatedLink link = new SimulatedLink(simulation, new SimulatedLink.Config()
            .rate(8_000_000L).delayNs(10 * Simulation.MS).queueBytes(10_000));
        final Sink sink = new Sink(simulation);
        final Source source = new Source();
        for (int i = 0; i < 15; i++)
        {
            link.send(packet(source, sink, i, 1000)); // 1000 B at 1 MB/s: 1 ms each
        }
        simulation.runUntil(Simulation.SECOND);
        assertEquals(10, sink.arrivalsNs.size(), "a 10 000-byte queue holds ten 1000-byte packets");
        assertEquals(5, link.queueDrops());
        assertEquals(5, source.drops);
        for (int i = 0; i < 10; i++)
        {
            assertEquals((i + 1) * Simulation.MS + 10 * Simulation.MS, (long)sink.arrivalsNs.get(i), "arrival " + i);
            assertEquals(i, (long)sink.packetNumbers.get(i));
        }
        assertEquals(10_000, link.bytesTransmitted());
    }

    @Test
    void losesTheConfiguredFractionReproducibly()
    {
        final long[] delivered = new long[2];
        for (int run = 0; run < 2; run++)
        {
            final Simulation simulation = new Simulation(1_000_000);
            final SimulatedLink link = new SimulatedLink(simulation, new SimulatedLink.Config()
                .rate(1_000_000_000L).delayNs(Simulation.MS).loss(0.05).seed(99));
            final Sink sink = new Sink(simulation);
            final Source source = new Source();
            for (int i = 0; i < 20_000; i++)
            {
                link.send(packet(source, sink, i, 1000));
            }
            simulation.runUntil(Simulation.SECOND);
            delivered[run] = sink.arrivalsNs.size();
            assertEquals(20_000 - link.randomDrops(), delivered[run]);
            assertTrue(Math.abs(link.randomDrops() - 1000) < 150, "≈5% lost: " + link.randomDrops());
        }
        assertEquals(delivered[0], delivered[1], "same seed, same losses");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void jitterKeepsOrderAndReorderingDoesNot(final boolean reorder)
    {
        final Simulation simulation = new Simulation(1_000_000);
        final SimulatedLink.Config config = new SimulatedLink.Config()
            .rate(100_000_000L).delayNs(10 * Simulation.MS).jitterNs(5 * Simulation.MS).seed(7);
        final SimulatedLink link = new SimulatedLink(simulation, reorder ? config.reorder(0.1, 2 * Simulation.MS) : config);
        final Sink sink = new Sink(simulation);
        final Source source = new Source();
        for (int i = 0; i < 2000; i++)
        {
            link.send(packet(source, sink, i, 1000));
        }
        simulation.runUntil(Simulation.SECOND);
        assertEquals(2000, sink.packetNumbers.size());
        int outOfOrder = 0;
        for (int i = 1; i < 2000; i++)
        {
            outOfOrder += sink.packetNumbers.get(i) < sink.packetNumbers.get(i - 1) ? 1 : 0;
            assertTrue(sink.arrivalsNs.get(i) >= sink.arrivalsNs.get(i - 1));
        }
        if (reorder)
        {
            assertTrue(outOfOrder > 100 && link.reordered() > 100, "reordered: " + outOfOrder);
        }
        else
        {
            assertEquals(0, outOfOrder, "jitter alone keeps order");
        }
    }

    @Test
    void jainIndex()
    {
        assertEquals(1.0, ScenarioResult.jainIndex(5, 5, 5, 5), 1e-12);
        assertEquals(0.5, ScenarioResult.jainIndex(10, 0), 1e-12);
        assertEquals(0.9, ScenarioResult.jainIndex(1, 2), 1e-12); // 9 / (2·5)
    }
}
