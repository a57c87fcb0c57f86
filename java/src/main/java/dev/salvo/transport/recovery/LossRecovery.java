/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

import dev.salvo.transport.congestion.CongestionControl;
import dev.salvo.transport.frame.ErrorCode;
import dev.salvo.transport.frame.FrameReader;

/**
 * Sender side of RFC 9002: sent-packet tracking, ACK processing, RTT sampling, loss detection
 * (packet threshold {@value #PACKET_THRESHOLD}, time threshold 9/8·max(smoothed, latest RTT), both raised
 * by {@link ReorderingDetector} when a packet declared lost is acknowledged later, which also has the
 * controller undo a congestion response that proved spurious), the probe timeout with exponential
 * backoff, persistent congestion, and bytes-in-flight bookkeeping.
 *
 * <p>One packet number space (data packets after the handshake). Packets are kept in a ring keyed
 * by packet number (struct of arrays, no per-packet objects); the message fragments each packet
 * carried are kept in a second ring so that an ACK or a loss hands exactly those fragments to the
 * {@link SentPacketHandler}. Both rings grow by doubling up to a bound and never shrink, so steady
 * state allocates nothing.
 *
 * <p>Bytes in flight are released on every path that ends a packet's life: acknowledged
 * ({@link #onAckFrame}), declared lost ({@link #onAckFrame}, {@link #onTimer}), its message
 * cancelled ({@link #abandonMessage}) and the connection closed ({@link #discardAll}).
 */
public final class LossRecovery
{
    /** RFC 9002 kPacketThreshold: the initial packet threshold ({@link ReorderingDetector} raises it). */
    public static final int PACKET_THRESHOLD = 3;

    /** RFC 9002 kPersistentCongestionThreshold. */
    public static final int PERSISTENT_CONGESTION_THRESHOLD = 3;

    /** Most packets tracked at once; beyond it {@link #beginPacket} refuses. */
    public static final int MAX_TRACKED_PACKETS = 1 << 20;

    /** Probe packets sent when the probe timeout fires. */
    public static final int PROBES_PER_TIMEOUT = 2;

    private static final int MAX_PTO_BACKOFF_SHIFT = 16;
    private static final int INITIAL_CAPACITY = 1024;

    private static final byte EMPTY = 0;
    private static final byte SENT = 1;
    private static final byte ACKED = 2;
    private static final byte LOST = 3;

    private static final byte FLAG_ACK_ELICITING = 1;
    private static final byte FLAG_IN_FLIGHT = 2;

    private final RttEstimator rtt;
    private final CongestionControl congestionControl;
    private final SentPacketHandler handler;
    private final long peerMaxAckDelayNs;
    private final ReorderingDetector reordering;

    private int mask = INITIAL_CAPACITY - 1;
    private long[] packetTimeSent = new long[INITIAL_CAPACITY];
    private int[] packetSize = new int[INITIAL_CAPACITY];
    private byte[] packetState = new byte[INITIAL_CAPACITY];
    private byte[] packetFlags = new byte[INITIAL_CAPACITY];
    private int[] packetControl = new int[INITIAL_CAPACITY];
    private long[] packetFragmentStart = new long[INITIAL_CAPACITY];
    private int[] packetFragmentCount = new int[INITIAL_CAPACITY];

    private int fragmentMask = 2 * INITIAL_CAPACITY - 1;
    private byte[] fragmentKind = new byte[2 * INITIAL_CAPACITY];
    private long[] fragmentMessageId = new long[2 * INITIAL_CAPACITY];
    private long[] fragmentOffset = new long[2 * INITIAL_CAPACITY];
    private int[] fragmentLength = new int[2 * INITIAL_CAPACITY];
    private long fragmentHead;
    private long fragmentTail;

    private long oldestPacketNumber;
    private long nextPacketNumber;
    private long currentPacketNumber = -1;
    private long currentFragmentStart;
    private boolean skippedPacketNumbers;

