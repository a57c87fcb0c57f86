/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

/**
 * Drives a {@link CongestionControl} on a virtual clock the way {@code LossRecovery} does: a round sends
 * packets back to back (1 ns apart, bytes in flight rising), and one RTT later each is acknowledged by an
 * ACK of its own followed by an RTT sample.
 */
final class CongestionDriver
{
    final CongestionControl cc;
    final int mds;
    long nowNs = 1_000_000_000L;
    long minRttNs = Long.MAX_VALUE;

    CongestionDriver(final CongestionControl cc, final int mds)
    {
        this.cc = cc;
        this.mds = mds;
    }

    /** One round filling the window. */
    void fullRound(final long rttNs)
    {
        round((int)Math.max(1, (cc.congestionWindow() + mds - 1) / mds), rttNs);
    }

    /** One round of {@code packets} packets, acknowledged after {@code rttNs}. */
    void round(final int packets, final long rttNs)
    {
        round(packets, packets, rttNs);
    }

    /** One round of {@code packets} packets, the first {@code acked} of them acknowledged after {@code rttNs}. */
    void round(final int packets, final int acked, final long rttNs)
    {
        final long start = nowNs;
        for (int i = 0; i < packets; i++)
        {
            cc.onPacketSent(mds, (long)mds * (i + 1), start + i);
        }
        nowNs = start + rttNs;
        minRttNs = Math.min(minRttNs, rttNs);
        for (int i = 0; i < acked; i++)
        {
            cc.onPacketAcked(mds, start + i, nowNs);
            cc.onRttSample(rttNs, minRttNs, rttNs, nowNs);
        }
    }

    /** A loss event for a packet sent just now. */
    void loss()
    {
        cc.onPacketsLost(mds, nowNs - 1, nowNs);
        nowNs++;
    }

    double seconds(final long sinceNs)
    {
        return (nowNs - sinceNs) / 1e9;
    }
}
