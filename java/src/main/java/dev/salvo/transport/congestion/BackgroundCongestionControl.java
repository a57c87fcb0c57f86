/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

import java.util.Arrays;

/**
 * A low-priority "background" controller after LEDBAT++ (draft-irtf-iccrg-ledbat-plus-plus): it keeps
 * the queueing delay it adds below a target and backs off as soon as other traffic builds a queue, so a
 * CUBIC or NewReno flow beside it gets almost all of a shared bottleneck.
 *
 * <ul>
 * <li>Delays are round-trip times (no one-way timestamps on the wire): the current delay is the minimum
 *     of the last {@value #CURRENT_FILTER} ACK-delay-adjusted samples (one spike is not a queue); the base
 *     delay is the minimum over {@value #BASE_HISTORY} buckets of {@value #BASE_BUCKET_SECONDS} s each
 *     (RFC 6817 §3.4.2), so a lengthened path is adopted after at most that long; queueing delay is
 *     their difference.</li>
 * <li>Congestion avoidance: below the target delay the window grows by GAIN·MDS per window acknowledged,
 *     GAIN = 1/min({@value #GAIN_CAP}, ⌈2·target/base⌉) (slower than Reno); above it the window changes by
 *     GAIN − (delay/target − 1)·W per round trip, but falls by at most half a window per round trip
 *     (multiplicative decrease).</li>
 * <li>Modified slow start: growth GAIN·bytes acknowledged, ended when queueing delay exceeds 3/4 of the
 *     target (or by loss).</li>
 * <li>Periodic slowdowns: {@value #INITIAL_SLOWDOWN_RTTS} round trips after slow start, the window drops
 *     to the floor for {@value #SLOWDOWN_HOLD_RTTS} round trips so the queue this flow built drains and
 *     the base delay is re-measured, then ramps up (slow start) to the window it had; the next slowdown
 *     comes {@value #SLOWDOWN_INTERVAL_FACTOR}× the slowdown's duration later (≤ 10% utilisation cost). This
 *     also removes the latecomer advantage: a flow that starts while others hold a queue sees the true
 *     base delay during their slowdowns.</li>
 * <li>Loss: half the window, once per recovery period keyed by send time (RFC 9002); a loss event later
 *     found spurious (reordering) is undone unless a slowdown or a phase change happened since.</li>
 * </ul>
 *
 * <p>The death spiral seen with Freenet's LEDBAT (cwnd stuck at 2 KB, RTO after RTO on lossy paths) is
 * handled three ways. (1) A floor of {@value #MINIMUM_WINDOW_PACKETS} datagrams that neither delay, loss
 * nor persistent congestion goes below: the flow never starves to zero, and with 4 packets in flight a
 * single loss is still found by the packet threshold (3) rather than by a probe timeout with backoff.
 * (2) A base delay measured too high because the flow's own queue was in every sample is corrected by the
 * slowdowns. (3) A base delay that is too low (the path got longer, or a stale sample) would keep the
 * queueing delay above target forever and pin the window at the floor; when {@value #STALE_SLOWDOWNS_TO_REBASE}
 * slowdowns in a row, each at the floor, still see RTTs more than the target above the base, the base is
 * reset to what those slowdowns measured. The price: another flow's standing queue that never drains
 * below the target for that long is treated as path delay, and this flow then competes with it (still at
 * a lower gain than Reno, and still halving on loss).
 *
 * <p>The window grows only while it is used (RFC 9002 §7.8, {@link WindowUseTracker}).
 */
public final class BackgroundCongestionControl implements CongestionControl
{
    /** Default target queueing delay (the draft's upper bound). */
    public static final long TARGET_DELAY_NS_DEFAULT = 60_000_000L;

    /** Largest reciprocal of the gain: at small base delays the flow grows at 1/16 of Reno. */
    public static final int GAIN_CAP = 16;

    /** RTT samples whose minimum is the current delay. */
    public static final int CURRENT_FILTER = 4;

    /** Buckets of base-delay history. */
    public static final int BASE_HISTORY = 10;

    /** Seconds per base-delay bucket. */
    public static final int BASE_BUCKET_SECONDS = 60;

    /** The floor, in datagrams: the window never falls below it. */
    public static final int MINIMUM_WINDOW_PACKETS = 4;

    /** Round trips after the initial slow start ends before the first slowdown. */
    public static final int INITIAL_SLOWDOWN_RTTS = 2;

    /** Round trips a slowdown holds the window at the floor. */
    public static final int SLOWDOWN_HOLD_RTTS = 2;

    /** The next slowdown starts this many slowdown durations after one ends. */
    public static final int SLOWDOWN_INTERVAL_FACTOR = 9;

