/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

/**
 * CUBIC (RFC 9438), the default controller. Windows are kept in bytes; the RFC's formulas, which count
 * segments, are scaled by the max datagram size (MDS):
 *
 * <ul>
 * <li>W_cubic(t) = C·(t − K)³·MDS + W_max, with C = {@value #C} and K = ∛((W_max − cwnd_epoch) / (C·MDS))
 *     seconds (§4.2); each ACK in congestion avoidance moves cwnd towards target = W_cubic(t + RTT),
 *     clamped to [cwnd, 1.5·cwnd], by (target − cwnd)/cwnd per byte acknowledged;</li>
 * <li>the Reno-friendly region (§4.3): W_est starts at cwnd each epoch and grows by
 *     α_cubic·MDS per window acknowledged, α_cubic = 3(1 − β)/(1 + β) until W_est reaches the window before
 *     the last reduction, 1 after; while W_cubic(t) &lt; W_est, cwnd = W_est;</li>
 * <li>on a loss event (one per recovery period, keyed by send time as in RFC 9002): W_max = cwnd, or
 *     cwnd·(1 + β)/2 with fast convergence when cwnd had not regained the previous W_max (§4.7);
 *     ssthresh = cwnd = max(β·cwnd, minimum window), β = {@value #BETA_CUBIC} (§4.6);</li>
 * <li>a loss event later found spurious (every lost packet acknowledged afterwards: reordering) is undone:
 *     the window, W_max, K, the epoch and HyStart++'s phase return to what they were before it;</li>
 * <li>persistent congestion (RFC 9002 §7.6, CUBIC's timeout case §4.8): cwnd falls to the minimum window
 *     and the next epoch starts with K = 0 and W_max = cwnd at its start;</li>
 * <li>slow start doubles per round with HyStart++ (RFC 9406, {@link HyStartPlusPlus}) so the first queue
 *     build-up ends it before the loss burst;</li>
 * <li>MDS is the path's current datagram size ({@link #onDatagramSizeChanged}), not the transport's maximum:
 *     the minimum window is 2 datagrams of it and the curve is scaled by it;</li>
 * <li>no growth while the window is not used (RFC 9002 §7.8, {@link WindowUseTracker}), and time spent
 *     application-limited or idle does not advance the cubic curve (the epoch start moves with it, as
 *     Linux does on transmit start), so a connection resuming after a pause does not jump.</li>
 * </ul>
 */
public final class CubicCongestionControl implements CongestionControl
{
    /** RFC 9438 C, in segments per second cubed. */
    public static final double C = 0.4;

    /** RFC 9438 β_cubic: the window after a loss event is this fraction of the window before it. */
    public static final double BETA_CUBIC = 0.7;

    /** RFC 9438 α_cubic = 3(1 − β)/(1 + β): Reno-friendly additive increase per window, in segments. */
    public static final double ALPHA_CUBIC = 3.0 * (1.0 - BETA_CUBIC) / (1.0 + BETA_CUBIC);

    private static final long NO_EPOCH = Long.MIN_VALUE;
    private static final double NANOS_PER_SECOND = 1e9;

    private final boolean hyStartEnabled;
    private int maxDatagramSize;
    private long minimumWindow;
    private final WindowUseTracker windowUse = new WindowUseTracker();
    private final HyStartPlusPlus hyStart = new HyStartPlusPlus();

    private double congestionWindow;
    private long ssthresh = Long.MAX_VALUE;
    private long recoveryStartTimeNs = Long.MIN_VALUE;
    private double wMax;
    private double cwndPrior;
    private double k;
    private double wEst;
    private long epochStartNs = NO_EPOCH;
    private long lastActivityNs = Long.MIN_VALUE;
    private long smoothedRttNs;
    private long lossEvents;
    private long undoneEvents;
    private double priorCongestionWindow;
    private long priorSsthresh;
    private long priorRecoveryStartTimeNs;
    private double priorWMax;
    private double priorCwndPrior;
    private double priorK;
    private double priorWEst;
    private long priorEpochStartNs;
    private int priorHyStartPhase;
    private long priorCssBaselineMinRttNs;

    /** @param maxDatagramSize the path's datagram size now (follows {@link #onDatagramSizeChanged}). */
    public CubicCongestionControl(final int maxDatagramSize)
    {
        this(maxDatagramSize, true);
    }

    /**
     * @param maxDatagramSize the path's datagram size now (follows {@link #onDatagramSizeChanged}).
     * @param hyStartEnabled  whether slow start uses HyStart++ (tests compare with plain slow start).
     */
    public CubicCongestionControl(final int maxDatagramSize, final boolean hyStartEnabled)
    {
        checkDatagramSize(maxDatagramSize);
        this.maxDatagramSize = maxDatagramSize;
        this.minimumWindow = 2L * maxDatagramSize;
        this.hyStartEnabled = hyStartEnabled;
        this.congestionWindow = NewRenoCongestionControl.initialWindow(maxDatagramSize);
        if (!hyStartEnabled)
        {
            hyStart.reset();
        }
    }

