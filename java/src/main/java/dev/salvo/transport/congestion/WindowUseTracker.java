/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

/**
 * Tracks round trips by send time and whether the congestion window was actually used, for RFC 9002 §7.8:
 * a window that is not filled (the application or flow control had too little to send) must not grow,
 * or an idle-ish connection on loopback inflates it without bound (we saw 15 GB) and the next burst
 * floods the path.
 *
 * <p>A round starts when a packet sent after the previous round started is acknowledged (send times
 * are non-decreasing, so this is RFC 9406's "windowEnd" with times instead of packet numbers). The
 * window counts as used when, during this round or the previous one, bytes in flight right after a
 * send reached half of it in slow start (the window doubles per round there, as in Linux's
 * {@code tcp_is_cwnd_limited}) or three quarters of it otherwise (slack for a pacer that spreads a
 * window over the round, which must not count as application-limited).
 */
public final class WindowUseTracker
{
    private long largestFlightThisRound;
    private long largestFlightLastRound;
    private long roundEndNs = Long.MIN_VALUE;
    private long lastSentNs = Long.MIN_VALUE;
    private long rounds;

    /**
     * A packet counted in flight was sent.
     *
     * @param bytesInFlight bytes in flight after counting it.
     * @param nowNs         its send time.
     */
    public void onPacketSent(final long bytesInFlight, final long nowNs)
    {
        largestFlightThisRound = Math.max(largestFlightThisRound, bytesInFlight);
        lastSentNs = Math.max(lastSentNs, nowNs);
    }

    /**
     * A packet was acknowledged.
     *
     * @param timeSentNs its send time.
     * @return true if this acknowledgement ends a round (a new round begins with the packets sent from now on).
     */
    public boolean onPacketAcked(final long timeSentNs)
    {
        if (timeSentNs < roundEndNs)
        {
            return false;
        }
        largestFlightLastRound = largestFlightThisRound;
        largestFlightThisRound = 0;
        roundEndNs = lastSentNs == Long.MIN_VALUE ? timeSentNs + 1 : Math.max(lastSentNs, timeSentNs) + 1;
        rounds++;
        return true;
    }

    /**
     * @param congestionWindow the current window in bytes.
     * @param slowStart        whether the controller is in slow start (doubling per round).
     * @return whether the window was used enough, this round or the last, to justify growing it.
     */
    public boolean windowUsed(final long congestionWindow, final boolean slowStart)
    {
        final long largest = Math.max(largestFlightThisRound, largestFlightLastRound);
        return slowStart ? 2 * largest >= congestionWindow : 4 * largest >= 3 * congestionWindow;
    }

    /** @return rounds completed (for tests). */
    public long rounds()
    {
        return rounds;
    }

    /** @return the largest bytes in flight seen in this round or the last. */
    public long largestRecentFlight()
    {
        return Math.max(largestFlightThisRound, largestFlightLastRound);
    }
}