    /** Consecutive slowdowns that must find the base delay too low before it is re-measured from them. */
    public static final int STALE_SLOWDOWNS_TO_REBASE = 3;

    /** Phase: initial slow start. */
    public static final int SLOW_START = 0;
    /** Phase: congestion avoidance. */
    public static final int AVOIDANCE = 1;
    /** Phase: slowdown, window held at the floor. */
    public static final int SLOWDOWN_HOLD = 2;
    /** Phase: slow start back to the window held before the slowdown (or before a timeout). */
    public static final int RAMP = 3;

    private static final long BASE_BUCKET_NS = BASE_BUCKET_SECONDS * 1_000_000_000L;

    private final long targetDelayNs;
    private int maxDatagramSize;
    private long floor;
    private final WindowUseTracker windowUse = new WindowUseTracker();
    private final long[] currentDelays = new long[CURRENT_FILTER];
    private final long[] baseHistory = new long[BASE_HISTORY];

    private double congestionWindow;
    private long ssthresh = Long.MAX_VALUE;
    private int phase = SLOW_START;
    private long recoveryStartTimeNs = Long.MIN_VALUE;
    private int currentDelayCount;
    private int currentDelayIndex;
    private int baseIndex;
    private long baseBucketStartNs = Long.MIN_VALUE;
    private long smoothedRttNs;
    private long nextSlowdownNs = Long.MAX_VALUE;
    private long slowdownStartNs;
    private long holdUntilNs;
    private double windowBeforeSlowdown;
    private long slowdownMinRttNs = Long.MAX_VALUE;
    private int staleSlowdowns;
    private long staleMinRttNs = Long.MAX_VALUE;
    private long slowdowns;
    private long rebases;
    private double priorCongestionWindow;
    private long priorSsthresh;
    private int priorPhase;
    private long priorRecoveryStartTimeNs;
    private double priorWindowBeforeSlowdown;
    private long priorNextSlowdownNs;
    private int phaseAfterLoss;
    private long slowdownsAtLoss;
    private long undoneEvents;

    /** @param maxDatagramSize the path's datagram size now (follows {@link #onDatagramSizeChanged}). */
    public BackgroundCongestionControl(final int maxDatagramSize)
    {
        this(maxDatagramSize, TARGET_DELAY_NS_DEFAULT);
    }

    /**
     * @param maxDatagramSize the path's datagram size now (follows {@link #onDatagramSizeChanged}).
     * @param targetDelayNs   queueing delay to stay below, &gt; 0 (the draft recommends 60 ms or less).
     */
    public BackgroundCongestionControl(final int maxDatagramSize, final long targetDelayNs)
    {
        CubicCongestionControl.checkDatagramSize(maxDatagramSize);
        if (targetDelayNs <= 0)
        {
            throw new IllegalArgumentException("targetDelayNs must be > 0: " + targetDelayNs);
        }
        this.maxDatagramSize = maxDatagramSize;
        this.targetDelayNs = targetDelayNs;
        this.floor = (long)MINIMUM_WINDOW_PACKETS * maxDatagramSize;
        this.congestionWindow = Math.max(NewRenoCongestionControl.initialWindow(maxDatagramSize), floor);
        Arrays.fill(baseHistory, Long.MAX_VALUE);
    }

    @Override
    public void onPacketSent(final int bytes, final long bytesInFlight, final long nowNs)
    {
        windowUse.onPacketSent(bytesInFlight, nowNs);
    }

    @Override
    public void onPacketAcked(final int bytes, final long timeSentNs, final long nowNs)
    {
        windowUse.onPacketAcked(timeSentNs);
        runSchedule(nowNs);
        if (timeSentNs <= recoveryStartTimeNs || phase == SLOWDOWN_HOLD)
        {
            return;
        }
        final boolean used = windowUse.windowUsed((long)congestionWindow, phase != AVOIDANCE);
        final double gain = gain();
        if (phase != AVOIDANCE)
        {
            if (used)
            {
                congestionWindow += gain * bytes;
                if (congestionWindow >= ssthresh)
                {
                    congestionWindow = ssthresh;
                    enterAvoidance(nowNs);
                }
            }
            return;
        }
        final long queueingDelay = queueingDelayNs();
        final double cwnd = congestionWindow;
        double delta = gain * maxDatagramSize * bytes / cwnd;
        if (queueingDelay > targetDelayNs)
        {
            delta = Math.max(delta - ((double)queueingDelay / targetDelayNs - 1.0) * bytes, -bytes / 2.0);
        }
        if (delta < 0 || used)
        {
            congestionWindow = Math.max(cwnd + delta, floor);
        }
    }

