/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.ArrayList;
import java.util.List;

import dev.salvo.transport.ConnectionSettings;

/**
 * One simulated experiment: a dumbbell path (a bottleneck in each direction; data one way, ACKs the
 * other), the flows that share it and when they start, how long it runs, and which part of it is the
 * steady state the figures are taken over. {@link #run} is deterministic: same scenario, same result.
 *
 * <p>Defaults: 100 Mbit/s, 50 ms RTT, a drop-tail queue of one bandwidth-delay product, 1200-byte
 * datagrams, 64 KiB messages, samples every 100 ms.
 */
public final class Scenario
{
    /** One flow of a scenario. */
    public record FlowSpec(String name, CongestionControlFactory controller, long startNs)
    {
    }

    private String name = "scenario";
    private long rateBitsPerSecond = 100_000_000L;
    private long rttNs = 50 * Simulation.MS;
    private double queueBdp = 1.0;
    private double lossRate;
    private long jitterNs;
    private double reorderRate;
    private long reorderDelayNs;
    private long seed = 1;
    private int maxDatagramSize = 1200;
    private int messageLength = 64 * 1024;
    private long durationNs = 10 * Simulation.SECOND;
    private long steadyFromNs = 5 * Simulation.SECOND;
    private long sampleIntervalNs = 100 * Simulation.MS;
    private long drainNs = 120 * Simulation.SECOND;
    private long maxEvents = 20_000_000L;
    private boolean capOutstandingMessages = true;
    private long sendBufferLimit;
    private long receiveWindow;
    private final List<FlowSpec> flows = new ArrayList<>();

    /** @return this, named. */
    public Scenario name(final String name)
    {
        this.name = name;
        return this;
    }

    /** @return this, with the bottleneck rate (both directions). */
    public Scenario rate(final long bitsPerSecond)
    {
        rateBitsPerSecond = bitsPerSecond;
        return this;
    }

    /** @return this, with the round-trip propagation delay (split evenly between directions). */
    public Scenario rttMs(final long ms)
    {
        rttNs = ms * Simulation.MS;
        return this;
    }

    /** @return this, with the forward queue in bandwidth-delay products. */
    public Scenario queueBdp(final double bdps)
    {
        queueBdp = bdps;
        return this;
    }

    /** @return this, losing forward (data) packets at random with probability {@code rate}. */
    public Scenario loss(final double rate)
    {
        lossRate = rate;
        return this;
    }

    /** @return this, with order-keeping jitter of up to {@code ms} in both directions. */
    public Scenario jitterMs(final long ms)
    {
        jitterNs = ms * Simulation.MS;
        return this;
    }

    /** @return this, holding back a fraction {@code rate} of forward packets by {@code ms} (reordering). */
    public Scenario reorder(final double rate, final long ms)
    {
        reorderRate = rate;
        reorderDelayNs = ms * Simulation.MS;
        return this;
    }

    /** @return this, holding back a fraction {@code rate} of forward packets by {@code micros} µs. */
    public Scenario reorderMicros(final double rate, final long micros)
    {
        reorderRate = rate;
        reorderDelayNs = micros * 1_000L;
        return this;
    }

    /** @return this, seeding the links' randomness. */
    public Scenario seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    /** @return this, with the datagram size (UDP payload). */
    public Scenario maxDatagramSize(final int bytes)
    {
        maxDatagramSize = bytes;
        return this;
    }

    /** @return this, with the application's message length. */
    public Scenario messageLength(final int bytes)
    {
        messageLength = bytes;
        return this;
    }

    /** @return this, running {@code seconds} of virtual time with steady state from {@code steadyFromSeconds}. */
    public Scenario durationSeconds(final double seconds, final double steadyFromSeconds)
    {
        durationNs = (long)(seconds * Simulation.SECOND);
        steadyFromNs = (long)(steadyFromSeconds * Simulation.SECOND);
        return this;
    }

    /** @return this, bounding the events of one run. */
    public Scenario maxEvents(final long events)
    {
        maxEvents = events;
        return this;
    }

    /**
     * @return this, with the application's cap on outstanding message bytes (half the receive window) on or
     * off; it is the smaller of half the receive window and
     * four times the most the path holds (BDP + queue), at least 2 MiB. The cap works around a flow-control deadlock of the current protocol: unacknowledged bytes are
     * bounded but started messages are not, so with fragments sent round-robin over many messages the
     * receiver's whole window can be spent on partial messages, none completes, and no credit comes back
     * (see {@code FlowControlDeadlockReproduction}).
     */
    public Scenario capOutstandingMessages(final boolean cap)
    {
        capOutstandingMessages = cap;
        return this;
    }

