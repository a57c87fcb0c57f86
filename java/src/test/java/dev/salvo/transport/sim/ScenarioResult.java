/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link Scenario} run measured, over its steady-state window [steady start, end of sending]:
 * bottleneck utilisation (wire bytes, headers and retransmissions included, over the link's capacity),
 * each flow's goodput, retransmission ratio, loss declarations against real drops, smallest cwnd and
 * longest delivery gap, Jain's fairness index over the flows' goodputs, and whether everything offered was
 * delivered exactly once after the drain.
 */
public final class ScenarioResult
{
    /** One flow's figures over the steady-state window (integrity figures over the whole run). */
    public record FlowSummary(
        String name,
        String controller,
        double goodputBps,
        double retransmissionRatio,
        long packetsLost,
        long packetsDropped,
        long minCwnd,
        long persistentCongestionEvents,
        long maxStallNs,
        long maxDeliveryGapNs,
        long messagesSent,
        long messagesDelivered,
        long duplicates,
        long corrupt,
        boolean complete)
    {
        /** @return loss declarations beyond the packets the links really dropped (reordering taken for loss). */
        public long spuriousLosses()
        {
            return Math.max(0, packetsLost - packetsDropped);
        }
    }

    private final Scenario scenario;
    private final List<BulkFlow> flows;
    private final List<FlowSummary> summaries = new ArrayList<>();
    private final SimulatedLink forward;
    private final LinkMetrics linkMetrics;
    private final double utilisation;
    private final double meanQueuedBytes;
    private final boolean drained;
    private final long drainNs;
    private final long activeEvents;
    private final long events;

    ScenarioResult(
        final Scenario scenario, final List<BulkFlow> flows, final SimulatedLink forward, final LinkMetrics linkMetrics,
        final long steadyFromNs, final long endNs, final boolean drained, final long drainNs, final long activeEvents,
        final long events)
    {
        this.scenario = scenario;
        this.flows = flows;
        this.forward = forward;
        this.linkMetrics = linkMetrics;
        this.drained = drained;
        this.drainNs = drainNs;
        this.activeEvents = activeEvents;
        this.events = events;
        final int from = linkMetrics.indexAt(steadyFromNs);
        final int to = linkMetrics.indexAt(endNs);
        if (from >= to || to >= linkMetrics.count())
        {
            throw new IllegalStateException("empty steady-state window");
        }
        this.utilisation = linkMetrics.utilisation(from, to, scenario.rateBitsPerSecond());
        this.meanQueuedBytes = linkMetrics.meanQueuedBytes(from, to);
        for (int k = 0; k < flows.size(); k++)
        {
            final BulkFlow flow = flows.get(k);
            final FlowMetrics m = flow.metrics();
            summaries.add(new FlowSummary(
                flow.name(), scenario.flows().get(k).controller().name(), m.goodputBps(from, to),
                m.retransmissionRatio(from, to), m.packetsLost(from, to), m.packetsDropped(from, to), m.minCwnd(from, to),
                flow.sender().core().recovery().persistentCongestionEvents(), flow.maxStallNs(), flow.maxDeliveryGapNs(), flow.messagesSent(),
                flow.messagesDelivered(), flow.duplicates(), flow.corrupt(), flow.isComplete()));
        }
    }

    /** @return Jain's fairness index (Σx)² / (n·Σx²) of {@code values}: 1 when equal, 1/n when one takes all. */
    public static double jainIndex(final double... values)
    {
        double sum = 0;
        double squares = 0;
        for (final double x : values)
        {
            sum += x;
            squares += x * x;
        }
        return squares == 0 ? 0 : sum * sum / (values.length * squares);
    }

    /** @return Jain's index over the flows' steady-state goodputs. */
    public double jainIndex()
    {
        return jainIndex(summaries.stream().mapToDouble(FlowSummary::goodputBps).toArray());
    }

    /** @return bottleneck utilisation over the steady-state window (wire bytes / capacity). */
    public double utilisation()
    {
        return utilisation;
    }

    /** @return total goodput of all flows / link rate over the steady-state window. */
    public double goodputRatio()
    {
        return summaries.stream().mapToDouble(FlowSummary::goodputBps).sum() / scenario.rateBitsPerSecond();
    }

    /** @return the packets retransmitted / sent of all flows over the steady-state window. */
    public double retransmissionRatio()
    {
        return summaries.stream().mapToDouble(FlowSummary::retransmissionRatio).max().orElse(0);
    }

    /** @return the mean sampled bottleneck queue over the steady-state window, bytes. */
    public double meanQueuedBytes()
    {
        return meanQueuedBytes;
    }

    /** @return per-flow figures, in the scenario's order. */
    public List<FlowSummary> flows()
    {
        return summaries;
    }

    /** @return flow {@code i}'s figures. */
    public FlowSummary flow(final int i)
    {
        return summaries.get(i);
    }

    /** @return the simulated flows (time series in {@link BulkFlow#metrics()}). */
    public List<BulkFlow> bulkFlows()
    {
        return flows;
    }

    /** @return the bottleneck's time series. */
    public LinkMetrics linkMetrics()
    {
        return linkMetrics;
    }

    /** @return the forward bottleneck (drop counters). */
    public SimulatedLink forward()
    {
        return forward;
    }

    /** @return whether every flow delivered and acknowledged everything offered within the drain bound. */
    public boolean drained()
    {
        return drained;
    }

    /** @return events run in the whole run. */
    public long events()
    {
        return events;
    }

    /** @return the scenario. */
    public Scenario scenario()
    {
        return scenario;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
            "%s: %d Mbit/s, RTT %d ms, util %.1f%%, goodput %.1f%%, Jain %.3f, queue mean %.0f KB, " +
            "drops queue %d wire %d, events %d+%d, drained %s in %.1f s%n",
            scenario.name(), scenario.rateBitsPerSecond() / 1_000_000, scenario.rttNs() / Simulation.MS,
            utilisation * 100, goodputRatio() * 100, jainIndex(), meanQueuedBytes / 1000, forward.queueDrops(),
            forward.randomDrops(), activeEvents, events - activeEvents, drained, drainNs / 1e9));
        for (final FlowSummary f : summaries)
        {
            text.append(String.format(Locale.ROOT,
                "  %s [%s]: %.2f Mbit/s, retx %.3f%%, lost %d (dropped %d), min cwnd %d, PC %d, max stall %.0f ms, " +
                "max delivery gap %.0f ms, " +
                "msgs %d/%d dup %d corrupt %d%n",
                f.name(), f.controller(), f.goodputBps() / 1e6, f.retransmissionRatio() * 100, f.packetsLost(),
                f.packetsDropped(), f.minCwnd(), f.persistentCongestionEvents(), f.maxStallNs() / 1e6, f.maxDeliveryGapNs() / 1e6,
                f.messagesDelivered(), f.messagesSent(), f.duplicates(), f.corrupt()));
        }
        return text.toString();
    }
}
