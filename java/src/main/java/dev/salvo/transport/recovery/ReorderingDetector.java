/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

import dev.salvo.transport.frame.FrameReader;

/**
 * Adaptive reordering thresholds and spurious-loss detection for {@link LossRecovery}, as RFC 9002 §6.1
 * permits and Linux (RACK, {@code tp->reordering}, undo) does: a packet declared lost and acknowledged
 * afterwards was reordered, not lost.
 *
 * <ul>
 * <li>Packet threshold: starts at RFC 9002's 3; a spurious loss raises it to the reordering distance seen
 *     (largest acknowledged when the late ACK came, minus the packet's number) + 1, at most
 *     {@value #MAX_PACKET_THRESHOLD}.</li>
 * <li>Time threshold: loss delay = (1 + n/8)·max(smoothed RTT, latest RTT), n = 1 (RFC 9002's 9/8); a
 *     spurious loss that the time threshold declared doubles n, up to {@value #MAX_TIME_THRESHOLD_EIGHTHS}
 *     (2·RTT, RFC 9002 §6.1.2's suggested ceiling).</li>
 * <li>Decay: after {@value #DECAY_EPISODES} congestion episodes in a row without a spurious loss both
 *     are halved (not below their RFC values), as Linux RACK resets its reordering window after 16
 *     recoveries without DSACK; reordering that persists raises them again at once.</li>
 * <li>Undo: a congestion episode (RFC 9002's recovery period: starts at a loss of a packet sent after
 *     the previous one started) whose every in-flight lost packet is later acknowledged was spurious; the
 *     caller tells the controller so it restores the window it had (Linux's undo). Not after persistent
 *     congestion, and not if a lost packet of the episode is forgotten unacknowledged.</li>
 * </ul>
 *
 * <p>Lost packets are remembered in a fixed ring of {@value #LOST_HISTORY} (declared in increasing packet
 * number order, so the ring is sorted) for {@value #HISTORY_PTOS} probe timeouts; each ACK frame is merged
 * with the recent end of the ring. Allocates nothing after construction.
 */
public final class ReorderingDetector
{
    /** RFC 9002 kPacketThreshold: the packet threshold before any reordering is seen, and its floor. */
    public static final int INITIAL_PACKET_THRESHOLD = LossRecovery.PACKET_THRESHOLD;

    /** Largest packet threshold (Linux caps tcp_max_reordering at 300 segments; we allow deeper bursts). */
    public static final int MAX_PACKET_THRESHOLD = 512;

    /** Time threshold before reordering is seen: RFC 9002 kTimeThreshold = 9/8, i.e. 1/8 over the RTT. */
    public static final int INITIAL_TIME_THRESHOLD_EIGHTHS = 1;

    /** Largest time threshold: 2·RTT, i.e. 8/8 over the RTT. */
    public static final int MAX_TIME_THRESHOLD_EIGHTHS = 8;

    /** Congestion episodes without a spurious loss after which both thresholds halve. */
    public static final int DECAY_EPISODES = 16;

    /** Lost packets remembered to recognise a late acknowledgement. */
    public static final int LOST_HISTORY = 256;

    /** A lost packet is remembered this many probe timeouts after it was declared lost. */
    public static final int HISTORY_PTOS = 2;

    /** {@link #onAckFrame} result: no congestion episode to undo. */
    public static final long NO_UNDO = Long.MIN_VALUE;

    private static final int HISTORY_MASK = LOST_HISTORY - 1;
    private static final byte FLAG_IN_FLIGHT = 1;
    private static final byte FLAG_BY_TIME = 2;
    private static final byte FLAG_RESOLVED = 4;
    private static final long NO_EPISODE = -1;

    private final RttEstimator rtt;
    private final long peerMaxAckDelayNs;

    private final long[] lostPacketNumber = new long[LOST_HISTORY];
    private final long[] lostDeclaredNs = new long[LOST_HISTORY];
    private final long[] lostEpisode = new long[LOST_HISTORY];
    private final byte[] lostFlags = new byte[LOST_HISTORY];
    private long head;
    private long tail;
    private long unassignedFrom;

