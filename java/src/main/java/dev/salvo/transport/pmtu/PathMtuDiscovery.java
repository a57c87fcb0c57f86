/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.pmtu;

/**
 * Datagram packetization layer path MTU discovery (RFC 8899) for one connection: which datagram size the
 * connection sends now (the PLPMTU: UDP payload bytes), when to send a probe and of what size, and what the
 * fate of probes and ordinary packets says about the path. Pure state driven by the caller's clock, on the
 * I/O thread; it never touches packets.
 *
 * <p><b>Search.</b> The connection starts at the base size ({@code salvo.transport.minDatagramSize}, 1200) and,
 * once the peer has answered (the caller asks only after the first RTT sample), probes: first the maximum (the
 * common case: the path carries what the local interface carries, one round trip), then a binary search between
 * the largest confirmed size and the smallest failed one, until the bracket is narrower than
 * {@value #SEARCH_RESOLUTION} bytes. A probe is a packet of exactly the probe size (PING + PADDING); it is
 * confirmed when acknowledged (a late acknowledgement still counts) and fails after {@value #MAX_PROBES}
 * unanswered attempts, each given the probe timer ({@link #probeTimeoutNs}). One probe is outstanding at a
 * time. Probes are not congestion signals: the caller keeps them out of bytes in flight.
 *
 * <p><b>Black holes.</b> A path that stops carrying the current size (a route change, a middlebox; ICMP is not
 * trusted or not seen) shows as either {@value #BLACK_HOLE_LOSS_BURSTS} bursts of lost packets larger than the
 * base size with no such packet acknowledged after them (congestion losses are followed by acknowledged large
 * packets and so never count), or {@value #BLACK_HOLE_PTO_COUNT} probe timeouts in a row. Either way the size
 * falls back to the base at once and the search starts again.
 *
 * <p><b>Re-probing.</b> When the search completes below the maximum, it starts again after the re-probe interval
 * ({@code salvo.transport.pmtuReprobeIntervalNs}, RFC 8899's PMTU_RAISE_TIMER, 600 s), so a path that grew is
 * used. Base == maximum disables probing (a fixed size).
 */
public final class PathMtuDiscovery
{
    /** RFC 8899 MAX_PROBES: unanswered attempts at one size before it counts as failed. */
    public static final int MAX_PROBES = 3;

    /** The search stops when the largest confirmed and the smallest failed size are closer than this. */
    public static final int SEARCH_RESOLUTION = 16;

    /** Shortest probe timer, however small the RTT (the peer may delay its ACK up to 25 ms, and be busy). */
    public static final long MIN_PROBE_TIMER_NS = 100_000_000L;

    /** Suspicious loss bursts (see the class comment) that mean a black hole. */
    public static final int BLACK_HOLE_LOSS_BURSTS = 3;

    /** Consecutive probe timeouts of loss recovery that mean a black hole (when above the base size). */
    public static final int BLACK_HOLE_PTO_COUNT = 3;

    /**
     * Slack between a packet's size as loss recovery counts it (plaintext + the longest header + tag) and its
     * datagram size (the header may be up to 3 bytes shorter than the longest).
     */
    public static final int SIZE_SLACK = 3;

    private static final int DISABLED = 0;
    private static final int SEARCHING = 1;
    private static final int SEARCH_COMPLETE = 2;

    private final int baseSize;
    private final long reprobeIntervalNs;
    private int maxSize;
    private int state;
    private int datagramSize;
    private int low;
    private int high;
    private boolean maxTried;
    private int probeSize;
    private int probeAttempts;
    private boolean probeOutstanding;
    private long probeDeadlineNs = Long.MAX_VALUE;
    private long reprobeAtNs = Long.MAX_VALUE;
    private long largestAckedLargePacket = -1;
    private long lastLostLargePacket = Long.MIN_VALUE;
    private int suspiciousBursts;

    private long probesSent;
    private long probesAcked;
    private long probesLost;
    private long blackHoles;
    private long tooLargeSignals;

    /**
     * @param baseSize          the base (and minimum) datagram size: the start and the black-hole fallback.
     * @param maxSize           the largest datagram size to probe for (at least {@code baseSize}; equal: no probing).
     * @param reprobeIntervalNs how long after a completed search to search again for a larger size.
     */
    public PathMtuDiscovery(final int baseSize, final int maxSize, final long reprobeIntervalNs)
    {
        if (baseSize < 64 || maxSize < baseSize)
        {
            throw new IllegalArgumentException("need 64 <= base <= max datagram size: " + baseSize + ", " + maxSize);
        }
        if (reprobeIntervalNs <= 0)
        {
            throw new IllegalArgumentException("reprobeIntervalNs must be > 0: " + reprobeIntervalNs);
        }
        this.baseSize = baseSize;
        this.maxSize = maxSize;
        this.reprobeIntervalNs = reprobeIntervalNs;
        this.datagramSize = baseSize;
        restartSearch(0);
    }