    @Override
    public void onPacketsLost(final long lostBytes, final long largestLostTimeSentNs, final long nowNs)
    {
        runSchedule(nowNs);
        if (largestLostTimeSentNs <= recoveryStartTimeNs)
        {
            return;
        }
        priorCongestionWindow = congestionWindow;
        priorSsthresh = ssthresh;
        priorPhase = phase;
        priorRecoveryStartTimeNs = recoveryStartTimeNs;
        priorWindowBeforeSlowdown = windowBeforeSlowdown;
        priorNextSlowdownNs = nextSlowdownNs;
        slowdownsAtLoss = slowdowns;
        recoveryStartTimeNs = nowNs;
        if (phase == SLOWDOWN_HOLD)
        {
            windowBeforeSlowdown = Math.max(windowBeforeSlowdown / 2, floor);
            phaseAfterLoss = phase;
            return;
        }
        congestionWindow = Math.max(congestionWindow / 2, floor);
        ssthresh = (long)congestionWindow;
        if (phase != AVOIDANCE)
        {
            enterAvoidance(nowNs);
        }
        phaseAfterLoss = phase;
    }

    /**
     * Restores the window, threshold, phase and slowdown schedule from before the spurious loss event, unless
     * the controller has moved on since (another phase or a new slowdown): then the delay signal governs.
     */
    @Override
    public void onSpuriousCongestionEvent(final long congestionEventNs, final long nowNs)
    {
        if (congestionEventNs != recoveryStartTimeNs || congestionEventNs == Long.MIN_VALUE ||
            phase != phaseAfterLoss || slowdowns != slowdownsAtLoss)
        {
            return;
        }
        undoneEvents++;
        congestionWindow = Math.max(congestionWindow, priorCongestionWindow);
        ssthresh = Math.max(ssthresh, priorSsthresh);
        phase = priorPhase;
        recoveryStartTimeNs = priorRecoveryStartTimeNs;
        windowBeforeSlowdown = priorWindowBeforeSlowdown;
        nextSlowdownNs = priorNextSlowdownNs;
    }

    /**
     * Keeps the window, the threshold and the window to return to after a slowdown in bytes (see
     * {@link CongestionControl#onDatagramSizeChanged}); the floor becomes {@value #MINIMUM_WINDOW_PACKETS}
     * datagrams of the new size (the window is raised to it; during a slowdown the window is the floor; a ramp
     * back after it still ends at no less than the floor) and
     * growth per window acknowledged counts datagrams of the new size.
     */
    @Override
    public void onDatagramSizeChanged(final int bytes)
    {
        CubicCongestionControl.checkDatagramSize(bytes);
        final boolean atFloor = phase == SLOWDOWN_HOLD;
        maxDatagramSize = bytes;
        floor = (long)MINIMUM_WINDOW_PACKETS * bytes;
        congestionWindow = atFloor ? floor : Math.max(congestionWindow, floor);
    }

    /** @return the datagram size the controller scales by now (RFC 9002's max_datagram_size). */
    public int maxDatagramSize()
    {
        return maxDatagramSize;
    }

    /** @return loss events undone because they proved spurious. */
    @Override
    public long undoneEvents()
    {
        return undoneEvents;
    }

    @Override
    public void onPersistentCongestion(final long nowNs)
    {
        recoveryStartTimeNs = Long.MIN_VALUE;
        if (phase == SLOWDOWN_HOLD)
        {
            return;
        }
        ssthresh = Math.max((long)congestionWindow, floor);
        congestionWindow = floor;
        phase = RAMP;
        slowdownStartNs = nowNs;
    }

    @Override
    public void onRttSample(final long rttNs, final long minRttNs, final long smoothedRttNs, final long nowNs)
    {
        this.smoothedRttNs = smoothedRttNs;
        currentDelays[currentDelayIndex] = rttNs;
        currentDelayIndex = (currentDelayIndex + 1) % CURRENT_FILTER;
        currentDelayCount = Math.min(currentDelayCount + 1, CURRENT_FILTER);
        if (baseBucketStartNs == Long.MIN_VALUE)
        {
            baseBucketStartNs = nowNs;
        }
        while (nowNs - baseBucketStartNs >= BASE_BUCKET_NS)
        {
            baseIndex = (baseIndex + 1) % BASE_HISTORY;
            baseHistory[baseIndex] = Long.MAX_VALUE;
            baseBucketStartNs += BASE_BUCKET_NS;
        }
        baseHistory[baseIndex] = Math.min(baseHistory[baseIndex], rttNs);
        if (phase == SLOWDOWN_HOLD)
        {
            slowdownMinRttNs = Math.min(slowdownMinRttNs, rttNs);
        }
        runSchedule(nowNs);
        if ((phase == SLOW_START || phase == RAMP) && 4 * queueingDelayNs() > 3 * targetDelayNs)
        {
            ssthresh = (long)congestionWindow;
            enterAvoidance(nowNs);
        }
    }

