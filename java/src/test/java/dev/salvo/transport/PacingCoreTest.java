/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.transport.pacing.Pacer;
import dev.salvo.transport.pacing.TokenBucket;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pacer's hooks in {@link ReliableConnectionCore}, on {@link LossyLink}'s virtual clock (no loss, no
 * bandwidth limit: without pacing a whole window's growth leaves in one instant): data leaves in bursts no larger than the pacer's bucket, the core's deadline wakes it for
 * the next release (the simulation would otherwise stall), and acknowledgements are never held back.
 */
class PacingCoreTest
{
    private static final long MS = LossyLink.MS;
    private static final int MESSAGE = 4 << 20;
    private static final int PACKET = LossyLink.PLAINTEXT_SIZE + ConnectionSettings.PACKET_OVERHEAD;

    private record Run(long largestBurstPackets, long largestBurstOverDepth, long finishNs, long packetsSent)
    {
    }

    private static Run transfer(final boolean pacing)
    {
        final ConnectionSettings settings = new ConnectionSettings()
            .maxMessageLength(MESSAGE).receiveWindow(2L * MESSAGE).sendBufferLimit(2L * MESSAGE)
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4)
            .maxDatagramSize(PACKET).minDatagramSize(PACKET).pacing(pacing); // LossyLink's fixed size: no PMTU search
        final ReliableConnectionCoreTest.Recorder senderEvents = new ReliableConnectionCoreTest.Recorder();
        final ReliableConnectionCoreTest.Recorder receiverEvents = new ReliableConnectionCoreTest.Recorder();
        final ReliableConnectionCore sender = senderEvents.attach(new ReliableConnectionCore(settings, senderEvents, 0));
        final ReliableConnectionCore receiver = receiverEvents.attach(new ReliableConnectionCore(settings, receiverEvents, 0));
        final ReliableConnectionCore[] cores = {sender, receiver};
        final LossyLink link = new LossyLink(1, 0, 0, 50 * MS, 0);
        assertTrue(sender.send(new UnsafeBuffer(new byte[MESSAGE]), 0, MESSAGE, false) >= 0);

        long largestBurst = 0;
        long largestOverDepth = Long.MIN_VALUE;
        for (int steps = 0; steps < 1_000_000 && receiverEvents.deliveredCount == 0; steps++)
        {
            final long before = link.packetsSent;
            link.flush(cores, 0);
            final long burst = link.packetsSent - before;
            if (sender.rtt().hasSample() && burst > 0)
            {
                largestBurst = Math.max(largestBurst, burst);
                if (pacing)
                {
                    // A burst may overdraw the bucket by less than one packet.
                    largestOverDepth = Math.max(largestOverDepth, burst * PACKET - sender.pacer().burstBytes() - PACKET);
                }
            }
            link.flush(cores, 1);
            if (!link.step(cores))
            {
                fail("stalled at " + link.nowNs / MS + " ms: pacing must report its release as a deadline");
            }
        }
        assertEquals(1, receiverEvents.deliveredCount, "the message arrives");
        return new Run(largestBurst, largestOverDepth, link.nowNs, link.packetsSent);
    }

    @Test
    void dataLeavesInBurstsNoLargerThanTheBucket()
    {
        final Run paced = transfer(true);
        final Run unpaced = transfer(false);
        assertTrue(paced.largestBurstOverDepth() <= 0, () -> "a burst exceeded the bucket: " + paced);
        assertTrue(unpaced.largestBurstPackets() > 2 * paced.largestBurstPackets(),
            () -> "without pacing the window leaves at once: paced " + paced + ", unpaced " + unpaced);
        // Pacing at 2x (slow start) / 1.2x (avoidance) of cwnd/srtt holds no connection back for long.
        assertTrue(paced.finishNs() <= unpaced.finishNs() * 3 / 2, () -> "paced " + paced + ", unpaced " + unpaced);
    }

    @Test
    void deadlineIncludesTheReleaseOnlyWhileDataWaitsOnPacing()
    {
        final ConnectionSettings settings = new ConnectionSettings()
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4).maxDatagramSize(PACKET);
        final ReliableConnectionCoreTest.Recorder senderEvents = new ReliableConnectionCoreTest.Recorder();
        final ReliableConnectionCoreTest.Recorder receiverEvents = new ReliableConnectionCoreTest.Recorder();
        final ReliableConnectionCore sender = senderEvents.attach(new ReliableConnectionCore(settings, senderEvents, 0));
        final ReliableConnectionCore receiver = receiverEvents.attach(new ReliableConnectionCore(settings, receiverEvents, 0));
        final ReliableConnectionCore[] cores = {sender, receiver};
        final LossyLink link = new LossyLink(1, 0, 0, 10 * MS, 0);
        // One small message gives the first RTT sample.
        sender.send(new UnsafeBuffer(new byte[100]), 0, 100, false);
        for (int steps = 0; steps < 1_000 && !sender.rtt().hasSample(); steps++)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            assertTrue(link.step(cores));
        }
        assertTrue(sender.rtt().hasSample());
        assertEquals(TokenBucket.NOT_BLOCKED, sender.pacer().nextReleaseNs());
        // Grow the window past the pacer's smallest burst (10 datagrams): it grows only while it is used.
        final int warmUp = 256 * 1024;
        sender.send(new UnsafeBuffer(new byte[warmUp]), 0, warmUp, false);
        for (int steps = 0; steps < 100_000 && sender.outbound().unackedBytes() > 0; steps++)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            assertTrue(link.step(cores));
        }
        assertTrue(sender.congestionControl().congestionWindow() > 4L * Pacer.MIN_BURST_DATAGRAMS * PACKET,
            "window grew: " + sender.congestionControl().congestionWindow());
        link.nowNs += 100 * MS; // idle: the bucket refills to its depth

        final int big = 1 << 20;
        sender.send(new UnsafeBuffer(new byte[big]), 0, big, false);
        link.flush(cores, 0); // spends the bucket (the window is larger)
        final long release = sender.pacer().nextReleaseNs();
        assertTrue(release > link.nowNs, "the pacer holds the rest back");
        assertTrue(sender.recovery().bytesInFlight() < sender.congestionControl().congestionWindow(), "not cwnd-bound");
        assertTrue(!sender.hasDataToSend(link.nowNs), "nothing to send until the release");
        assertEquals(release, sender.nextTimerDeadlineNs(), "the release is the next deadline");
        assertTrue(sender.hasDataToSend(release), "data may go at the release");
        sender.onTimer(release);
        assertTrue(sender.nextTimerDeadlineNs() > release, "a release that came due is no longer a deadline");
    }

    /** The first RTT sample of a one-packet exchange, the packet restamped as sent {@code delayNs} late. */
    private static long firstRttSample(final long transmitDelayNs)
    {
        final ConnectionSettings settings = new ConnectionSettings()
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4).maxDatagramSize(PACKET);
        final ReliableConnectionCoreTest.Recorder senderEvents = new ReliableConnectionCoreTest.Recorder();
        final ReliableConnectionCoreTest.Recorder receiverEvents = new ReliableConnectionCoreTest.Recorder();
        final ReliableConnectionCore sender = senderEvents.attach(new ReliableConnectionCore(settings, senderEvents, 0));
        final ReliableConnectionCore receiver = receiverEvents.attach(new ReliableConnectionCore(settings, receiverEvents, 0));
        final ReliableConnectionCore[] cores = {sender, receiver};
        final LossyLink link = new LossyLink(1, 0, 0, 10 * MS, 0);
        link.nowNs = 100 * MS;
        sender.send(new UnsafeBuffer(new byte[100]), 0, 100, false);
        link.flush(cores, 0);
        // The batch left later than the packet was written (other connections' packets were sealed first).
        sender.onPacketsTransmitted(0, link.nowNs + transmitDelayNs);
        for (int steps = 0; steps < 1_000 && !sender.rtt().hasSample(); steps++)
        {
            link.flush(cores, 0); // acknowledges what the receiver sends (packet 0 keeps its send time)
            link.flush(cores, 1);
            assertTrue(link.step(cores));
        }
        assertTrue(sender.rtt().hasSample(), () -> "no RTT sample by " + link.nowNs);
        return sender.rtt().latestRttNs();
    }

    @Test
    void rttSamplesCountFromTheBatchSendTime()
    {
        final long asWritten = firstRttSample(0);
        final long asTransmitted = firstRttSample(300_000);
        assertEquals(asWritten - 300_000, asTransmitted, "the sample starts when the batch left");
        assertTrue(asWritten >= 20 * MS);
        assertEquals(firstRttSample(0), firstRttSample(-300_000), "a send time is never moved earlier");
    }
}
