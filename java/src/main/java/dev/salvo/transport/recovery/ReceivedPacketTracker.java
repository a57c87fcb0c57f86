/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

import dev.salvo.transport.frame.FrameWriter;
import org.agrona.MutableDirectBuffer;

/**
 * Receiver side of acknowledgement: which packet numbers arrived (a bounded list of ranges) and when
 * an ACK is due.
 *
 * <p>Scheduling: an ACK is sent at once when a packet arrives out of order (it creates or fills a
 * gap) or is a duplicate, after every {@link #ACK_ELICITING_THRESHOLD} ack-eliciting packets, and
 * otherwise within {@code maxAckDelayNs} of the first unacknowledged ack-eliciting packet.
 * Every ACK carries all tracked ranges, so a lost ACK is repaired by any later one; duplicates are
 * acknowledged again.
 *
 * <p>Bounded: at most {@link #MAX_RANGES} ranges are kept; when more arise the lowest range is
 * dropped and packet numbers at or below it are treated as already received (the sender will have
 * declared them lost and resent their data in new packets).
 */
public final class ReceivedPacketTracker
{
    /** Ranges kept (and sent in each ACK, space permitting). */
    public static final int MAX_RANGES = 32;

    /** Ack-eliciting packets that trigger an immediate ACK. */
    public static final int ACK_ELICITING_THRESHOLD = 2;

    private final long[] rangeLargest = new long[MAX_RANGES + 1];
    private final long[] rangeSmallest = new long[MAX_RANGES + 1];
    private final long maxAckDelayNs;
    private int rangeCount;
    private long floor = -1;
    private long largestReceivedTimeNs;
    private int ackElicitingSinceAck;
    private boolean ackImmediately;
    private boolean newSinceAck;
    private long ackDeadlineNs = Long.MAX_VALUE;
    private long duplicates;

    /**
     * @param maxAckDelayNs longest this side delays an ACK for an ack-eliciting packet.
     */
    public ReceivedPacketTracker(final long maxAckDelayNs)
    {
        this.maxAckDelayNs = maxAckDelayNs;
    }

