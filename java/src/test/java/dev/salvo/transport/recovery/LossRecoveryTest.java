/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

import java.util.ArrayList;
import java.util.List;

import dev.salvo.transport.congestion.NewRenoCongestionControl;
import dev.salvo.transport.frame.ErrorCode;
import dev.salvo.transport.frame.FrameReader;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossRecoveryTest
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long MAX_ACK_DELAY = 25 * MS;
    private static final int SIZE = 1200;

    private final List<String> events = new ArrayList<>();
    private final RttEstimator rtt = new RttEstimator();
    private final NewRenoCongestionControl cc = new NewRenoCongestionControl(SIZE);
    private final LossRecovery recovery = new LossRecovery(rtt, cc, new SentPacketHandler()
    {
        public void onFragmentAcked(final int kind, final long messageId, final long offset, final int length)
        {
            events.add("acked " + messageId + ":" + offset + "+" + length);
        }

        public void onFragmentLost(final int kind, final long messageId, final long offset, final int length)
        {
            events.add("lost " + messageId + ":" + offset + "+" + length);
        }

        public void onControlLost(final int controlFlags)
        {
            events.add("control lost " + controlFlags);
        }
    }, MAX_ACK_DELAY);

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final FrameReader reader = new FrameReader();

    @Test
    void ackReleasesFlightCompletesFragmentsAndSamplesRtt()
    {
        send(0, 0, 0, 0);
        send(1, 0, 1, 0);
        assertEquals(2 * SIZE, recovery.bytesInFlight());
        assertEquals(0, ack(100 * MS, 0, new long[]{1}, new long[]{0}));
        assertEquals(0, recovery.bytesInFlight());
        assertEquals(List.of("acked 1:1000+1000", "acked 0:0+1000"), events);
        assertEquals(100 * MS, rtt.latestRttNs());
        assertEquals(0, recovery.trackedPackets(), "resolved packets are reclaimed");
        assertEquals(12_000, cc.congestionWindow(), "2 packets in a 12 000-byte window: application-limited, no growth");
    }

    @Test
    void declaresLossByPacketThreshold()
    {
        for (int pn = 0; pn < 5; pn++)
        {
            send(pn, 0, pn, 0);
        }
        assertEquals(0, ack(10 * MS, 0, new long[]{4}, new long[]{3}));
        assertTrue(events.contains("lost 0:0+1000"), "4 >= 0 + 3");
        assertTrue(events.contains("lost 1:1000+1000"), "4 >= 1 + 3");
        assertTrue(!events.contains("lost 2:2000+1000"), "2 is within the threshold: " + events);
        assertEquals(SIZE, recovery.bytesInFlight(), "only packet 2 remains in flight");
        assertEquals((12_000 + SIZE) / 2, cc.congestionWindow(),
            "half the window in flight: one ack grows it, then it is application-limited; one loss event halves it");
        assertEquals(2, recovery.packetsLost());
    }

    @Test
    void declaresLossByTimeThresholdWhenTheLossTimerFires()
    {
        send(0, 0, 0, 0);
        send(1, 0, 0, 0);
        assertEquals(0, ack(100 * MS, 0, new long[]{1}, new long[]{1}));
        assertTrue(events.stream().noneMatch(e -> e.startsWith("lost")));
        final long deadline = recovery.timerDeadlineNs();
        assertEquals(0 + rtt.lossDelayNs(), deadline, "loss timer = time sent + 9/8 rtt");
        assertEquals(112_500_000L, deadline);
        recovery.onTimer(deadline - 1);
        assertEquals(SIZE, recovery.bytesInFlight());
        recovery.onTimer(deadline);
        assertEquals(0, recovery.bytesInFlight());
        assertTrue(events.contains("lost 0:0+1000"));
    }

    @Test
    void probeTimeoutBacksOffExponentiallyAndResetsOnAck()
    {
        send(0, 0, 0, 0);
        final long pto = rtt.ptoNs(MAX_ACK_DELAY);
        assertEquals(pto, recovery.timerDeadlineNs());
        assertEquals(0, recovery.onTimer(pto - 1));
        assertEquals(LossRecovery.PROBES_PER_TIMEOUT, recovery.onTimer(pto));
        assertEquals(1, recovery.ptoCount());
        send(1, 0, 0, pto);
        send(2, 0, 0, pto);
        assertEquals(0, recovery.probesPending(), "each ack-eliciting packet pays one probe");
        assertEquals(pto + 2 * pto, recovery.timerDeadlineNs(), "backoff doubles");
        recovery.onTimer(3 * pto);
        assertEquals(2, recovery.ptoCount());
        send(3, 0, 0, 3 * pto);
        assertEquals(3 * pto + 4 * pto, recovery.timerDeadlineNs());
        assertEquals(0, ack(3 * pto + MS, 0, new long[]{3}, new long[]{3}));
        assertEquals(0, recovery.ptoCount());
    }

    @Test
    void ackOfNeverSentPacketIsAViolationAndChangesNothing()
    {
        send(0, 0, 0, 0);
        send(1, 0, 0, 0);
        assertEquals(-ErrorCode.PROTOCOL_VIOLATION, ack(MS, 0, new long[]{5}, new long[]{0}));
        assertEquals(2 * SIZE, recovery.bytesInFlight());
        assertTrue(events.isEmpty());
        assertEquals(-1, recovery.largestAcked());

        // A skipped packet number must not be acknowledged either.
        send(4, 0, 0, 0);
        assertEquals(-ErrorCode.PROTOCOL_VIOLATION, ack(MS, 0, new long[]{4}, new long[]{2}));
        assertEquals(3 * SIZE, recovery.bytesInFlight());
        assertEquals(0, ack(MS, 0, new long[]{4, 1}, new long[]{4, 0}));
        assertEquals(0, recovery.bytesInFlight());
    }

    @Test
    void abandoningAMessageReleasesPacketsThatCarriedOnlyIt()
    {
        send(0, 0, 7, 0);
        recovery.beginPacket(1);
        recovery.addFragment(SentPacketHandler.KIND_MESSAGE, 7, 1000, 10);
        recovery.addFragment(SentPacketHandler.KIND_MESSAGE, 8, 0, 10);
        recovery.onPacketSent(1, SIZE, true, 0, 0);
        send(2, 0, 7, 0);
        assertEquals(2 * SIZE, recovery.abandonMessage(7));
        assertEquals(SIZE, recovery.bytesInFlight());
        // A late ACK of an abandoned packet does not release it twice.
        assertEquals(0, ack(MS, 0, new long[]{2}, new long[]{0}));
        assertEquals(0, recovery.bytesInFlight());
    }

    @Test
    void closingReleasesEverything()
    {
        for (int pn = 0; pn < 3000; pn++)
        {
            send(pn, 0, pn, 0);
        }
        assertEquals(3000L * SIZE, recovery.bytesInFlight());
        recovery.discardAll();
        assertEquals(0, recovery.bytesInFlight());
        assertEquals(Long.MAX_VALUE, recovery.timerDeadlineNs());
        assertEquals(0, recovery.trackedPackets());
        send(3000, 0, 0, 0);
        assertEquals(0, ack(MS, 0, new long[]{3000}, new long[]{0}));
        assertEquals(0, recovery.bytesInFlight());
    }

    @Test
    void lossOfControlFramesIsReported()
    {
        recovery.beginPacket(0);
        recovery.onPacketSent(0, 40, true, SentPacketHandler.CONTROL_MAX_DATA, 0);
        for (int pn = 1; pn < 4; pn++)
        {
            send(pn, 0, 0, 0);
        }
        ack(MS, 0, new long[]{3}, new long[]{3});
        assertTrue(events.contains("control lost " + SentPacketHandler.CONTROL_MAX_DATA));
    }

    @Test
    void persistentCongestionCollapsesTheWindow()
    {
        send(0, 0, 0, 0);
        ack(10 * MS, 0, new long[]{0}, new long[]{0});
        final long period = rtt.ptoNs(MAX_ACK_DELAY) * LossRecovery.PERSISTENT_CONGESTION_THRESHOLD;
        send(1, 0, 0, 20 * MS);
        final long late = 20 * MS + 2 * period;
        send(2, 0, 0, late);
        send(3, 0, 0, late + MS);
        for (int pn = 4; pn < 8; pn++)
        {
            send(pn, 0, 0, late + 2 * MS);
        }
        ack(late + 20 * MS, 0, new long[]{7}, new long[]{7});
        assertEquals(1, recovery.persistentCongestionEvents());
        assertEquals(2 * SIZE, cc.congestionWindow());
    }

    @Test
    void aSpuriousLossRaisesThePacketThresholdAndUndoesTheWindowReduction()
    {
        for (int pn = 0; pn < 6; pn++)
        {
            send(pn, 0, pn, 0);
        }
        assertEquals(0, ack(100 * MS, 0, new long[]{5}, new long[]{1}));
        assertTrue(events.contains("lost 0:0+1000"), "5 >= 0 + 3");
        final long reduced = cc.congestionWindow();
        assertTrue(!cc.inSlowStart() && reduced < 12_000, "halved: " + reduced);
        assertEquals(ReorderingDetector.INITIAL_PACKET_THRESHOLD, recovery.reordering().packetThreshold());

        assertEquals(0, ack(105 * MS, 0, new long[]{5}, new long[]{0}), "packet 0 arrives 5 packets late");
        assertEquals(1, recovery.spuriousLosses());
        assertEquals(5, recovery.reordering().maxReorderingDistance());
        assertEquals(6, recovery.reordering().packetThreshold(), "reordering distance + 1");
        assertEquals(2 * reduced, cc.congestionWindow(), "the only loss of the episode was spurious: undone");
        assertTrue(cc.inSlowStart());
        assertEquals(1, cc.undoneEvents());
        assertEquals(1, recovery.reordering().undoneEpisodes());

        for (int pn = 6; pn < 12; pn++)
        {
            send(pn, 0, pn, 110 * MS);
        }
        assertEquals(0, ack(210 * MS, 0, new long[]{11}, new long[]{7}));
        assertTrue(events.stream().noneMatch(e -> e.startsWith("lost 6:")), "11 < 6 + 6: reordered, not lost yet");
        assertEquals(SIZE, recovery.bytesInFlight());
        assertEquals(0, ack(211 * MS, 0, new long[]{11}, new long[]{6}));
        assertEquals(1, recovery.packetsLost());
        assertEquals(1, recovery.spuriousLosses());
    }

    @Test
    void aSpuriousLossByTheTimeThresholdLengthensIt()
    {
        send(0, 0, 0, 0);
        send(1, 0, 1, 0);
        assertEquals(0, ack(100 * MS, 0, new long[]{1}, new long[]{1}));
        assertEquals(112_500_000L, recovery.timerDeadlineNs(), "9/8 rtt");
        recovery.onTimer(recovery.timerDeadlineNs());
        assertTrue(events.contains("lost 0:0+1000"));
        final long reduced = cc.congestionWindow();

        assertEquals(0, ack(130 * MS, 0, new long[]{1}, new long[]{0}));
        assertEquals(1, recovery.spuriousLosses());
        assertEquals(2, recovery.reordering().timeThresholdEighths());
        assertEquals(125 * MS, recovery.reordering().lossDelayNs(), "10/8 rtt");
        assertEquals(ReorderingDetector.INITIAL_PACKET_THRESHOLD, recovery.reordering().packetThreshold(),
            "distance 1 is within the packet threshold already");
        assertTrue(cc.congestionWindow() > reduced, "undone");

        send(2, 0, 2, 200 * MS);
        send(3, 0, 3, 200 * MS);
        assertEquals(0, ack(300 * MS, 0, new long[]{3}, new long[]{3}));
        assertEquals(325 * MS, recovery.timerDeadlineNs(), "the loss timer uses the longer threshold");
    }

    @Test
    void thresholdsAreBoundedAndDecayAfterEpisodesWithoutSpuriousLoss()
    {
        for (int pn = 0; pn < 1000; pn++)
        {
            send(pn, 0, pn, 0);
        }
        ack(100 * MS, 0, new long[]{999}, new long[]{1});
        ack(101 * MS, 0, new long[]{999}, new long[]{0});
        assertEquals(999, recovery.reordering().maxReorderingDistance());
        assertEquals(ReorderingDetector.MAX_PACKET_THRESHOLD, recovery.reordering().packetThreshold(), "bounded");

        long pn = 1000;
        long now = SECOND;
        for (int doubling = 0; doubling < 4; doubling++)
        {
            pn = spuriousTimeLoss(pn, now);
            now += SECOND;
        }
        assertEquals(ReorderingDetector.MAX_TIME_THRESHOLD_EIGHTHS, recovery.reordering().timeThresholdEighths(),
            "1/8 doubled three times and bounded at 8/8 (2 rtt)");

        for (int episode = 1; episode <= ReorderingDetector.DECAY_EPISODES; episode++)
        {
            assertEquals(ReorderingDetector.MAX_PACKET_THRESHOLD, recovery.reordering().packetThreshold());
            final long lost = pn;
            send(pn++, 0, 7, now);
            send(pn++, 0, 7, now);
            ack(now + 100 * MS, 0, new long[]{pn - 1}, new long[]{pn - 1});
            recovery.onTimer(recovery.timerDeadlineNs());
            assertEquals(episode, events.stream().filter(e -> e.startsWith("lost 7:")).count(), "real loss " + lost);
            now += SECOND;
        }
        assertEquals(ReorderingDetector.MAX_PACKET_THRESHOLD / 2, recovery.reordering().packetThreshold(), "halved");
        assertEquals(ReorderingDetector.MAX_TIME_THRESHOLD_EIGHTHS / 2, recovery.reordering().timeThresholdEighths());
        assertEquals(1 + 4, recovery.spuriousLosses());
        assertEquals(0, recovery.persistentCongestionEvents());
    }

    /** Sends two packets at {@code now}, acknowledges the second, lets the time threshold take the first, then acknowledges it. */
    private long spuriousTimeLoss(final long firstPn, final long now)
    {
        send(firstPn, 0, 0, now);
        send(firstPn + 1, 0, 0, now);
        ack(now + 100 * MS, 0, new long[]{firstPn + 1}, new long[]{firstPn + 1});
        final long lossAt = recovery.timerDeadlineNs();
        final long lost = recovery.packetsLost();
        recovery.onTimer(lossAt);
        assertEquals(lost + 1, recovery.packetsLost());
        ack(lossAt + MS, 0, new long[]{firstPn + 1}, new long[]{firstPn});
        return firstPn + 2;
    }

    @Test
    void anEpisodeWithARealLossIsNotUndoneAndOldLossesAreForgotten()
    {
        for (int pn = 0; pn < 7; pn++)
        {
            send(pn, 0, pn, 0);
        }
        ack(100 * MS, 0, new long[]{6}, new long[]{2});
        assertEquals(2, recovery.packetsLost(), "0 and 1");
        final long reduced = cc.congestionWindow();
        ack(101 * MS, 0, new long[]{6, 0}, new long[]{2, 0});
        assertEquals(1, recovery.spuriousLosses());
        assertEquals(7, recovery.reordering().packetThreshold());
        assertEquals(reduced, cc.congestionWindow(), "packet 1 may really be lost: no undo");
        assertEquals(0, cc.undoneEvents());

        final long forgotten = 101 * MS + ReorderingDetector.HISTORY_PTOS * rtt.ptoNs(MAX_ACK_DELAY) + MS;
        ack(forgotten, 0, new long[]{6}, new long[]{0});
        assertEquals(1, recovery.spuriousLosses(), "an acknowledgement older losses than the history keeps is ignored");
        assertEquals(reduced, cc.congestionWindow());
    }

    @Test
    void anEpisodeWithMoreLossesThanTheHistoryHoldsIsNeverUndone()
    {
        final int lost = ReorderingDetector.LOST_HISTORY + 44;
        for (int pn = 0; pn < lost + 10; pn++)
        {
            send(pn, 0, pn, 0);
        }
        ack(100 * MS, 0, new long[]{lost + 9}, new long[]{lost});
        assertEquals(lost, recovery.packetsLost());
        final long reduced = cc.congestionWindow();
        ack(101 * MS, 0, new long[]{lost + 9}, new long[]{0});
        assertEquals(ReorderingDetector.LOST_HISTORY, recovery.spuriousLosses(), "the oldest 44 were forgotten");
        assertEquals(reduced, cc.congestionWindow(), "not every loss of the episode is known to be spurious");
        assertEquals(0, cc.undoneEvents());
    }

    private void send(final long pn, final int kind, final long messageId, final long now)
    {
        assertTrue(recovery.beginPacket(pn));
        recovery.addFragment(kind, messageId, messageId * 1000, 1000);
        recovery.onPacketSent(pn, SIZE, true, 0, now);
    }

    private int ack(final long now, final long delayMicros, final long[] largest, final long[] smallest)
    {
        final int n = FrameWriter.putAck(buffer, 0, 512, largest, smallest, largest.length, delayMicros);
        reader.wrap(buffer, 0, n);
        assertEquals(FrameType.ACK, reader.next());
        return recovery.onAckFrame(reader, now);
    }
}
