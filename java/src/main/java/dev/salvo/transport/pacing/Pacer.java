/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.pacing;

/**
 * Paces one connection's new data so that a congestion window goes out spread over the round trip
 * instead of in one line-rate burst, while still leaving in GSO-sized bursts.
 *
 * <p>A {@link TokenBucket} refilled at {@code gain × cwnd / smoothed_rtt}: {@link #SLOW_START_GAIN} (2.0)
 * in slow start and {@link #AVOIDANCE_GAIN} (1.2) after, as Linux does ({@code tcp_pacing_ss_ratio},
 * {@code tcp_pacing_ca_ratio}), so pacing never holds a connection below what its window allows.
 *
 * <p><b>Bucket depth</b>: {@code max(MIN_BURST_DATAGRAMS × datagram, min(cwnd, rate × DEPTH_INTERVAL_NS))}
 * — two milliseconds of the pacing rate (quinn's choice), never less than ten datagrams (the initial
 * window; quinn's floor) and never more than the window itself. Once the bucket is spent, data waits
 * until it is half full again ({@link #nextReleaseNs()}, {@link TokenBucket}): so a release is a burst of
 * one millisecond of the rate, as Linux sizes TSO bursts ({@code sk_pacing_shift} 10) — at 1 Gbit/s
 * about one 64-segment GSO train of 1200-byte datagrams, filling a send batch — and the I/O thread sleeps
 * between bursts; the other half absorbs a late wake-up (timer slack, a busy CPU) without losing rate.
 * The largest burst, after idling, is the depth. On loopback, where the rate is tens of GB/s, the window
 * binds first and pacing costs nothing.
 *
 * <p>Before the first RTT sample nothing is paced: the initial window is the only limit (its size is the
 * burst floor anyway). Only new data and retransmissions are paced; acknowledgements, probes, pings and
 * close frames are not (the core does not ask). Single-threaded (the I/O thread); allocation-free.
 *
 * <p>A pacer may also answer to a {@link #transportLimit transport-wide bucket} shared by every connection
 * of one I/O thread (the optional rate cap): new data then needs both, takes from both, and waits for the
 * later of the two releases.
 */
public final class Pacer
{
    /** Pacing gain in slow start (Linux {@code tcp_pacing_ss_ratio} = 200%). */
    public static final double SLOW_START_GAIN = 2.0;

    /** Pacing gain in congestion avoidance (Linux {@code tcp_pacing_ca_ratio} = 120%). */
    public static final double AVOIDANCE_GAIN = 1.2;

    /** The bucket holds this long at the pacing rate (2 ms; a release is half of it). */
    public static final long DEPTH_INTERVAL_NS = 2_000_000L;

    /** Smallest bucket depth, in datagrams (the initial window's size). */
    public static final int MIN_BURST_DATAGRAMS = 10;

    private final boolean enabled;
    private final TokenBucket bucket = new TokenBucket(1, 1, 0);
    private TokenBucket transportLimit;
    private boolean active;

    /**
     * @param enabled false: {@link #canSend} always allows (pacing off).
     */
    public Pacer(final boolean enabled)
    {
        this.enabled = enabled;
    }

    /**
     * @param cwnd       congestion window, bytes.
     * @param srttNs     smoothed RTT, ns (&gt; 0).
     * @param slowStart  whether the controller is in slow start.
     * @return the pacing rate, bytes per second.
     */
    public static double rateBytesPerSecond(final long cwnd, final long srttNs, final boolean slowStart)
    {
        return (slowStart ? SLOW_START_GAIN : AVOIDANCE_GAIN) * cwnd * 1e9 / srttNs;
    }

    /**
     * @param cwnd         congestion window, bytes.
     * @param rate         pacing rate, bytes per second.
     * @param datagramSize the connection's current largest datagram.
     * @return the bucket depth (see the class comment).
     */
    public static long burstBytes(final long cwnd, final double rate, final int datagramSize)
    {
        final long interval = (long)(rate * (DEPTH_INTERVAL_NS / 1e9));
        return Math.max((long)MIN_BURST_DATAGRAMS * datagramSize, Math.min(cwnd, interval));
    }

    /**
     * Updates the rate from the congestion state, accrues tokens and says whether new data may go now.
     *
     * @param nowNs          current time.
     * @param cwnd           congestion window, bytes.
     * @param srttNs         smoothed RTT, ns.
     * @param hasRttSample   whether {@code srttNs} comes from a sample (before one, nothing is paced).
     * @param slowStart      whether the controller is in slow start.
     * @param datagramSize   the connection's current largest datagram.
     * @return true if a data packet may be sent now (then report it with {@link #onPacketSent}).
     */
    public boolean canSend(
        final long nowNs,
        final long cwnd,
        final long srttNs,
        final boolean hasRttSample,
        final boolean slowStart,
        final int datagramSize)
    {
        if (null != transportLimit && !transportLimit.canSend(nowNs))
        {
            return false;
        }
        if (!enabled || !hasRttSample || srttNs <= 0 || cwnd <= 0)
        {
            return true;
        }
        final double rate = rateBytesPerSecond(cwnd, srttNs, slowStart);
        final long depth = burstBytes(cwnd, rate, datagramSize);
        if (!active)
        {
            active = true;
            bucket.configure(rate, depth);
            bucket.fill(nowNs);
            return true;
        }
        bucket.refill(nowNs); // what accrued so far, at the old rate
        bucket.configure(rate, depth);
        return bucket.canSend(nowNs);
    }

    /**
     * A paced packet went out.
     *
     * @param bytes its size on the wire.
     */
    public void onPacketSent(final int bytes)
    {
        if (active)
        {
            bucket.consume(bytes);
        }
        if (null != transportLimit)
        {
            transportLimit.consume(bytes);
        }
    }

    /**
     * @param limit a transport-wide bucket (the rate cap) this connection's new data also needs tokens
     *              from, shared with the other connections of the I/O thread; null for none.
     */
    public void transportLimit(final TokenBucket limit)
    {
        transportLimit = limit;
    }

    /**
     * @return when new data may go again after the bucket (or the transport limit) was spent, computed
     * from their last refill, or {@link TokenBucket#NOT_BLOCKED} if pacing holds nothing back.
     */
    public long nextReleaseNs()
    {
        final long own = active && bucket.isBlocked() ? bucket.releaseTimeNs() : Long.MIN_VALUE;
        final long shared = null != transportLimit && transportLimit.isBlocked() ?
            transportLimit.releaseTimeNs() : Long.MIN_VALUE;
        final long release = Math.max(own, shared);
        return Long.MIN_VALUE == release ? TokenBucket.NOT_BLOCKED : release;
    }

    /** @return whether pacing is on (the setting). */
    public boolean isEnabled()
    {
        return enabled;
    }

    /** @return the current pacing rate, bytes per second (0 before the first RTT sample or when off). */
    public double rateBytesPerSecond()
    {
        return active ? bucket.rateBytesPerSecond() : 0;
    }

    /** @return the current bucket depth (the largest burst), bytes (0 before the first RTT sample or when off). */
    public long burstBytes()
    {
        return active ? bucket.depthBytes() : 0;
    }

    /** @return tokens held at the last update, bytes. */
    public double tokens()
    {
        return active ? bucket.tokens() : 0;
    }
}
