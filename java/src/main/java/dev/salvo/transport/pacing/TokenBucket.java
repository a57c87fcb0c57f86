/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.pacing;

/**
 * A byte token bucket on the caller's clock, with release hysteresis so that it hands out bursts, not
 * drips: tokens accrue at {@link #rateBytesPerSecond()} up to the {@link #depthBytes() depth}; sending is
 * allowed while tokens are positive (a packet may take the balance below zero, by less than one packet);
 * once the balance is spent, sending waits until the bucket is half full again ({@link #releaseTimeNs()}),
 * so each release is a burst of half the depth — a GSO train or a whole send batch — and releases are
 * spaced at depth/(2·rate). The other half absorbs a late wake-up: a sender that comes back up to
 * depth/(2·rate) late finds the tokens it missed and loses no rate. Idle time accrues nothing beyond the
 * depth, so the largest burst is the depth.
 *
 * <p>Rate and depth may change at any time ({@link #configure}); tokens accrued so far are kept (clamped
 * to the new depth). Single-threaded (the I/O thread). Allocation-free.
 */
public final class TokenBucket
{
    /** {@link #releaseTimeNs()} when sending is allowed now (nothing to wait for). */
    public static final long NOT_BLOCKED = Long.MAX_VALUE;

    /** A spent bucket releases when it holds this fraction of its depth. */
    public static final double RELEASE_FRACTION = 0.5;

    /** Rounding tolerance of the release test, in bytes (the release time is computed to pass it). */
    private static final double RELEASE_TOLERANCE_BYTES = 1.0;

    private double bytesPerNs;
    private double depth;
    private double tokens;
    private long lastRefillNs;
    private boolean blocked;

    /**
     * A full bucket.
     *
     * @param rateBytesPerSecond refill rate, &gt; 0.
     * @param depthBytes         most tokens held, &gt; 0.
     * @param nowNs              current time.
     */
    public TokenBucket(final double rateBytesPerSecond, final long depthBytes, final long nowNs)
    {
        configure(rateBytesPerSecond, depthBytes);
        tokens = depth;
        lastRefillNs = nowNs;
    }

    /**
     * Changes rate and depth (tokens held are clamped to the new depth).
     *
     * @param rateBytesPerSecond refill rate, &gt; 0.
     * @param depthBytes         most tokens held, &gt; 0.
     */
    public void configure(final double rateBytesPerSecond, final long depthBytes)
    {
        if (!(rateBytesPerSecond > 0) || depthBytes <= 0)
        {
            throw new IllegalArgumentException("rate and depth must be > 0: " + rateBytesPerSecond + ", " + depthBytes);
        }
        bytesPerNs = rateBytesPerSecond / 1e9;
        depth = depthBytes;
        if (tokens > depth)
        {
            tokens = depth;
        }
    }

    /**
     * Fills the bucket and restarts accrual at {@code nowNs} (unblocks).
     *
     * @param nowNs current time.
     */
    public void fill(final long nowNs)
    {
        tokens = depth;
        lastRefillNs = nowNs;
        blocked = false;
    }

    /**
     * Accrues tokens up to {@code nowNs} (a time before the last refill is ignored).
     *
     * @param nowNs current time.
     */
    public void refill(final long nowNs)
    {
        final long elapsedNs = nowNs - lastRefillNs;
        if (elapsedNs > 0)
        {
            lastRefillNs = nowNs;
            tokens = Math.min(depth, tokens + elapsedNs * bytesPerNs);
        }
        if (blocked && tokens >= depth * RELEASE_FRACTION - RELEASE_TOLERANCE_BYTES)
        {
            blocked = false;
        }
    }

    /**
     * @param nowNs current time.
     * @return whether a packet may be sent now (then {@link #consume} its size).
     */
    public boolean canSend(final long nowNs)
    {
        refill(nowNs);
        return !blocked;
    }

    /**
     * Takes a sent packet's bytes; a balance at or below zero blocks until the bucket is half full again.
     *
     * @param bytes packet size.
     */
    public void consume(final long bytes)
    {
        tokens -= bytes;
        if (tokens <= 0)
        {
            blocked = true;
        }
    }

    /**
     * @return when sending may resume (the bucket is half full again) — computed from the last refill, so a
     * later rate change moves it — or {@link #NOT_BLOCKED} while sending is allowed.
     */
    public long releaseTimeNs()
    {
        if (!blocked)
        {
            return NOT_BLOCKED;
        }
        // Aim half the tolerance past the unblocking level, so rounding can never leave it just short.
        final double missing = depth * RELEASE_FRACTION - RELEASE_TOLERANCE_BYTES / 2 - tokens;
        return missing <= 0 ? lastRefillNs : lastRefillNs + (long)Math.ceil(missing / bytesPerNs);
    }

    /** @return whether the bucket is waiting to be half full again (as of the last refill). */
    public boolean isBlocked()
    {
        return blocked;
    }

    /** @return tokens held at the last refill, in bytes (negative after an overdraft). */
    public double tokens()
    {
        return tokens;
    }

    /** @return the refill rate, bytes per second. */
    public double rateBytesPerSecond()
    {
        return bytesPerNs * 1e9;
    }

    /** @return the depth, bytes. */
    public long depthBytes()
    {
        return (long)depth;
    }
}