    /**
     * @return this, with the cores' send buffer limit and receive window (0: the default, sized from the
     * path: four times BDP + queue for the send buffer, at least 16 MiB, and twice that for the window).
     */
    public Scenario buffers(final long sendBufferLimit, final long receiveWindow)
    {
        this.sendBufferLimit = sendBufferLimit;
        this.receiveWindow = receiveWindow;
        return this;
    }

    /** @return this, with a flow starting at {@code startSeconds}. */
    public Scenario flow(final String name, final CongestionControlFactory controller, final double startSeconds)
    {
        flows.add(new FlowSpec(name, controller, (long)(startSeconds * Simulation.SECOND)));
        return this;
    }

    /** @return this scenario's name. */
    public String name()
    {
        return name;
    }

    /** @return the bandwidth-delay product, bytes. */
    public long bdpBytes()
    {
        return rateBitsPerSecond / 8 * rttNs / Simulation.SECOND;
    }

    /** @return the bottleneck rate, bit/s. */
    public long rateBitsPerSecond()
    {
        return rateBitsPerSecond;
    }

    /** @return the round-trip propagation delay, ns. */
    public long rttNs()
    {
        return rttNs;
    }

    /** @return the random loss rate of data packets. */
    public double lossRate()
    {
        return lossRate;
    }

    /** @return the datagram size. */
    public int maxDatagramSize()
    {
        return maxDatagramSize;
    }

    /** @return the flows. */
    public List<FlowSpec> flows()
    {
        return flows;
    }

    /** Runs the scenario: the flows for its duration, then until everything offered is delivered (bounded). */
    public ScenarioResult run()
    {
        final Simulation simulation = new Simulation(maxEvents);
        final long bdp = bdpBytes();
        final SimulatedLink.Config forwardConfig = new SimulatedLink.Config()
            .rate(rateBitsPerSecond).delayNs(rttNs / 2).queueBytes(Math.max(4 * 1500, (long)(queueBdp * bdp)))
            .loss(lossRate).jitterNs(jitterNs).reorder(reorderRate, reorderDelayNs).seed(seed);
        final SimulatedLink.Config reverseConfig = forwardConfig.copy()
            .loss(0).reorder(0, 0).queueBytes(Long.MAX_VALUE).seed(seed * 31 + 7);
        final SimulatedLink forward = new SimulatedLink(simulation, forwardConfig);
        final SimulatedLink reverse = new SimulatedLink(simulation, reverseConfig);
        final long buffers = Math.max(16L << 20, 4 * (bdp + (long)(queueBdp * bdp)));
        final ConnectionSettings settings = new ConnectionSettings()
            .maxDatagramSize(maxDatagramSize)
            .sendBufferLimit(sendBufferLimit > 0 ? sendBufferLimit : buffers)
            .receiveWindow(receiveWindow > 0 ? receiveWindow : 2 * buffers)
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4);
        final List<BulkFlow> bulkFlows = new ArrayList<>();
        for (final FlowSpec spec : flows)
        {
            final BulkFlow flow = new BulkFlow(
                spec.name(), simulation, settings, spec.controller(), messageLength, spec.startNs(), durationNs,
                capOutstandingMessages ? Math.min(settings.receiveWindow() / 2, Math.max(2L << 20, 4 * (bdp + (long)(queueBdp * bdp)))) : Long.MAX_VALUE);
            flow.attach(forward, reverse);
            bulkFlows.add(flow);
        }
        final LinkMetrics linkMetrics = new LinkMetrics();
        simulation.sampleEvery(sampleIntervalNs, durationNs, () ->
        {
            linkMetrics.add(simulation.nowNs(), forward.bytesTransmitted(), forward.queuedBytes());
            bulkFlows.forEach(BulkFlow::sample);
        });
        simulation.runUntil(durationNs);
        final long activeEvents = simulation.eventsRun();
        final boolean drained = simulation.runUntil(
            durationNs + drainNs, () -> bulkFlows.stream().allMatch(BulkFlow::isComplete));
        return new ScenarioResult(
            this, bulkFlows, forward, linkMetrics, steadyFromNs, durationNs, drained, simulation.nowNs() - durationNs,
            activeEvents, simulation.eventsRun());
    }
}
