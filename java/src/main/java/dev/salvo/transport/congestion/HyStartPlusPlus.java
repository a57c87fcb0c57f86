/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

/**
 * HyStart++ (RFC 9406): leaves slow start when the round's minimum RTT rises by a threshold (the queue
 * starts to build) instead of waiting for the loss that a doubling window causes one round later — on
 * loopback and shallow tbf queues that loss is a burst of hundreds of packets. After the rise it runs
 * Conservative Slow Start (growth divided by {@link #CSS_GROWTH_DIVISOR}) for up to {@link #CSS_ROUNDS}
 * rounds, returning to slow start if the RTT falls back (a spurious exit), then hands over to congestion
 * avoidance.
 *
 * <p>Rounds come from the controller ({@link #onRoundStart}); RTT samples, one per ACK frame, from
 * {@link #onRttSample}. The owning controller calls {@link #reset} on loss (slow start is over then).
 */
public final class HyStartPlusPlus
{
    /** RFC 9406 MIN_RTT_THRESH. */
    public static final long MIN_RTT_THRESH_NS = 4_000_000L;

    /** RFC 9406 MAX_RTT_THRESH. */
    public static final long MAX_RTT_THRESH_NS = 16_000_000L;

    /** RFC 9406 MIN_RTT_DIVISOR. */
    public static final int MIN_RTT_DIVISOR = 8;

    /** RFC 9406 N_RTT_SAMPLE. */
    public static final int N_RTT_SAMPLE = 8;

    /** RFC 9406 CSS_GROWTH_DIVISOR. */
    public static final int CSS_GROWTH_DIVISOR = 4;

    /** RFC 9406 CSS_ROUNDS. */
    public static final int CSS_ROUNDS = 5;

    /** Standard slow start. */
    public static final int SLOW_START = 0;

    /** Conservative slow start. */
    public static final int CONSERVATIVE_SLOW_START = 1;

    /** Done: the controller should be in congestion avoidance. */
    public static final int DONE = 2;

    private int phase = SLOW_START;
    private long lastRoundMinRttNs = Long.MAX_VALUE;
    private long currentRoundMinRttNs = Long.MAX_VALUE;
    private int rttSampleCount;
    private long cssBaselineMinRttNs = Long.MAX_VALUE;
    private int cssRounds;
    private long cssEntries;

    /**
     * A new round began.
     *
     * @return the phase after it ({@link #DONE} once conservative slow start has run its rounds).
     */
    public int onRoundStart()
    {
        if (phase == DONE)
        {
            return DONE;
        }
        lastRoundMinRttNs = currentRoundMinRttNs;
        currentRoundMinRttNs = Long.MAX_VALUE;
        rttSampleCount = 0;
        if (phase == CONSERVATIVE_SLOW_START && ++cssRounds >= CSS_ROUNDS)
        {
            phase = DONE;
        }
        return phase;
    }

    /**
     * One RTT sample while in slow start or conservative slow start.
     *
     * @param rttNs the sample.
     * @return the phase after it.
     */
    public int onRttSample(final long rttNs)
    {
        if (phase == DONE)
        {
            return DONE;
        }
        currentRoundMinRttNs = Math.min(currentRoundMinRttNs, rttNs);
        rttSampleCount++;
        if (rttSampleCount < N_RTT_SAMPLE || currentRoundMinRttNs == Long.MAX_VALUE)
        {
            return phase;
        }
        if (phase == SLOW_START)
        {
            if (lastRoundMinRttNs != Long.MAX_VALUE &&
                currentRoundMinRttNs >= lastRoundMinRttNs + rttThresholdNs(lastRoundMinRttNs))
            {
                cssBaselineMinRttNs = currentRoundMinRttNs;
                phase = CONSERVATIVE_SLOW_START;
                cssRounds = 0;
                cssEntries++;
            }
        }
        else if (currentRoundMinRttNs < cssBaselineMinRttNs)
        {
            cssBaselineMinRttNs = Long.MAX_VALUE;
            phase = SLOW_START;
        }
        return phase;
    }

    /**
     * @param lastRoundMinRttNs the previous round's minimum RTT.
     * @return RFC 9406's RttThresh: max(MIN_RTT_THRESH, min(lastRoundMinRTT / MIN_RTT_DIVISOR, MAX_RTT_THRESH)).
     */
    public static long rttThresholdNs(final long lastRoundMinRttNs)
    {
        return Math.max(MIN_RTT_THRESH_NS, Math.min(lastRoundMinRttNs / MIN_RTT_DIVISOR, MAX_RTT_THRESH_NS));
    }

    /** @return bytes of window growth for {@code bytesAcked} in the current phase. */
    public long growth(final long bytesAcked)
    {
        return phase == CONSERVATIVE_SLOW_START ? bytesAcked / CSS_GROWTH_DIVISOR : bytesAcked;
    }

    /**
     * Undoes {@link #reset}: the loss that ended slow start proved spurious.
     *
     * @param phase               the phase before the reset.
     * @param cssBaselineMinRttNs {@link #cssBaselineMinRttNs()} before the reset.
     */
    void restore(final int phase, final long cssBaselineMinRttNs)
    {
        this.phase = phase;
        this.cssBaselineMinRttNs = cssBaselineMinRttNs;
    }

    /** @return conservative slow start's baseline minimum RTT ({@link Long#MAX_VALUE} outside it). */
    long cssBaselineMinRttNs()
    {
        return cssBaselineMinRttNs;
    }

    /** Slow start ended another way (loss, persistent congestion): this run is over. */
    public void reset()
    {
        phase = DONE;
        cssBaselineMinRttNs = Long.MAX_VALUE;
    }

    /** @return the current phase: {@link #SLOW_START}, {@link #CONSERVATIVE_SLOW_START} or {@link #DONE}. */
    public int phase()
    {
        return phase;
    }

    /** @return times conservative slow start was entered (for tests and stats). */
    public long cssEntries()
    {
        return cssEntries;
    }
}
