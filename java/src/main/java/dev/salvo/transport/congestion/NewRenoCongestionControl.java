/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

/**
 * NewReno as specified for QUIC in RFC 9002 §7 and Appendix B: initial window
 * min(10·max_datagram_size, max(14720, 2·max_datagram_size)), minimum window 2·max_datagram_size,
 * slow start, congestion avoidance adding one max_datagram_size per window, one recovery period per
 * loss event (packets sent before it started do not reduce the window again), loss reduction factor
 * 0.5, and collapse to the minimum window on persistent congestion. The window grows only while it is
 * used (RFC 9002 §7.8, {@link WindowUseTracker}): without that it grew without bound on loopback.
 */
public final class NewRenoCongestionControl implements CongestionControl
{
    /** RFC 9002 kLossReductionFactor as a fraction: 1/2. */
    public static final int LOSS_REDUCTION_DIVISOR = 2;

    private int maxDatagramSize;
    private long minimumWindow;
    private final WindowUseTracker windowUse = new WindowUseTracker();
    private long congestionWindow;
    private long ssthresh = Long.MAX_VALUE;
    private long recoveryStartTimeNs = Long.MIN_VALUE;
    private long bytesAckedInAvoidance;
    private long priorCongestionWindow;
    private long priorSsthresh;
    private long priorRecoveryStartTimeNs;
    private long priorBytesAckedInAvoidance;
    private long undoneEvents;

    /** @param maxDatagramSize the path's datagram size now (follows {@link #onDatagramSizeChanged}). */
    public NewRenoCongestionControl(final int maxDatagramSize)
    {
        CubicCongestionControl.checkDatagramSize(maxDatagramSize);
        this.maxDatagramSize = maxDatagramSize;
        this.minimumWindow = 2L * maxDatagramSize;
        this.congestionWindow = initialWindow(maxDatagramSize);
    }

    /** @return RFC 9002's initial window for {@code maxDatagramSize}. */
    public static long initialWindow(final int maxDatagramSize)
    {
        return Math.min(10L * maxDatagramSize, Math.max(14_720L, 2L * maxDatagramSize));
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
        if (timeSentNs <= recoveryStartTimeNs || !windowUse.windowUsed(congestionWindow, inSlowStart()))
        {
            return;
        }
        if (congestionWindow < ssthresh)
        {
            congestionWindow += bytes;
        }
        else
        {
            bytesAckedInAvoidance += bytes;
            if (bytesAckedInAvoidance >= congestionWindow)
            {
                bytesAckedInAvoidance -= congestionWindow;
                congestionWindow += maxDatagramSize;
            }
        }
    }

    @Override
    public void onPacketsLost(final long lostBytes, final long largestLostTimeSentNs, final long nowNs)
    {
        if (largestLostTimeSentNs <= recoveryStartTimeNs)
        {
            return;
        }
        priorCongestionWindow = congestionWindow;
        priorSsthresh = ssthresh;
        priorRecoveryStartTimeNs = recoveryStartTimeNs;
        priorBytesAckedInAvoidance = bytesAckedInAvoidance;
        recoveryStartTimeNs = nowNs;
        ssthresh = congestionWindow / LOSS_REDUCTION_DIVISOR;
        congestionWindow = Math.max(ssthresh, minimumWindow);
        bytesAckedInAvoidance = 0;
    }

    @Override
    public void onPersistentCongestion(final long nowNs)
    {
        congestionWindow = minimumWindow;
        recoveryStartTimeNs = Long.MIN_VALUE;
        bytesAckedInAvoidance = 0;
    }

    /** Restores the window, threshold and recovery period from before the spurious event (Linux's undo). */
    @Override
    public void onSpuriousCongestionEvent(final long congestionEventNs, final long nowNs)
    {
        if (congestionEventNs != recoveryStartTimeNs || congestionEventNs == Long.MIN_VALUE)
        {
            return;
        }
        congestionWindow = Math.max(congestionWindow, priorCongestionWindow);
        ssthresh = Math.max(ssthresh, priorSsthresh);
        recoveryStartTimeNs = priorRecoveryStartTimeNs;
        bytesAckedInAvoidance = priorBytesAckedInAvoidance;
        undoneEvents++;
    }

    /**
     * Keeps cwnd and ssthresh in bytes (see {@link CongestionControl#onDatagramSizeChanged}); the minimum window
     * becomes 2 datagrams of the new size and congestion avoidance adds one datagram of the new size per window.
     */
    @Override
    public void onDatagramSizeChanged(final int bytes)
    {
        CubicCongestionControl.checkDatagramSize(bytes);
        maxDatagramSize = bytes;
        minimumWindow = 2L * bytes;
        congestionWindow = Math.max(congestionWindow, minimumWindow);
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

    /** @return congestion events undone because they proved spurious. */
    @Override
    public long undoneEvents()
    {
        return undoneEvents;
    }

    @Override
    public String name()
    {
        return "newreno";
    }

    @Override
    public long congestionWindow()
    {
        return congestionWindow;
    }

    @Override
    public boolean inSlowStart()
    {
        return congestionWindow < ssthresh;
    }

    /** @return the slow-start threshold ({@link Long#MAX_VALUE} until the first loss). */
    public long slowStartThreshold()
    {
        return ssthresh;
    }
}
