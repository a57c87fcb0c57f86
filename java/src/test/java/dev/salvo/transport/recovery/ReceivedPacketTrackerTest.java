/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

import dev.salvo.transport.frame.FrameReader;
import dev.salvo.transport.frame.FrameType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceivedPacketTrackerTest
{
    private static final long MS = 1_000_000L;
    private final ReceivedPacketTracker tracker = new ReceivedPacketTracker(25 * MS);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1500]);
    private final FrameReader reader = new FrameReader();

    @Test
    void ackCarriesRangesWithGaps()
    {
        for (final long pn : new long[]{0, 1, 2, 5, 6, 9, 3})
        {
            tracker.onPacketReceived(pn, true, 0);
        }
        final int n = tracker.writeAck(buffer, 0, 1500, 0);
        reader.wrap(buffer, 0, n);
        assertEquals(FrameType.ACK, reader.next());
        assertEquals(9, reader.ackLargest());
        assertEquals(3, reader.ackRangeCount());
        assertRange(0, 9, 9);
        assertRange(1, 6, 5);
        assertRange(2, 3, 0);
    }

    @Test
    void duplicatesAreDetectedAndAcknowledgedAgainAtOnce()
    {
        tracker.onPacketReceived(0, true, 0);
        tracker.onPacketReceived(1, true, 0);
        assertTrue(tracker.isAckDue(0));
        assertTrue(tracker.writeAck(buffer, 0, 100, 0) > 0);
        assertFalse(tracker.isAckDue(0));

        assertTrue(tracker.isDuplicate(1));
        assertFalse(tracker.isDuplicate(2));
        tracker.onDuplicate(0);
        assertTrue(tracker.isAckDue(0), "a duplicate means our ACK may have been lost: ack again now");
        final int n = tracker.writeAck(buffer, 0, 100, 0);
        reader.wrap(buffer, 0, n);
        assertEquals(FrameType.ACK, reader.next());
        assertEquals(1, reader.ackLargest());
        assertEquals(0, reader.ackRangeSmallest(0));
        assertEquals(1, tracker.duplicates());
    }

    @Test
    void schedulesAcksEveryTwoPacketsOrAfterMaxDelayOrAtOnceWhenOutOfOrder()
    {
        tracker.onPacketReceived(0, true, 0);
        assertFalse(tracker.isAckDue(0));
        assertEquals(25 * MS, tracker.ackDeadlineNs());
        assertFalse(tracker.isAckDue(25 * MS - 1));
        assertTrue(tracker.isAckDue(25 * MS), "max_ack_delay expired");
        tracker.onPacketReceived(1, true, MS);
        assertTrue(tracker.isAckDue(MS), "second ack-eliciting packet");
        tracker.writeAck(buffer, 0, 100, MS);

        tracker.onPacketReceived(2, false, 2 * MS);
        tracker.onPacketReceived(3, false, 2 * MS);
        assertFalse(tracker.isAckDue(100 * MS), "non-ack-eliciting packets never trigger an ACK");
        assertTrue(tracker.hasNewSinceAck());

        tracker.onPacketReceived(5, true, 3 * MS);
        assertTrue(tracker.isAckDue(3 * MS), "gap created");
        tracker.writeAck(buffer, 0, 100, 3 * MS);
        tracker.onPacketReceived(4, true, 4 * MS);
        assertTrue(tracker.isAckDue(4 * MS), "gap filled");
        tracker.writeAck(buffer, 0, 100, 4 * MS);
        assertEquals(1, tracker.rangeCount(), "4 joined the ranges around it");
    }

    @Test
    void rangesAreBoundedAndOldPacketNumbersBecomeDuplicates()
    {
        for (int i = 0; i < ReceivedPacketTracker.MAX_RANGES + 10; i++)
        {
            tracker.onPacketReceived(2L * i, true, 0);
        }
        assertEquals(ReceivedPacketTracker.MAX_RANGES, tracker.rangeCount());
        assertTrue(tracker.isDuplicate(1), "below the floor of dropped ranges");
        assertFalse(tracker.isDuplicate(2L * (ReceivedPacketTracker.MAX_RANGES + 10) - 1));
    }

    @Test
    void ackDelayIsReportedInMicroseconds()
    {
        tracker.onPacketReceived(7, true, 10 * MS);
        final int n = tracker.writeAck(buffer, 0, 100, 13 * MS);
        reader.wrap(buffer, 0, n);
        reader.next();
        assertEquals(3000, reader.ackDelayMicros());
    }

    private void assertRange(final int i, final long largest, final long smallest)
    {
        assertEquals(largest, reader.ackRangeLargest(i), "largest of range " + i);
        assertEquals(smallest, reader.ackRangeSmallest(i), "smallest of range " + i);
    }
}