    /**
     * @param tSeconds        time since the epoch start.
     * @param kSeconds        K.
     * @param wMaxBytes       W_max.
     * @param maxDatagramSize MDS (the RFC's segment).
     * @return RFC 9438 Figure 1, W_cubic(t) = C·(t − K)³ + W_max, in bytes.
     */
    public static double wCubic(final double tSeconds, final double kSeconds, final double wMaxBytes, final int maxDatagramSize)
    {
        final double d = tSeconds - kSeconds;
        return C * d * d * d * maxDatagramSize + wMaxBytes;
    }

    /**
     * @return RFC 9438 Figure 2, K = ∛((W_max − cwnd_epoch)/C) in seconds (0 when cwnd_epoch ≥ W_max).
     */
    public static double k(final double wMaxBytes, final double cwndEpochBytes, final int maxDatagramSize)
    {
        return wMaxBytes <= cwndEpochBytes ? 0.0 : Math.cbrt((wMaxBytes - cwndEpochBytes) / (C * maxDatagramSize));
    }

    @Override
    public void onPacketSent(final int bytes, final long bytesInFlight, final long nowNs)
    {
        if (bytesInFlight <= bytes && epochStartNs != NO_EPOCH && lastActivityNs != Long.MIN_VALUE)
        {
            // Restarting from idle: the idle time must not count as time on the curve.
            epochStartNs = Math.min(epochStartNs + Math.max(0, nowNs - lastActivityNs), nowNs);
        }
        windowUse.onPacketSent(bytesInFlight, nowNs);
        lastActivityNs = Math.max(lastActivityNs, nowNs);
    }

    @Override
    public void onPacketAcked(final int bytes, final long timeSentNs, final long nowNs)
    {
        if (windowUse.onPacketAcked(timeSentNs) && inSlowStart() && hyStart.phase() != HyStartPlusPlus.DONE &&
            hyStart.onRoundStart() == HyStartPlusPlus.DONE)
        {
            ssthresh = (long)congestionWindow;
        }
        if (timeSentNs <= recoveryStartTimeNs)
        {
            lastActivityNs = Math.max(lastActivityNs, nowNs);
            return;
        }
        final boolean slowStart = inSlowStart();
        if (!windowUse.windowUsed((long)congestionWindow, slowStart))
        {
            if (epochStartNs != NO_EPOCH && lastActivityNs != Long.MIN_VALUE)
            {
                epochStartNs = Math.min(epochStartNs + Math.max(0, nowNs - lastActivityNs), nowNs);
            }
            lastActivityNs = Math.max(lastActivityNs, nowNs);
            return;
        }
        lastActivityNs = Math.max(lastActivityNs, nowNs);
        if (slowStart)
        {
            congestionWindow += hyStart.phase() == HyStartPlusPlus.DONE ? bytes : hyStart.growth(bytes);
            return;
        }
        congestionAvoidance(bytes, nowNs);
    }

    private void congestionAvoidance(final int bytes, final long nowNs)
    {
        if (epochStartNs == NO_EPOCH)
        {
            epochStartNs = nowNs;
            if (wMax <= congestionWindow)
            {
                wMax = congestionWindow;
                k = 0.0;
            }
            else
            {
                k = k(wMax, congestionWindow, maxDatagramSize);
            }
            wEst = congestionWindow;
        }
        final double t = (nowNs - epochStartNs) / NANOS_PER_SECOND;
        final double rtt = smoothedRttNs / NANOS_PER_SECOND;
        final double cwnd = congestionWindow;

        final double alpha = wEst >= cwndPrior ? 1.0 : ALPHA_CUBIC;
        wEst += alpha * maxDatagramSize * bytes / cwnd;

        if (wCubic(t, k, wMax, maxDatagramSize) < wEst)
        {
            congestionWindow = Math.max(cwnd, wEst);
        }
        else
        {
            final double target = Math.min(Math.max(wCubic(t + rtt, k, wMax, maxDatagramSize), cwnd), 1.5 * cwnd);
            congestionWindow = cwnd + (target - cwnd) * bytes / cwnd;
        }
    }