    private long bytesInFlight;
    private int ackElicitingInFlight;
    private long largestAcked = -1;
    private long lossTimeNs;
    private int ptoCount;
    private int probesPending;
    private long timeOfLastAckElicitingNs;

    private long packetsSent;
    private long packetsAcked;
    private long packetsLost;
    private long persistentCongestionEvents;

    /**
     * @param rtt               the connection's RTT estimator (updated here).
     * @param congestionControl told of sends, acks, losses.
     * @param handler           told which fragments were acknowledged or lost.
     * @param peerMaxAckDelayNs the peer's max_ack_delay (caps its reported ACK delay; part of the PTO).
     */
    public LossRecovery(
        final RttEstimator rtt,
        final CongestionControl congestionControl,
        final SentPacketHandler handler,
        final long peerMaxAckDelayNs)
    {
        this.rtt = rtt;
        this.congestionControl = congestionControl;
        this.handler = handler;
        this.peerMaxAckDelayNs = peerMaxAckDelayNs;
        this.reordering = new ReorderingDetector(rtt, peerMaxAckDelayNs);
    }

    /**
     * Starts recording a packet about to be written. Packet numbers strictly increase; gaps are
     * allowed (an ACK for a skipped number is a protocol violation).
     *
     * @return false if too many packets are outstanding to track another (send nothing now).
     */
    public boolean beginPacket(final long packetNumber)
    {
        if (packetNumber < nextPacketNumber)
        {
            throw new IllegalArgumentException(
                "packet number " + packetNumber + " not above the last one sent " + (nextPacketNumber - 1));
        }
        final long span = packetNumber - oldestPacketNumber + 1;
        if (span > MAX_TRACKED_PACKETS)
        {
            return false;
        }
        while (span > mask + 1)
        {
            growPackets();
        }
        currentPacketNumber = packetNumber;
        currentFragmentStart = fragmentHead;
        return true;
    }

    /** Records a fragment carried by the packet begun with {@link #beginPacket}. */
    public void addFragment(final int kind, final long messageId, final long offset, final int length)
    {
        if (fragmentHead - fragmentTail > fragmentMask)
        {
            growFragments();
        }
        final int i = (int)(fragmentHead & fragmentMask);
        fragmentKind[i] = (byte)kind;
        fragmentMessageId[i] = messageId;
        fragmentOffset[i] = offset;
        fragmentLength[i] = length;
        fragmentHead++;
    }

    /**
     * Completes the packet begun with {@link #beginPacket}: it was sealed and handed to I/O.
     *
     * @param sizeBytes     its size on the wire (counted in flight if ack-eliciting).
     * @param ackEliciting  whether it carries an ack-eliciting frame.
     * @param controlFlags  {@code SentPacketHandler.CONTROL_*} frames it carries.
     */
    public void onPacketSent(
        final long packetNumber, final int sizeBytes, final boolean ackEliciting, final int controlFlags, final long nowNs)
    {
        if (packetNumber != currentPacketNumber)
        {
            throw new IllegalStateException("onPacketSent(" + packetNumber + ") without beginPacket");
        }
        if (packetNumber > nextPacketNumber)
        {
            skippedPacketNumbers = true;
        }
        final int i = (int)(packetNumber & mask);
        packetTimeSent[i] = nowNs;
        packetSize[i] = sizeBytes;
        packetState[i] = SENT;
        packetControl[i] = controlFlags;
        packetFragmentStart[i] = currentFragmentStart;
        packetFragmentCount[i] = (int)(fragmentHead - currentFragmentStart);
        packetFlags[i] = ackEliciting ? (byte)(FLAG_ACK_ELICITING | FLAG_IN_FLIGHT) : 0;
        nextPacketNumber = packetNumber + 1;
        currentPacketNumber = -1;
        packetsSent++;
        if (ackEliciting)
        {
            bytesInFlight += sizeBytes;
            ackElicitingInFlight++;
            timeOfLastAckElicitingNs = nowNs;
            congestionControl.onPacketSent(sizeBytes, bytesInFlight, nowNs);
            if (probesPending > 0)
            {
                probesPending--;
            }
        }
    }