    private int packetThreshold = INITIAL_PACKET_THRESHOLD;
    private int timeThresholdEighths = INITIAL_TIME_THRESHOLD_EIGHTHS;
    private int episodesWithoutSpurious;

    private long episode = NO_EPISODE;
    private long episodeStartNs = Long.MIN_VALUE;
    private long previousEpisodeStartNs = Long.MIN_VALUE;
    private int episodeLost;
    private int episodeSpurious;
    private boolean episodeUndoable;
    private boolean unrecordedLoss;

    private long spuriousLosses;
    private long undoneEpisodes;
    private long maxReorderingDistance;

    /**
     * @param rtt               the connection's RTT estimator (read only).
     * @param peerMaxAckDelayNs the peer's max_ack_delay (part of the probe timeout bounding the history).
     */
    public ReorderingDetector(final RttEstimator rtt, final long peerMaxAckDelayNs)
    {
        this.rtt = rtt;
        this.peerMaxAckDelayNs = peerMaxAckDelayNs;
    }

    /** @return the packet threshold: a packet is lost once one this many numbers above it is acknowledged. */
    public int packetThreshold()
    {
        return packetThreshold;
    }

    /** @return the time threshold's excess over the RTT in eighths (1: RFC 9002's 9/8). */
    public int timeThresholdEighths()
    {
        return timeThresholdEighths;
    }

    /** @return the time-threshold loss delay: (1 + n/8)·max(smoothed_rtt, latest_rtt), at least kGranularity. */
    public long lossDelayNs()
    {
        final long r = Math.max(rtt.smoothedRttNs(), rtt.latestRttNs());
        return Math.max(r + ((r * timeThresholdEighths) >> 3), RttEstimator.GRANULARITY_NS);
    }

    /**
     * A packet was declared lost (in increasing packet number order).
     *
     * @param inFlight        whether it counted in flight (its bytes were part of the loss event).
     * @param byTimeThreshold whether the time threshold, not the packet threshold, declared it.
     */
    public void onPacketLost(final long packetNumber, final boolean inFlight, final boolean byTimeThreshold, final long nowNs)
    {
        if (head > tail && packetNumber <= lostPacketNumber[(int)((head - 1) & HISTORY_MASK)])
        {
            unrecordedLoss |= inFlight; // out of order: cannot happen with RFC 9002's rules; kept sorted
            return;
        }
        if (head - tail == LOST_HISTORY)
        {
            forgetOldest();
        }
        final int i = (int)(head & HISTORY_MASK);
        lostPacketNumber[i] = packetNumber;
        lostDeclaredNs[i] = nowNs;
        lostEpisode[i] = NO_EPISODE;
        lostFlags[i] = (byte)((inFlight ? FLAG_IN_FLIGHT : 0) | (byTimeThreshold ? FLAG_BY_TIME : 0));
        head++;
    }

    /**
     * The in-flight packets declared lost since the last call formed one loss event (as passed to
     * {@code CongestionControl.onPacketsLost}). A new congestion episode starts if the newest of them was sent
     * after the current one started, exactly when the controllers reduce their window.
     */
    public void onLossEvent(final long largestLostTimeSentNs, final long nowNs)
    {
        if (largestLostTimeSentNs > episodeStartNs)
        {
            previousEpisodeStartNs = episodeStartNs;
            episodeStartNs = nowNs;
            episode++;
            episodeLost = 0;
            episodeSpurious = 0;
            episodeUndoable = true;
            if (++episodesWithoutSpurious >= DECAY_EPISODES)
            {
                episodesWithoutSpurious = 0;
                packetThreshold = Math.max(INITIAL_PACKET_THRESHOLD, packetThreshold >> 1);
                timeThresholdEighths = Math.max(INITIAL_TIME_THRESHOLD_EIGHTHS, timeThresholdEighths >> 1);
            }
        }
        for (long e = Math.max(unassignedFrom, tail); e < head; e++)
        {
            final int i = (int)(e & HISTORY_MASK);
            if ((lostFlags[i] & FLAG_IN_FLIGHT) != 0)
            {
                lostEpisode[i] = episode;
                episodeLost++;
            }
        }
        unassignedFrom = head;
        if (unrecordedLoss)
        {
            unrecordedLoss = false;
            episodeUndoable = false; // a loss of this event is not remembered: its acknowledgement would go unseen
        }
    }