    private void enterAvoidance(final long nowNs)
    {
        if (phase == SLOW_START)
        {
            nextSlowdownNs = nowNs + INITIAL_SLOWDOWN_RTTS * smoothedRttNs;
        }
        else if (phase == RAMP)
        {
            nextSlowdownNs = nowNs + SLOWDOWN_INTERVAL_FACTOR * Math.max(nowNs - slowdownStartNs, smoothedRttNs);
        }
        phase = AVOIDANCE;
    }

    private void runSchedule(final long nowNs)
    {
        if (phase == AVOIDANCE && nowNs >= nextSlowdownNs && smoothedRttNs > 0)
        {
            slowdowns++;
            phase = SLOWDOWN_HOLD;
            windowBeforeSlowdown = congestionWindow;
            congestionWindow = floor;
            slowdownStartNs = nowNs;
            holdUntilNs = nowNs + SLOWDOWN_HOLD_RTTS * smoothedRttNs;
            slowdownMinRttNs = Long.MAX_VALUE;
            nextSlowdownNs = Long.MAX_VALUE;
        }
        else if (phase == SLOWDOWN_HOLD && nowNs >= holdUntilNs)
        {
            checkBaseAfterSlowdown();
            ssthresh = Math.max((long)windowBeforeSlowdown, floor);
            phase = RAMP;
            if (congestionWindow >= ssthresh)
            {
                enterAvoidance(nowNs);
            }
        }
    }

    private void checkBaseAfterSlowdown()
    {
        if (slowdownMinRttNs == Long.MAX_VALUE)
        {
            return;
        }
        final long base = baseDelayNs();
        if (base != Long.MAX_VALUE && slowdownMinRttNs - base > targetDelayNs)
        {
            staleMinRttNs = Math.min(staleMinRttNs, slowdownMinRttNs);
            if (++staleSlowdowns >= STALE_SLOWDOWNS_TO_REBASE)
            {
                Arrays.fill(baseHistory, Long.MAX_VALUE);
                baseHistory[baseIndex] = staleMinRttNs;
                rebases++;
                staleSlowdowns = 0;
                staleMinRttNs = Long.MAX_VALUE;
            }
        }
        else
        {
            staleSlowdowns = 0;
            staleMinRttNs = Long.MAX_VALUE;
        }
    }

    /** @return GAIN = 1/min(16, ⌈2·target/base⌉) (1/16 before a base delay is known). */
    public double gain()
    {
        final long base = baseDelayNs();
        if (base == Long.MAX_VALUE || base <= 0)
        {
            return 1.0 / GAIN_CAP;
        }
        final long ratio = (2 * targetDelayNs + base - 1) / base;
        return 1.0 / Math.max(1, Math.min(GAIN_CAP, ratio));
    }

    /** @return the base delay: the minimum RTT in the history ({@link Long#MAX_VALUE} before any sample). */
    public long baseDelayNs()
    {
        long base = Long.MAX_VALUE;
        for (final long bucket : baseHistory)
        {
            base = Math.min(base, bucket);
        }
        return base;
    }

    /** @return the current delay (minimum of the recent samples) minus the base delay; 0 before samples. */
    public long queueingDelayNs()
    {
        if (currentDelayCount == 0)
        {
            return 0;
        }
        long current = Long.MAX_VALUE;
        for (int i = 0; i < currentDelayCount; i++)
        {
            current = Math.min(current, currentDelays[i]);
        }
        return Math.max(0, current - baseDelayNs());
    }

    @Override
    public long congestionWindow()
    {
        return (long)congestionWindow;
    }

    @Override
    public boolean inSlowStart()
    {
        return phase == SLOW_START || phase == RAMP;
    }

    @Override
    public String name()
    {
        return "background";
    }

    /** @return the floor in bytes. */
    public long minimumWindow()
    {
        return floor;
    }

    /** @return the target queueing delay. */
    public long targetDelayNs()
    {
        return targetDelayNs;
    }

    /** @return the phase: {@link #SLOW_START}, {@link #AVOIDANCE}, {@link #SLOWDOWN_HOLD} or {@link #RAMP}. */
    public int phase()
    {
        return phase;
    }

    /** @return slowdowns started. */
    public long slowdowns()
    {
        return slowdowns;
    }

    /** @return times the base delay was reset from slowdowns that found it too low. */
    public long rebases()
    {
        return rebases;
    }

    /** @return when the next slowdown starts ({@link Long#MAX_VALUE} if none is scheduled). */
    public long nextSlowdownNs()
    {
        return nextSlowdownNs;
    }
}