    /**
     * Lowers the maximum to what the route allows (the local interface MTU less IP and UDP headers); never below
     * the base. Called once, before the first probe.
     *
     * @param bytes the largest datagram the local interface carries.
     */
    public void limitMaxDatagramSize(final int bytes)
    {
        final int limit = Math.max(baseSize, Math.min(maxSize, bytes));
        if (limit != maxSize)
        {
            maxSize = limit;
            datagramSize = Math.min(datagramSize, limit);
            restartSearch(0);
        }
    }

    /** @return the datagram size (UDP payload bytes) ordinary packets use now: the PLPMTU. */
    public int datagramSize()
    {
        return datagramSize;
    }

    /** @return the base (minimum) datagram size. */
    public int baseSize()
    {
        return baseSize;
    }

    /** @return the largest datagram size probed for. */
    public int maxSize()
    {
        return maxSize;
    }

    /**
     * @param nowNs current time.
     * @return whether a probe should go out now (of {@link #probeSize()} bytes).
     */
    public boolean isProbeDue(final long nowNs)
    {
        return SEARCHING == state && !probeOutstanding;
    }

    /** @return the size of the next (or outstanding) probe, 0 when none. */
    public int probeSize()
    {
        return SEARCHING == state ? probeSize : 0;
    }

    /** @return whether the search is finished (until the re-probe timer or a black hole). */
    public boolean isSearchComplete()
    {
        return SEARCH_COMPLETE == state || DISABLED == state;
    }

    /**
     * A probe of {@link #probeSize()} bytes went out.
     *
     * @param nowNs          current time.
     * @param probeTimeoutNs how long to wait for its acknowledgement ({@link #probeTimeoutNs}).
     */
    public void onProbeSent(final long nowNs, final long probeTimeoutNs)
    {
        probeOutstanding = true;
        probeAttempts++;
        probesSent++;
        probeDeadlineNs = nowNs + probeTimeoutNs;
    }

    /**
     * A probe was acknowledged (possibly late, possibly an earlier one): its size is carried by the path.
     *
     * @param size  the probe's datagram size.
     * @param nowNs current time.
     */
    public void onProbeAcked(final int size, final long nowNs)
    {
        probesAcked++;
        if (size > datagramSize && size <= maxSize)
        {
            datagramSize = size;
        }
        if (SEARCHING != state)
        {
            return;
        }
        low = Math.max(low, Math.min(size, maxSize));
        if (high < low)
        {
            high = maxSize;
        }
        if (size == probeSize || probeSize <= low)
        {
            probeDone();
            nextProbe(nowNs);
        }
    }

    /**
     * Loss recovery declared a probe lost.
     *
     * @param size  the probe's datagram size.
     * @param nowNs current time.
     */
    public void onProbeLost(final int size, final long nowNs)
    {
        if (SEARCHING == state && probeOutstanding && size == probeSize)
        {
            probeFailed(nowNs);
        }
    }

    /**
     * Runs the probe timer and the re-probe timer.
     *
     * @param nowNs    current time.
     * @param ptoCount loss recovery's consecutive probe timeouts (the black-hole signal of a silent path).
     */
    public void onTimer(final long nowNs, final int ptoCount)
    {
        if (ptoCount >= BLACK_HOLE_PTO_COUNT && datagramSize > baseSize)
        {
            onBlackHole(nowNs);
        }
        if (probeOutstanding && nowNs - probeDeadlineNs >= 0)
        {
            probeFailed(nowNs);
        }
        if (SEARCH_COMPLETE == state && nowNs - reprobeAtNs >= 0)
        {
            restartSearch(nowNs);
        }
    }

    /** @return when {@link #onTimer} has something to do, or {@link Long#MAX_VALUE}. */
    public long timerDeadlineNs()
    {
        if (probeOutstanding)
        {
            return probeDeadlineNs;
        }
        return SEARCH_COMPLETE == state ? reprobeAtNs : Long.MAX_VALUE;
    }

    /**
     * An ordinary packet was acknowledged.
     *
     * @param packetNumber its number.
     * @param sizeBytes    its size as loss recovery counts it.
     */
    public void onPacketAcked(final long packetNumber, final int sizeBytes)
    {
        if (sizeBytes > baseSize + SIZE_SLACK && packetNumber > largestAckedLargePacket)
        {
            largestAckedLargePacket = packetNumber;
            if (packetNumber > lastLostLargePacket)
            {
                suspiciousBursts = 0;
            }
        }
    }

    /**
     * An ordinary packet was declared lost: a run of lost packets above the base size (and not above the current
     * size, so packets of an earlier, larger size are no evidence) after the last acknowledged one is a suspicious
     * burst.
     *
     * @param packetNumber its number.
     * @param sizeBytes    its size as loss recovery counts it.
     * @param nowNs        current time.
     */
    public void onPacketLost(final long packetNumber, final int sizeBytes, final long nowNs)
    {
        if (sizeBytes <= baseSize + SIZE_SLACK || sizeBytes > datagramSize + SIZE_SLACK ||
            packetNumber <= largestAckedLargePacket)
        {
            return;
        }
        if (packetNumber != lastLostLargePacket + 1)
        {
            suspiciousBursts++;
        }
        lastLostLargePacket = packetNumber;
        if (suspiciousBursts >= BLACK_HOLE_LOSS_BURSTS)
        {
            onBlackHole(nowNs);
        }
    }

