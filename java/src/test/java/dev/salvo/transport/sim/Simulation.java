/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event scheduler on a virtual clock: actions run in order of their time (ties in the order
 * they were scheduled), so a run is a pure function of its inputs and seeds. The clock jumps from event to
 * event; nothing depends on wall time. The number of events is bounded so a protocol bug that spins (a
 * timer always due) fails fast instead of hanging.
 */
public final class Simulation
{
    /** Nanoseconds per millisecond. */
    public static final long MS = 1_000_000L;
    /** Nanoseconds per second. */
    public static final long SECOND = 1_000_000_000L;

    private static final class Event implements Comparable<Event>
    {
        final long timeNs;
        final long sequence;
        final Runnable action;

        Event(final long timeNs, final long sequence, final Runnable action)
        {
            this.timeNs = timeNs;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(4096);
    private final long maxEvents;
    private long nowNs;
    private long sequence;
    private long eventsRun;

    /** @param maxEvents events after which {@link #runUntil} throws (a spinning protocol). */
    public Simulation(final long maxEvents)
    {
        this.maxEvents = maxEvents;
    }

    /** @return the virtual time, ns. */
    public long nowNs()
    {
        return nowNs;
    }

    /** @return events run so far. */
    public long eventsRun()
    {
        return eventsRun;
    }

    /** Runs {@code action} at {@code timeNs} (not before now). */
    public void at(final long timeNs, final Runnable action)
    {
        events.add(new Event(Math.max(timeNs, nowNs), sequence++, action));
    }

    /**
     * Calls {@code sampler} every {@code intervalNs} from now until {@code endNs} (inclusive), after every
     * other event of the same instant already scheduled.
     */
    public void sampleEvery(final long intervalNs, final long endNs, final Runnable sampler)
    {
        scheduleSample(nowNs, intervalNs, endNs, sampler);
    }

    private void scheduleSample(final long timeNs, final long intervalNs, final long endNs, final Runnable sampler)
    {
        at(timeNs, () ->
        {
            sampler.run();
            if (timeNs + intervalNs <= endNs)
            {
                scheduleSample(timeNs + intervalNs, intervalNs, endNs, sampler);
            }
        });
    }

    /** Runs every event due up to {@code endNs}; the clock then reads {@code endNs}. */
    public void runUntil(final long endNs)
    {
        runUntil(endNs, () -> false);
    }

    /**
     * Runs events up to {@code endNs} or until {@code done} holds (checked between events).
     *
     * @return true if {@code done} became true.
     */
    public boolean runUntil(final long endNs, final BooleanSupplier done)
    {
        while (!events.isEmpty() && events.peek().timeNs <= endNs)
        {
            if (done.getAsBoolean())
            {
                return true;
            }
            if (++eventsRun > maxEvents)
            {
                throw new IllegalStateException("more than " + maxEvents + " events by virtual time " + nowNs / 1e9 + " s");
            }
            final Event event = events.poll();
            nowNs = event.timeNs;
            event.action.run();
        }
        if (done.getAsBoolean())
        {
            return true;
        }
        nowNs = Math.max(nowNs, endNs);
        return false;
    }
}