    /**
     * Processes an ACK frame decoded by {@code ack}. Validates it first: an ACK for a packet number
     * never sent changes nothing and returns {@code -ErrorCode.PROTOCOL_VIOLATION}.
     *
     * @return 0, or a negated {@link ErrorCode}.
     */
    public int onAckFrame(final FrameReader ack, final long nowNs)
    {
        final long largest = ack.ackLargest();
        final int rangeCount = ack.ackRangeCount();
        if (largest >= nextPacketNumber)
        {
            return -ErrorCode.PROTOCOL_VIOLATION;
        }
        if (skippedPacketNumbers && !allSent(ack))
        {
            return -ErrorCode.PROTOCOL_VIOLATION;
        }

        largestAcked = Math.max(largestAcked, largest);
        boolean newlyAcked = false;
        boolean ackElicitingAcked = false;
        boolean largestNewlyAcked = false;
        for (int r = 0; r < rangeCount; r++)
        {
            final long low = Math.max(ack.ackRangeSmallest(r), oldestPacketNumber);
            for (long pn = ack.ackRangeLargest(r); pn >= low; pn--)
            {
                final int i = (int)(pn & mask);
                if (packetState[i] != SENT)
                {
                    continue;
                }
                if (pn == largest)
                {
                    largestNewlyAcked = true;
                }
                newlyAcked = true;
                ackElicitingAcked |= (packetFlags[i] & FLAG_ACK_ELICITING) != 0;
                onPacketAcked(i, nowNs);
                handler.onPacketAcked(pn, packetSize[i]);
            }
        }

        if (largestNewlyAcked && ackElicitingAcked)
        {
            final long ackDelayNs = Math.min(ack.ackDelayMicros() * 1000, peerMaxAckDelayNs);
            rtt.onSample(nowNs - packetTimeSent[(int)(largest & mask)], ackDelayNs, nowNs);
            congestionControl.onRttSample(rtt.adjustedRttNs(), rtt.minRttNs(), rtt.smoothedRttNs(), nowNs);
        }
        final long spuriousEpisodeStartNs = reordering.onAckFrame(ack, largestAcked, nowNs);
        if (spuriousEpisodeStartNs != ReorderingDetector.NO_UNDO)
        {
            congestionControl.onSpuriousCongestionEvent(spuriousEpisodeStartNs, nowNs);
        }
        detectLostPackets(nowNs);
        if (newlyAcked)
        {
            ptoCount = 0;
        }
        advanceOldest();
        return 0;
    }

