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