    /**
     * The kernel refused a datagram of {@code size} bytes as larger than the route's MTU or a path MTU it learnt
     * (EMSGSIZE with don't-fragment; like an ICMP Packet Too Big, RFC 8899 §4.6, but local and certain, so it is
     * acted on at once rather than after black-hole detection). It says sizes of {@code size} and above fail now,
     * not what does fit, so:
     *
     * <ul>
     * <li>the outstanding probe of that size: failed at once (no {@value #MAX_PROBES} attempts, no timer); the
     *     search goes on below it;</li>
     * <li>a datagram of the current size or smaller (but above the base): the size falls back to the base at once
     *     (the only size below it known to work: RFC 8899 §4.6.2 with no usable PL_PTB_SIZE) and the search starts
     *     again between the base and {@code size − 1}. Probes too large for the local route fail the same way at
     *     once, probes that fit are acknowledged within a round trip, so the search settles in a few round trips;
     *     a completed search below the maximum re-probes after the re-probe interval as usual;</li>
     * <li>anything else (a datagram of an earlier, larger size, a stale probe, the base size or below, which
     *     cannot be helped): ignored, but counted.</li>
     * </ul>
     *
     * @param size  the refused datagram's size (UDP payload bytes).
     * @param nowNs current time.
     */
    public void onDatagramTooLarge(final int size, final long nowNs)
    {
        tooLargeSignals++;
        if (size <= baseSize)
        {
            return;
        }
        if (SEARCHING == state && probeOutstanding && size == probeSize)
        {
            probeOutstanding = false;
            probeDeadlineNs = Long.MAX_VALUE;
            probesLost++;
            probeAttempts = 0;
            high = Math.min(high, size - 1);
            nextProbe(nowNs);
            return;
        }
        if (size > datagramSize)
        {
            return;
        }
        datagramSize = baseSize;
        suspiciousBursts = 0;
        restartSearch(nowNs);
        if (SEARCHING == state)
        {
            high = Math.min(high, size - 1);
            maxTried = true; // the maximum is known to fail: straight to the binary search
            nextProbe(nowNs);
        }
    }

    /**
     * The probe timer for a path with the given probe timeout (RFC 9002 PTO without backoff).
     *
     * @param ptoNs the connection's probe timeout.
     * @return twice the PTO, at least {@link #MIN_PROBE_TIMER_NS}.
     */
    public static long probeTimeoutNs(final long ptoNs)
    {
        return Math.max(2 * ptoNs, MIN_PROBE_TIMER_NS);
    }

    private void onBlackHole(final long nowNs)
    {
        blackHoles++;
        datagramSize = baseSize;
        suspiciousBursts = 0;
        restartSearch(nowNs);
    }

    private void restartSearch(final long nowNs)
    {
        probeDone();
        low = datagramSize;
        high = maxSize;
        maxTried = false;
        reprobeAtNs = Long.MAX_VALUE;
        if (maxSize == baseSize)
        {
            state = DISABLED;
            probeSize = 0;
            return;
        }
        state = SEARCHING;
        nextProbe(nowNs);
    }

    private void probeDone()
    {
        probeOutstanding = false;
        probeAttempts = 0;
        probeDeadlineNs = Long.MAX_VALUE;
    }

    private void probeFailed(final long nowNs)
    {
        probeOutstanding = false;
        probeDeadlineNs = Long.MAX_VALUE;
        probesLost++;
        if (probeAttempts >= MAX_PROBES)
        {
            high = probeSize - 1;
            probeAttempts = 0;
            nextProbe(nowNs);
        }
    }

    private void nextProbe(final long nowNs)
    {
        if (high - low < SEARCH_RESOLUTION || low >= maxSize)
        {
            state = SEARCH_COMPLETE;
            probeSize = 0;
            reprobeAtNs = datagramSize >= maxSize ? Long.MAX_VALUE : nowNs + reprobeIntervalNs;
            return;
        }
        state = SEARCHING;
        if (!maxTried && high == maxSize)
        {
            maxTried = true;
            probeSize = maxSize;
        }
        else
        {
            probeSize = (low + high + 1) >>> 1;
        }
    }

    /** @return probes sent. */
    public long probesSent()
    {
        return probesSent;
    }

    /** @return probes acknowledged. */
    public long probesAcked()
    {
        return probesAcked;
    }

    /** @return probe attempts that failed (timed out or declared lost). */
    public long probesLost()
    {
        return probesLost;
    }

    /** @return sends the kernel refused as too large ({@link #onDatagramTooLarge}), acted on or not. */
    public long tooLargeSignals()
    {
        return tooLargeSignals;
    }

    /** @return black holes detected (falls back to the base size). */
    public long blackHoles()
    {
        return blackHoles;
    }
}