    /** @return true if {@code packetNumber} was already received (or is below the tracked floor). */
    public boolean isDuplicate(final long packetNumber)
    {
        if (packetNumber <= floor)
        {
            return true;
        }
        for (int i = 0; i < rangeCount; i++)
        {
            if (packetNumber > rangeLargest[i])
            {
                return false;
            }
            if (packetNumber >= rangeSmallest[i])
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A duplicate arrived (detected here or by the replay window below): acknowledge again at once so a
     * lost ACK gets repaired.
     */
    public void onDuplicate(final long nowNs)
    {
        duplicates++;
        if (rangeCount > 0)
        {
            ackImmediately = true;
        }
    }

    /**
     * Records a new (not duplicate) packet and updates the ACK schedule.
     *
     * @param ackEliciting whether the packet carried an ack-eliciting frame.
     */
    public void onPacketReceived(final long packetNumber, final boolean ackEliciting, final long nowNs)
    {
        boolean outOfOrder = false;
        if (rangeCount == 0)
        {
            insertAt(0, packetNumber);
            largestReceivedTimeNs = nowNs;
        }
        else if (packetNumber > rangeLargest[0])
        {
            if (packetNumber == rangeLargest[0] + 1)
            {
                rangeLargest[0] = packetNumber;
            }
            else
            {
                insertAt(0, packetNumber);
                outOfOrder = true;
            }
            largestReceivedTimeNs = nowNs;
        }
        else
        {
            outOfOrder = true;
            insertBelowLargest(packetNumber);
        }
        newSinceAck = true;
        if (ackEliciting)
        {
            ackElicitingSinceAck++;
            if (outOfOrder || ackElicitingSinceAck >= ACK_ELICITING_THRESHOLD)
            {
                ackImmediately = true;
            }
            else if (ackDeadlineNs == Long.MAX_VALUE)
            {
                ackDeadlineNs = nowNs + maxAckDelayNs;
            }
        }
    }

    private void insertBelowLargest(final long pn)
    {
        for (int i = 0; i < rangeCount; i++)
        {
            if (pn > rangeLargest[i])
            {
                // Between range i-1 (above) and range i (below); i >= 1 here.
                final boolean joinsAbove = pn + 1 == rangeSmallest[i - 1];
                final boolean joinsBelow = pn - 1 == rangeLargest[i];
                if (joinsAbove && joinsBelow)
                {
                    rangeSmallest[i - 1] = rangeSmallest[i];
                    removeAt(i);
                }
                else if (joinsAbove)
                {
                    rangeSmallest[i - 1] = pn;
                }
                else if (joinsBelow)
                {
                    rangeLargest[i] = pn;
                }
                else
                {
                    insertAt(i, pn);
                }
                return;
            }
            if (pn >= rangeSmallest[i])
            {
                return;
            }
        }
        // Below every range.
        if (pn + 1 == rangeSmallest[rangeCount - 1])
        {
            rangeSmallest[rangeCount - 1] = pn;
        }
        else
        {
            insertAt(rangeCount, pn);
        }
    }

    private void insertAt(final int index, final long pn)
    {
        System.arraycopy(rangeLargest, index, rangeLargest, index + 1, rangeCount - index);
        System.arraycopy(rangeSmallest, index, rangeSmallest, index + 1, rangeCount - index);
        rangeLargest[index] = pn;
        rangeSmallest[index] = pn;
        rangeCount++;
        if (rangeCount > MAX_RANGES)
        {
            rangeCount--;
            floor = Math.max(floor, rangeLargest[rangeCount]);
        }
    }

    private void removeAt(final int index)
    {
        System.arraycopy(rangeLargest, index + 1, rangeLargest, index, rangeCount - index - 1);
        System.arraycopy(rangeSmallest, index + 1, rangeSmallest, index, rangeCount - index - 1);
        rangeCount--;
    }

    /** @return whether an ACK must go out now (immediately due or the delay timer expired). */
    public boolean isAckDue(final long nowNs)
    {
        return ackImmediately || nowNs >= ackDeadlineNs;
    }

    /** @return whether anything arrived since the last ACK (worth piggybacking on an outgoing packet). */
    public boolean hasNewSinceAck()
    {
        return newSinceAck || ackImmediately;
    }

    /** @return when the delayed-ACK timer fires, {@link Long#MAX_VALUE} if not armed. */
    public long ackDeadlineNs()
    {
        return ackImmediately ? Long.MIN_VALUE : ackDeadlineNs;
    }

    /**
     * Writes an ACK frame with as many ranges as fit and resets the schedule.
     *
     * @return bytes written; 0 if there is nothing to acknowledge or it does not fit.
     */
    public int writeAck(final MutableDirectBuffer buffer, final int offset, final int maxLength, final long nowNs)
    {
        if (rangeCount == 0)
        {
            return 0;
        }
        final long delayMicros = Math.max(0, nowNs - largestReceivedTimeNs) / 1000;
        final int written = FrameWriter.putAck(
            buffer, offset, maxLength, rangeLargest, rangeSmallest, rangeCount, delayMicros);
        if (written > 0)
        {
            ackElicitingSinceAck = 0;
            ackImmediately = false;
            newSinceAck = false;
            ackDeadlineNs = Long.MAX_VALUE;
        }
        return written;
    }

    /** @return number of ranges tracked. */
    public int rangeCount()
    {
        return rangeCount;
    }

    /** @return largest packet number of range {@code i} (descending order). */
    public long rangeLargest(final int i)
    {
        return rangeLargest[i];
    }

    /** @return smallest packet number of range {@code i}. */
    public long rangeSmallest(final int i)
    {
        return rangeSmallest[i];
    }

    /** @return duplicates seen. */
    public long duplicates()
    {
        return duplicates;
    }
}