    @Override
    public void onPacketsLost(final long lostBytes, final long largestLostTimeSentNs, final long nowNs)
    {
        if (largestLostTimeSentNs <= recoveryStartTimeNs)
        {
            return;
        }
        lossEvents++;
        priorCongestionWindow = congestionWindow;
        priorSsthresh = ssthresh;
        priorRecoveryStartTimeNs = recoveryStartTimeNs;
        priorWMax = wMax;
        priorCwndPrior = cwndPrior;
        priorK = k;
        priorWEst = wEst;
        priorEpochStartNs = epochStartNs;
        priorHyStartPhase = hyStart.phase();
        priorCssBaselineMinRttNs = hyStart.cssBaselineMinRttNs();
        recoveryStartTimeNs = nowNs;
        hyStart.reset();
        epochStartNs = NO_EPOCH;
        final double cwnd = congestionWindow;
        wMax = cwnd < wMax ? cwnd * (1.0 + BETA_CUBIC) / 2.0 : cwnd;
        cwndPrior = cwnd;
        ssthresh = Math.max((long)(cwnd * BETA_CUBIC), minimumWindow);
        congestionWindow = ssthresh;
    }

    @Override
    public void onPersistentCongestion(final long nowNs)
    {
        congestionWindow = minimumWindow;
        recoveryStartTimeNs = Long.MIN_VALUE;
        epochStartNs = NO_EPOCH;
        wMax = 0.0;
        cwndPrior = 0.0;
        hyStart.reset();
    }

    /** Restores the state from before the spurious loss event (Linux's undo), the whole cubic epoch included. */
    @Override
    public void onSpuriousCongestionEvent(final long congestionEventNs, final long nowNs)
    {
        if (congestionEventNs != recoveryStartTimeNs || congestionEventNs == Long.MIN_VALUE)
        {
            return;
        }
        undoneEvents++;
        congestionWindow = Math.max(congestionWindow, priorCongestionWindow);
        ssthresh = Math.max(ssthresh, priorSsthresh);
        recoveryStartTimeNs = priorRecoveryStartTimeNs;
        wMax = priorWMax;
        cwndPrior = priorCwndPrior;
        k = priorK;
        wEst = priorWEst;
        epochStartNs = priorEpochStartNs;
        hyStart.restore(priorHyStartPhase, priorCssBaselineMinRttNs);
    }

    /**
     * Keeps cwnd, ssthresh and W_max in bytes (see {@link CongestionControl#onDatagramSizeChanged}); the minimum
     * window becomes 2 datagrams of the new size. The cubic curve counts segments (C·(t − K)³·MDS), so a running
     * epoch ends and the next ACK starts one at the current window with K computed for the new size: cwnd stays
     * continuous and growth per RTT in datagrams is what RFC 9438 prescribes for the new size.
     */
    @Override
    public void onDatagramSizeChanged(final int bytes)
    {
        checkDatagramSize(bytes);
        if (bytes == maxDatagramSize)
        {
            return;
        }
        maxDatagramSize = bytes;
        minimumWindow = 2L * bytes;
        congestionWindow = Math.max(congestionWindow, minimumWindow);
        epochStartNs = NO_EPOCH;
    }

    static void checkDatagramSize(final int maxDatagramSize)
    {
        if (maxDatagramSize < 64)
        {
            throw new IllegalArgumentException("maxDatagramSize too small: " + maxDatagramSize);
        }
    }

    /** @return the datagram size the controller scales by now (RFC 9002's max_datagram_size). */
    public int maxDatagramSize()
    {
        return maxDatagramSize;
    }

    /** @return the minimum window: 2 datagrams of the current size (RFC 9002 §7.2). */
    public long minimumWindow()
    {
        return minimumWindow;
    }

    @Override
    public void onRttSample(final long rttNs, final long minRttNs, final long smoothedRttNs, final long nowNs)
    {
        this.smoothedRttNs = smoothedRttNs;
        if (hyStart.phase() != HyStartPlusPlus.DONE && inSlowStart() &&
            hyStart.onRttSample(rttNs) == HyStartPlusPlus.DONE)
        {
            ssthresh = (long)congestionWindow;
        }
    }

    @Override
    public long congestionWindow()
    {
        return (long)congestionWindow;
    }

    @Override
    public boolean inSlowStart()
    {
        return congestionWindow < ssthresh;
    }

    @Override
    public String name()
    {
        return "cubic";
    }

    /** @return the slow-start threshold ({@link Long#MAX_VALUE} until slow start ends). */
    public long slowStartThreshold()
    {
        return ssthresh;
    }

    /** @return W_max in bytes (0 before the first loss event). */
    public double wMax()
    {
        return wMax;
    }

    /** @return K of the current epoch in seconds. */
    public double kSeconds()
    {
        return k;
    }

    /** @return the Reno-friendly estimate W_est in bytes. */
    public double renoFriendlyWindow()
    {
        return wEst;
    }

    /** @return HyStart++'s phase ({@link HyStartPlusPlus#SLOW_START}, ...). */
    public int hyStartPhase()
    {
        return hyStart.phase();
    }

    /** @return loss events undone because they proved spurious. */
    @Override
    public long undoneEvents()
    {
        return undoneEvents;
    }

    /** @return loss events (window reductions). */
    public long lossEvents()
    {
        return lossEvents;
    }
}
