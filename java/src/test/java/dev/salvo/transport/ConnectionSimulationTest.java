/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import dev.salvo.transport.message.OutboundMessages;
import dev.salvo.CloseReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two connection cores over a deterministic lossy, duplicating, reordering link: every message of
 * 0 B, 1 B, 1 KiB and 1 MiB arrives exactly once and intact, in both directions, unordered and
 * ordered; all flight and buffers are released at the end.
 */
class ConnectionSimulationTest
{
    static final int[] SIZES = {0, 1, 1024, 1 << 20};

    static final class Side implements ConnectionCoreListener
    {
        final Map<Long, Long> expectedCrc = new HashMap<>();
        final Map<Long, Integer> expectedLength = new HashMap<>();
        final Map<Long, Integer> deliveries = new HashMap<>();
        final List<Long> deliveryOrder = new ArrayList<>();
        final ArrayDeque<byte[]> toSend = new ArrayDeque<>();
        final List<Long> acked = new ArrayList<>();
        Side peer;
        int corrupt;
        long sentIds;
        ReliableConnectionCore core;

        ReliableConnectionCore attach(final ReliableConnectionCore core)
        {
            this.core = core;
            return core;
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            final long messageId = core.deliveringMessageId();
            deliveries.merge(messageId, 1, Integer::sum);
            deliveryOrder.add(messageId);
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            final Long crc = peer.expectedCrc.get(messageId);
            if (crc == null || crc != crc(copy) || peer.expectedLength.get(messageId) != length)
            {
                corrupt++;
            }
        }

        @Override
        public void onMessageAcknowledged(final long messageId)
        {
            acked.add(messageId);
        }

        @Override
        public void onClosed(final CloseReason reason)
        {
        }

        void trySend(final ReliableConnectionCore core, final boolean ordered)
        {
            while (!toSend.isEmpty())
            {
                final byte[] message = toSend.peek();
                final long id = core.send(new UnsafeBuffer(message), 0, message.length, ordered);
                if (id == OutboundMessages.FULL)
                {
                    return;
                }
                toSend.poll();
                expectedCrc.put(id, crc(message));
                expectedLength.put(id, message.length);
                sentIds++;
            }
        }
    }

    static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @ParameterizedTest(name = "loss={0} dup={1} jitterMs={2} ordered={3}")
    @CsvSource({
        "0.0,  0.0,  0, false",
        "0.01, 0.01, 5, false",
        "0.05, 0.02, 5, false",
        "0.20, 0.05, 5, false",
        "0.01, 0.01, 5, true",
        "0.05, 0.02, 5, true",
        "0.20, 0.05, 5, true",
    })
    void deliversEveryMessageExactlyOnceIntact(
        final double loss, final double duplicate, final int jitterMs, final boolean ordered)
    {
        final LossyLink link = new LossyLink(
            0xC0FFEEL + (long)(loss * 1000) + (ordered ? 7 : 0), loss, duplicate, 10 * LossyLink.MS,
            jitterMs * LossyLink.MS);
        final Side a = new Side();
        final Side b = new Side();
        a.peer = b;
        b.peer = a;
        final ConnectionSettings settings = new ConnectionSettings()
            .maxMessageLength(2 << 20).sendBufferLimit(4 << 20).receiveWindow(4 << 20)
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4);
        final ReliableConnectionCore[] cores = {
            a.attach(new ReliableConnectionCore(settings, a, 0)), b.attach(new ReliableConnectionCore(settings, b, 0))};

        final SplittableRandom content = new SplittableRandom(42);
        for (int round = 0; round < 6; round++)
        {
            for (final int size : SIZES)
            {
                if (size == 1 << 20 && round >= 2)
                {
                    continue;
                }
                a.toSend.add(randomBytes(content, size));
                if (size < 1 << 20)
                {
                    b.toSend.add(randomBytes(content, size));
                }
            }
        }
        final long aTotal = a.toSend.size();
        final long bTotal = b.toSend.size();

        int steps = 0;
        while (true)
        {
            a.trySend(cores[0], ordered);
            b.trySend(cores[1], ordered);
            link.flush(cores, 0);
            link.flush(cores, 1);
            final boolean done = a.toSend.isEmpty() && b.toSend.isEmpty() &&
                a.acked.size() == aTotal && b.acked.size() == bTotal &&
                b.deliveries.size() == aTotal && a.deliveries.size() == bTotal;
            if (done)
            {
                break;
            }
            if (!link.step(cores))
            {
                fail("deadlock after " + steps + " steps: a acked " + a.acked.size() + "/" + aTotal +
                    ", b delivered " + b.deliveries.size() + ", b acked " + b.acked.size() + "/" + bTotal);
            }
            if (++steps > 2_000_000)
            {
                fail("no completion within the step bound");
            }
        }

        System.out.printf("loss=%.2f ordered=%s: %d steps, %.1f s simulated, %d packets sent, %d dropped, " +
            "A lost %d, A retransmitted %d B, srtt %.1f ms, cwnd %d, delivered %d B at B%n",
            loss, ordered, steps, link.nowNs / 1e9, link.packetsSent, link.packetsDropped,
            cores[0].recovery().packetsLost(), cores[0].outbound().bytesRetransmitted(),
            cores[0].rtt().smoothedRttNs() / 1e6, cores[0].congestionControl().congestionWindow(),
            cores[1].inbound().bytesDelivered());
        assertEquals(0, a.corrupt + b.corrupt, "corrupt deliveries");
        b.deliveries.values().forEach(n -> assertEquals(1, n, "exactly once"));
        a.deliveries.values().forEach(n -> assertEquals(1, n, "exactly once"));
        if (ordered)
        {
            assertAscending(b.deliveryOrder);
            assertAscending(a.deliveryOrder);
        }
        assertEquals(0, link.rejections, "no legitimate packet rejected");
        for (final ReliableConnectionCore core : cores)
        {
            assertEquals(0, core.outbound().unackedBytes());
            assertEquals(0, core.inbound().reassemblyBytes());
        }
        if (loss > 0)
        {
            assertTrue(cores[0].recovery().packetsLost() > 0, "loss was exercised");
            assertTrue(cores[0].outbound().bytesRetransmitted() > 0, "retransmission was exercised");
        }
        // Let the last ACKs drain; then nothing ack-eliciting stays in flight.
        for (int i = 0; i < 10_000 && (cores[0].recovery().bytesInFlight() > 0 || cores[1].recovery().bytesInFlight() > 0); i++)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            if (!link.step(cores))
            {
                break;
            }
        }
        assertEquals(0, cores[0].recovery().bytesInFlight());
        assertEquals(0, cores[1].recovery().bytesInFlight());
    }

    private static void assertAscending(final List<Long> order)
    {
        for (int i = 1; i < order.size(); i++)
        {
            assertTrue(order.get(i - 1) < order.get(i), "ordered delivery out of order at " + i + ": " + order);
        }
    }

    static byte[] randomBytes(final SplittableRandom random, final int size)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
        return bytes;
    }
}
