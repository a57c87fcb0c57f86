/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

/**
 * Round-trip time estimation per RFC 9002 §5: latest, minimum, smoothed RTT and RTT variation, all
 * in nanoseconds. Single-threaded (the I/O thread); the getters are cheap enough for stats.
 */
public final class RttEstimator
{
    /** RTT assumed before the first sample (RFC 9002 kInitialRtt). */
    public static final long INITIAL_RTT_NS = 333_000_000L;

    /** Timer granularity (RFC 9002 kGranularity). */
    public static final long GRANULARITY_NS = 1_000_000L;

    private long latestRttNs;
    private long adjustedRttNs;
    private long smoothedRttNs = INITIAL_RTT_NS;
    private long rttVarNs = INITIAL_RTT_NS / 2;
    private long minRttNs;
    private long firstSampleTimeNs;
    private boolean hasSample;

    /**
     * Takes one RTT sample.
     *
     * @param latestRttNs    time from sending the largest newly acknowledged packet to receiving its ACK.
     * @param ackDelayNs     the ACK delay the peer reported, already capped at the peer's max_ack_delay.
     * @param nowNs          current time.
     */
    public void onSample(final long latestRttNs, final long ackDelayNs, final long nowNs)
    {
        final long latest = Math.max(latestRttNs, 0);
        this.latestRttNs = latest;
        if (!hasSample)
        {
            hasSample = true;
            firstSampleTimeNs = nowNs;
            minRttNs = latest;
            adjustedRttNs = latest;
            smoothedRttNs = latest;
            rttVarNs = latest / 2;
            return;
        }
        minRttNs = Math.min(minRttNs, latest);
        long adjusted = latest;
        if (latest >= minRttNs + ackDelayNs)
        {
            adjusted = latest - ackDelayNs;
        }
        adjustedRttNs = adjusted;
        rttVarNs = (3 * rttVarNs + Math.abs(smoothedRttNs - adjusted)) / 4;
        smoothedRttNs = (7 * smoothedRttNs + adjusted) / 8;
    }

    /**
     * @param maxAckDelayNs the peer's max_ack_delay.
     * @return the probe timeout before backoff: smoothed_rtt + max(4·rttvar, kGranularity) + max_ack_delay.
     */
    public long ptoNs(final long maxAckDelayNs)
    {
        return smoothedRttNs + Math.max(4 * rttVarNs, GRANULARITY_NS) + maxAckDelayNs;
    }

    /** @return the time-threshold loss delay: 9/8 · max(smoothed_rtt, latest_rtt), at least kGranularity. */
    public long lossDelayNs()
    {
        final long rtt = Math.max(smoothedRttNs, latestRttNs);
        return Math.max(rtt + (rtt >> 3), GRANULARITY_NS);
    }

    /** @return the latest RTT sample, 0 before any. */
    public long latestRttNs()
    {
        return latestRttNs;
    }

    /** @return the latest sample minus the ACK delay where RFC 9002 §5.3 subtracts it; 0 before any. */
    public long adjustedRttNs()
    {
        return adjustedRttNs;
    }

    /** @return the smoothed RTT ({@link #INITIAL_RTT_NS} before any sample). */
    public long smoothedRttNs()
    {
        return smoothedRttNs;
    }

    /** @return the RTT variation. */
    public long rttVarNs()
    {
        return rttVarNs;
    }

    /** @return the minimum RTT seen, 0 before any sample. */
    public long minRttNs()
    {
        return minRttNs;
    }

    /** @return whether a sample has been taken. */
    public boolean hasSample()
    {
        return hasSample;
    }

    /** @return when the first sample was taken. */
    public long firstSampleTimeNs()
    {
        return firstSampleTimeNs;
    }
}