    /** Persistent congestion was declared: the controller collapsed its window, which is never undone. */
    public void onPersistentCongestion()
    {
        episodeUndoable = false;
        episodeStartNs = Long.MIN_VALUE;
        previousEpisodeStartNs = Long.MIN_VALUE;
    }

    /**
     * Looks for lost packets this ACK frame acknowledges (call before declaring new losses, so they are
     * judged by the adapted thresholds).
     *
     * @param largestAcked the largest packet number acknowledged so far, including this frame.
     * @return the start time of the congestion episode found spurious (to pass to the controller's undo), or
     * {@link #NO_UNDO}.
     */
    public long onAckFrame(final FrameReader ack, final long largestAcked, final long nowNs)
    {
        expire(nowNs);
        long undo = NO_UNDO;
        final int rangeCount = ack.ackRangeCount();
        int r = 0;
        for (long e = head - 1; e >= tail && r < rangeCount; e--)
        {
            final int i = (int)(e & HISTORY_MASK);
            final long pn = lostPacketNumber[i];
            while (r < rangeCount && ack.ackRangeSmallest(r) > pn)
            {
                r++;
            }
            if (r == rangeCount)
            {
                break;
            }
            if (pn > ack.ackRangeLargest(r) || (lostFlags[i] & FLAG_RESOLVED) != 0)
            {
                continue;
            }
            lostFlags[i] |= FLAG_RESOLVED;
            if (onSpuriousLoss(i, largestAcked))
            {
                undo = episodeStartNs;
                episodeStartNs = previousEpisodeStartNs;
            }
        }
        while (tail < head && (lostFlags[(int)(tail & HISTORY_MASK)] & FLAG_RESOLVED) != 0)
        {
            tail++;
        }
        return undo;
    }

    private boolean onSpuriousLoss(final int i, final long largestAcked)
    {
        spuriousLosses++;
        episodesWithoutSpurious = 0;
        final long distance = largestAcked - lostPacketNumber[i];
        maxReorderingDistance = Math.max(maxReorderingDistance, distance);
        packetThreshold = (int)Math.max(packetThreshold, Math.min(distance + 1, MAX_PACKET_THRESHOLD));
        if ((lostFlags[i] & FLAG_BY_TIME) != 0)
        {
            timeThresholdEighths = Math.min(MAX_TIME_THRESHOLD_EIGHTHS, timeThresholdEighths << 1);
        }
        if (lostEpisode[i] == episode && episode != NO_EPISODE && episodeUndoable && ++episodeSpurious == episodeLost)
        {
            episodeUndoable = false;
            undoneEpisodes++;
            return true;
        }
        return false;
    }

    private void expire(final long nowNs)
    {
        final long forgetBefore = nowNs - HISTORY_PTOS * rtt.ptoNs(peerMaxAckDelayNs);
        while (tail < head && lostDeclaredNs[(int)(tail & HISTORY_MASK)] < forgetBefore)
        {
            forgetOldest();
        }
    }

    private void forgetOldest()
    {
        final int i = (int)(tail & HISTORY_MASK);
        if ((lostFlags[i] & (FLAG_RESOLVED | FLAG_IN_FLIGHT)) == FLAG_IN_FLIGHT)
        {
            if (tail >= unassignedFrom)
            {
                unrecordedLoss = true; // forgotten before its loss event was counted
            }
            else if (lostEpisode[i] == episode && episode != NO_EPISODE)
            {
                episodeUndoable = false; // one of the episode's losses was never acknowledged: likely real
            }
        }
        tail++;
    }

    /** @return packets declared lost and acknowledged afterwards. */
    public long spuriousLosses()
    {
        return spuriousLosses;
    }

    /** @return congestion episodes found spurious and undone. */
    public long undoneEpisodes()
    {
        return undoneEpisodes;
    }

    /** @return the largest reordering distance (in packet numbers) seen in a spurious loss. */
    public long maxReorderingDistance()
    {
        return maxReorderingDistance;
    }
}