    private boolean allSent(final FrameReader ack)
    {
        for (int r = 0; r < ack.ackRangeCount(); r++)
        {
            final long low = Math.max(ack.ackRangeSmallest(r), oldestPacketNumber);
            for (long pn = ack.ackRangeLargest(r); pn >= low; pn--)
            {
                if (packetState[(int)(pn & mask)] == EMPTY)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private void onPacketAcked(final int i, final long nowNs)
    {
        packetState[i] = ACKED;
        packetsAcked++;
        final byte flags = packetFlags[i];
        if ((flags & FLAG_IN_FLIGHT) != 0)
        {
            releaseFromFlight(i);
            congestionControl.onPacketAcked(packetSize[i], packetTimeSent[i], nowNs);
        }
        final long start = packetFragmentStart[i];
        final int count = packetFragmentCount[i];
        for (long f = start; f < start + count; f++)
        {
            final int j = (int)(f & fragmentMask);
            handler.onFragmentAcked(fragmentKind[j], fragmentMessageId[j], fragmentOffset[j], fragmentLength[j]);
        }
    }

    private void onPacketLost(final int i)
    {
        packetState[i] = LOST;
        packetsLost++;
        if ((packetFlags[i] & FLAG_IN_FLIGHT) != 0)
        {
            releaseFromFlight(i);
        }
        final long start = packetFragmentStart[i];
        final int count = packetFragmentCount[i];
        for (long f = start; f < start + count; f++)
        {
            final int j = (int)(f & fragmentMask);
            handler.onFragmentLost(fragmentKind[j], fragmentMessageId[j], fragmentOffset[j], fragmentLength[j]);
        }
        if (packetControl[i] != 0)
        {
            handler.onControlLost(packetControl[i]);
        }
    }

    private void releaseFromFlight(final int i)
    {
        bytesInFlight -= packetSize[i];
        if ((packetFlags[i] & FLAG_ACK_ELICITING) != 0)
        {
            ackElicitingInFlight--;
        }
        packetFlags[i] &= ~FLAG_IN_FLIGHT;
    }

    private void detectLostPackets(final long nowNs)
    {
        lossTimeNs = 0;
        if (largestAcked < 0)
        {
            return;
        }
        final long lossDelay = reordering.lossDelayNs();
        final long lostSendTime = nowNs - lossDelay;
        final int packetThreshold = reordering.packetThreshold();
        final long congestionPeriod = rtt.ptoNs(peerMaxAckDelayNs) * PERSISTENT_CONGESTION_THRESHOLD;
        long lostBytes = 0;
        long largestLostTimeSent = Long.MIN_VALUE;
        long runStart = Long.MIN_VALUE;
        boolean persistentCongestion = false;

        final long end = Math.min(largestAcked, nextPacketNumber - 1);
        for (long pn = oldestPacketNumber; pn <= end; pn++)
        {
            final int i = (int)(pn & mask);
            final byte state = packetState[i];
            if (state == ACKED)
            {
                runStart = Long.MIN_VALUE;
                continue;
            }
            if (state != SENT)
            {
                continue;
            }
            final long timeSent = packetTimeSent[i];
            if (timeSent <= lostSendTime || largestAcked >= pn + packetThreshold)
            {
                final boolean inFlight = (packetFlags[i] & FLAG_IN_FLIGHT) != 0;
                reordering.onPacketLost(pn, inFlight, timeSent <= lostSendTime, nowNs);
                if (inFlight)
                {
                    lostBytes += packetSize[i];
                    largestLostTimeSent = Math.max(largestLostTimeSent, timeSent);
                    if ((packetFlags[i] & FLAG_ACK_ELICITING) != 0 &&
                        rtt.hasSample() && timeSent > rtt.firstSampleTimeNs())
                    {
                        if (runStart == Long.MIN_VALUE)
                        {
                            runStart = timeSent;
                        }
                        else if (timeSent - runStart >= congestionPeriod)
                        {
                            persistentCongestion = true;
                        }
                    }
                }
                onPacketLost(i);
                handler.onPacketLost(pn, packetSize[i], nowNs);
            }
            else
            {
                final long lossAt = timeSent + lossDelay;
                lossTimeNs = lossTimeNs == 0 ? lossAt : Math.min(lossTimeNs, lossAt);
            }
        }
        if (lostBytes > 0)
        {
            congestionControl.onPacketsLost(lostBytes, largestLostTimeSent, nowNs);
            reordering.onLossEvent(largestLostTimeSent, nowNs);
        }
        if (persistentCongestion)
        {
            reordering.onPersistentCongestion();
            persistentCongestionEvents++;
            congestionControl.onPersistentCongestion(nowNs);
        }
    }

    private void advanceOldest()
    {
        while (oldestPacketNumber < nextPacketNumber)
        {
            final int i = (int)(oldestPacketNumber & mask);
            if (packetState[i] == SENT)
            {
                fragmentTail = packetFragmentStart[i];
                return;
            }
            packetState[i] = EMPTY;
            oldestPacketNumber++;
        }
        fragmentTail = fragmentHead;
    }

    /**
     * @return when {@link #onTimer} must next run: the loss-time timer if armed, else the probe timeout
     * (with backoff) if ack-eliciting packets are in flight, else {@link Long#MAX_VALUE}.
     */
    public long timerDeadlineNs()
    {
        if (lossTimeNs != 0)
        {
            return lossTimeNs;
        }
        if (ackElicitingInFlight == 0)
        {
            return Long.MAX_VALUE;
        }
        return timeOfLastAckElicitingNs + probeTimeoutNs();
    }

    /** @return the current probe timeout including backoff: PTO · 2^pto_count. */
    public long probeTimeoutNs()
    {
        return rtt.ptoNs(peerMaxAckDelayNs) << Math.min(ptoCount, MAX_PTO_BACKOFF_SHIFT);
    }

    /**
     * Runs the loss-time or probe timer if it has expired.
     *
     * @return probe packets now owed (ack-eliciting packets to send even beyond the congestion window).
     */
    public int onTimer(final long nowNs)
    {
        if (lossTimeNs != 0)
        {
            if (nowNs >= lossTimeNs)
            {
                detectLostPackets(nowNs);
                advanceOldest();
            }
            return probesPending;
        }
        if (ackElicitingInFlight > 0 && nowNs >= timeOfLastAckElicitingNs + probeTimeoutNs())
        {
            ptoCount++;
            probesPending = PROBES_PER_TIMEOUT;
        }
        return probesPending;
    }

    /**
     * The message was cancelled: packets that carried nothing but its fragments leave the flight now
     * (they will not be retransmitted; a late ACK or loss of them changes nothing).
     *
     * @return bytes released from flight.
     */
    public long abandonMessage(final long messageId)
    {
        long released = 0;
        for (long pn = oldestPacketNumber; pn < nextPacketNumber; pn++)
        {
            final int i = (int)(pn & mask);
            if (packetState[i] != SENT || (packetFlags[i] & FLAG_IN_FLIGHT) == 0 || packetControl[i] != 0)
            {
                continue;
            }
            final long start = packetFragmentStart[i];
            final int count = packetFragmentCount[i];
            boolean onlyThisMessage = count > 0;
            for (long f = start; f < start + count && onlyThisMessage; f++)
            {
                final int j = (int)(f & fragmentMask);
                onlyThisMessage = fragmentKind[j] == SentPacketHandler.KIND_MESSAGE && fragmentMessageId[j] == messageId;
            }
            if (onlyThisMessage)
            {
                released += packetSize[i];
                releaseFromFlight(i);
            }
        }
        return released;
    }

    /** The connection closed: forget every packet and release all bytes in flight. */
    public void discardAll()
    {
        for (long pn = oldestPacketNumber; pn < nextPacketNumber; pn++)
        {
            packetState[(int)(pn & mask)] = EMPTY;
        }
        oldestPacketNumber = nextPacketNumber;
        fragmentTail = fragmentHead;
        bytesInFlight = 0;
        ackElicitingInFlight = 0;
        lossTimeNs = 0;
        ptoCount = 0;
        probesPending = 0;
    }

    private void growPackets()
    {
        final int oldCapacity = mask + 1;
        final int capacity = oldCapacity * 2;
        final int newMask = capacity - 1;
        final long[] timeSent = new long[capacity];
        final int[] size = new int[capacity];
        final byte[] state = new byte[capacity];
        final byte[] flags = new byte[capacity];
        final int[] control = new int[capacity];
        final long[] fragmentStart = new long[capacity];
        final int[] fragmentCount = new int[capacity];
        for (long pn = oldestPacketNumber; pn < nextPacketNumber; pn++)
        {
            final int from = (int)(pn & mask);
            final int to = (int)(pn & newMask);
            timeSent[to] = packetTimeSent[from];
            size[to] = packetSize[from];
            state[to] = packetState[from];
            flags[to] = packetFlags[from];
            control[to] = packetControl[from];
            fragmentStart[to] = packetFragmentStart[from];
            fragmentCount[to] = packetFragmentCount[from];
        }
        packetTimeSent = timeSent;
        packetSize = size;
        packetState = state;
        packetFlags = flags;
        packetControl = control;
        packetFragmentStart = fragmentStart;
        packetFragmentCount = fragmentCount;
        mask = newMask;
    }

    private void growFragments()
    {
        final int capacity = (fragmentMask + 1) * 2;
        final int newMask = capacity - 1;
        final byte[] kind = new byte[capacity];
        final long[] messageId = new long[capacity];
        final long[] offset = new long[capacity];
        final int[] length = new int[capacity];
        for (long f = fragmentTail; f < fragmentHead; f++)
        {
            final int from = (int)(f & fragmentMask);
            final int to = (int)(f & newMask);
            kind[to] = fragmentKind[from];
            messageId[to] = fragmentMessageId[from];
            offset[to] = fragmentOffset[from];
            length[to] = fragmentLength[from];
        }
        fragmentKind = kind;
        fragmentMessageId = messageId;
        fragmentOffset = offset;
        fragmentLength = length;
        fragmentMask = newMask;
    }

    /** @return bytes of ack-eliciting packets sent and neither acknowledged, lost nor abandoned. */
    public long bytesInFlight()
    {
        return bytesInFlight;
    }

    /** @return probe packets still owed after a probe timeout. */
    public int probesPending()
    {
        return probesPending;
    }

    /** @return consecutive probe timeouts without an acknowledgement (the backoff exponent). */
    public int ptoCount()
    {
        return ptoCount;
    }

    /** @return the largest packet number the peer acknowledged, -1 if none (for PN length selection). */
    public long largestAcked()
    {
        return largestAcked;
    }

    /** @return one more than the largest packet number sent (an ACK at or above it is a violation). */
    public long largestSentPlusOne()
    {
        return nextPacketNumber;
    }

    /**
     * The batch holding this connection's packets from {@code fromPacketNumber} to the last one sent left
     * the host at {@code sendNs}: restamps those still outstanding (never earlier than recorded), so RTT
     * samples, the loss time threshold and the probe timeout count from the real send time, not from when
     * the packets were written into the batch.
     */
    public void onPacketsTransmitted(final long fromPacketNumber, final long sendNs)
    {
        boolean ackEliciting = false;
        for (long pn = Math.max(fromPacketNumber, oldestPacketNumber); pn < nextPacketNumber; pn++)
        {
            final int i = (int)(pn & mask);
            if (packetState[i] == SENT && sendNs - packetTimeSent[i] > 0)
            {
                packetTimeSent[i] = sendNs;
                ackEliciting |= (packetFlags[i] & FLAG_ACK_ELICITING) != 0;
            }
        }
        if (ackEliciting && sendNs - timeOfLastAckElicitingNs > 0)
        {
            timeOfLastAckElicitingNs = sendNs;
        }
    }

    /** @return packets being tracked (sent and not yet resolved, plus resolved ones not yet reclaimed). */
    public long trackedPackets()
    {
        return nextPacketNumber - oldestPacketNumber;
    }

    /** @return packets sent. */
    public long packetsSent()
    {
        return packetsSent;
    }

    /** @return packets acknowledged. */
    public long packetsAcked()
    {
        return packetsAcked;
    }

    /** @return packets declared lost. */
    public long packetsLost()
    {
        return packetsLost;
    }

    /** @return packets declared lost and acknowledged afterwards (reordered, not lost). */
    public long spuriousLosses()
    {
        return reordering.spuriousLosses();
    }

    /** @return the adaptive reordering thresholds and spurious-loss detector. */
    public ReorderingDetector reordering()
    {
        return reordering;
    }

    /** @return persistent congestion events. */
    public long persistentCongestionEvents()
    {
        return persistentCongestionEvents;
    }

    /** @return the RTT estimator. */
    public RttEstimator rtt()
    {
        return rtt;
    }

    /** @return the congestion controller. */
    public CongestionControl congestionControl()
    {
        return congestionControl;
    }
}
