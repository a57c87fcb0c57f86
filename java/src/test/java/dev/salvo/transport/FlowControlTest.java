/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.transport.frame.ErrorCode;
import dev.salvo.transport.frame.FrameReader;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection- and per-message flow control between two real cores over a simulated link (virtual clock):
 * whole-message admission (no deadlock between large messages, no head-of-line blocking of small ones),
 * the receive credit cap, pausing, lost grants, and hostile flow-control frames.
 */
class FlowControlTest
{
    private static final long MS = 1_000_000L;
    private static final int SPACE = LossyLink.PLAINTEXT_SIZE;

    /** Records delivered ids and payloads, acknowledged ids. */
    static final class Recorder implements ConnectionCoreListener
    {
        final List<Long> delivered = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        final List<Long> acked = new ArrayList<>();
        ReliableConnectionCore core;

        ReliableConnectionCore attach(final ReliableConnectionCore core)
        {
            this.core = core;
            return core;
        }

        @Override
        public void onMessage(final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            delivered.add(core.deliveringMessageId());
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            payloads.add(copy);
        }

        @Override
        public void onMessageAcknowledged(final long messageId)
        {
            acked.add(messageId);
        }

        @Override
        public void onClosed(final dev.salvo.CloseReason reason)
        {
        }
    }

    private final Recorder a = new Recorder();
    private final Recorder b = new Recorder();
    private final UnsafeBuffer packet = new UnsafeBuffer(new byte[2048]);

    private static ConnectionSettings settings(final int maxMessage, final long window)
    {
        return new ConnectionSettings().maxMessageLength(maxMessage).receiveWindow(window).sendBufferLimit(64L << 20)
            .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4);
    }

    private ReliableConnectionCore[] pair(final ConnectionSettings settings)
    {
        return new ReliableConnectionCore[]{
            a.attach(new ReliableConnectionCore(settings, a, new ReliableConnectionCoreTest.UnlimitedWindow(), 0)),
            b.attach(new ReliableConnectionCore(settings, b, new ReliableConnectionCoreTest.UnlimitedWindow(), 0))};
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + seed);
        }
        return bytes;
    }

    /** Runs the link until {@code done} or {@code maxSteps}; @return steps taken. */
    private static int run(
        final LossyLink link, final ReliableConnectionCore[] cores, final int maxSteps, final java.util.function.BooleanSupplier done)
    {
        int step = 0;
        while (step < maxSteps && !done.getAsBoolean())
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            if (!link.step(cores))
            {
                break;
            }
            step++;
        }
        return step;
    }

    /** Runs until nothing is in flight after both sides wrote what they could; @return steps taken. */
    private static int runUntilQuiet(final LossyLink link, final ReliableConnectionCore[] cores, final int maxSteps)
    {
        int step = 0;
        while (step < maxSteps)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            if (link.idle())
            {
                break;
            }
            link.step(cores);
            step++;
        }
        return step;
    }

    @Test
    void twoLargeMessagesThatTogetherExceedTheWindowBothArrive()
    {
        // Without per-message admission, round-robin fragments would split the 4 MiB window between the two
        // 3 MiB messages (2 MiB each) and neither could ever complete.
        final ReliableConnectionCore[] cores = pair(settings(3 << 20, 4 << 20));
        final LossyLink link = new LossyLink(1, 0, 0, MS, 0);
        cores[0].send(new UnsafeBuffer(pattern(3 << 20, 1)), 0, 3 << 20, false);
        cores[0].send(new UnsafeBuffer(pattern(3 << 20, 2)), 0, 3 << 20, false);
        run(link, cores, 200_000, () -> a.acked.size() == 2);
        assertEquals(List.of(0L, 1L), b.delivered);
        assertEquals(2, b.payloads.size());
        assertTrue(java.util.Arrays.equals(pattern(3 << 20, 1), b.payloads.get(0)));
        assertTrue(java.util.Arrays.equals(pattern(3 << 20, 2), b.payloads.get(1)));
        assertEquals(2, cores[1].messageFlow().messagesAdmitted());
        assertTrue(cores[1].inbound().reassemblyBytes() == 0);
    }

    @Test
    void smallMessagesAreNotHeldBehindALargeOne()
    {
        // A large message that must wait for the one before it to be consumed cannot be admitted; small
        // messages sent after it still get through (they need no grant and the reserve keeps room for them).
        final ReliableConnectionCore[] cores = pair(settings(3 << 20, 4 << 20));
        final LossyLink link = new LossyLink(2, 0, 0, MS, 0);
        cores[0].send(new UnsafeBuffer(pattern(3 << 20, 1)), 0, 3 << 20, false);
        cores[0].send(new UnsafeBuffer(pattern(3 << 20, 2)), 0, 3 << 20, false);
        for (int i = 0; i < 50; i++)
        {
            cores[0].send(new UnsafeBuffer(pattern(1000, i)), 0, 1000, false);
        }
        run(link, cores, 200_000, () -> b.delivered.size() >= 51);
        final int firstLarge = b.delivered.indexOf(0L);
        final int secondLarge = b.delivered.indexOf(1L);
        final long smallBeforeSecond = b.delivered.subList(0, secondLarge < 0 ? b.delivered.size() : secondLarge)
            .stream().filter((id) -> id >= 2).count();
        assertTrue(firstLarge >= 0, "first large message delivered: " + b.delivered);
        assertEquals(50, smallBeforeSecond, "every small message overtook the large one still waiting: " + b.delivered);
        run(link, cores, 200_000, () -> a.acked.size() == 52);
        assertEquals(52, b.delivered.size());
    }

    @Test
    void largeMessageUnderATightCreditCapArrives()
    {
        final ReliableConnectionCore[] cores = pair(settings(8 << 20, 8 << 20));
        cores[1].receiveCreditCap(256 * 1024);
        final LossyLink link = new LossyLink(3, 0, 0, MS, 0);
        cores[0].send(new UnsafeBuffer(pattern(8 << 20, 3)), 0, 8 << 20, false);
        long worstOutstanding = 0;
        for (int step = 0; step < 400_000 && a.acked.isEmpty(); step++)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            assertTrue(link.step(cores));
            worstOutstanding = Math.max(worstOutstanding,
                cores[1].receiveFlow().advertised() - cores[1].receiveFlow().received());
        }
        assertEquals(List.of(0L), b.delivered);
        assertTrue(java.util.Arrays.equals(pattern(8 << 20, 3), b.payloads.get(0)));
        assertTrue(worstOutstanding <= 1 << 20, "credit outstanding stayed near the cap: " + worstOutstanding);
    }

    @Test
    void aPausedReceiverHoldsTheSenderBackAndDeliversEverythingOnResume()
    {
        final ConnectionSettings settings = settings(1 << 20, 8 << 20);
        final ReliableConnectionCore[] cores = pair(settings);
        final LossyLink link = new LossyLink(4, 0, 0, MS, 0);
        // Let the receiver's first MAX_DATA (its whole MAX_DATA window) reach the sender, then pause.
        run(link, cores, 1000, () -> link.idle() && cores[0].sendFlow().maxData() == settings.connectionDataWindow());
        assertEquals(settings.connectionDataWindow(), cores[0].sendFlow().maxData());
        cores[1].receivePaused(true, link.nowNs);
        final int count = 400;
        for (int i = 0; i < count; i++)
        {
            final int length = i % 10 == 0 ? 200_000 : 10_000;
            assertTrue(cores[0].send(new UnsafeBuffer(pattern(length, i)), 0, length, i % 3 == 0) >= 0);
        }
        final int steps = runUntilQuiet(link, cores, 50_000);
        assertTrue(steps < 50_000, "the exchange came to rest");
        assertTrue(b.delivered.isEmpty(), "nothing delivered while paused");
        assertTrue(cores[1].inbound().messagesWaiting() > 0, "completed messages kept");
        final long frozenLimit = cores[1].receiveFlow().advertised();
        assertTrue(cores[0].sendFlow().sent() <= frozenLimit);
        assertTrue(cores[1].receiveFlow().received() <= frozenLimit);
        assertTrue(cores[1].inbound().reassemblyBytes() <= 2L * frozenLimit, "memory bounded by the grant");
        assertTrue(cores[0].outbound().isFlowBlocked(), "the sender waits for MAX_DATA");
        assertTrue(a.acked.size() < count, "the sender is held back: " + a.acked.size() + " of " + count + " sent");

        cores[1].receivePaused(false, link.nowNs);
        run(link, cores, 400_000, () -> a.acked.size() == count && b.delivered.size() == count);
        assertEquals(count, b.delivered.size(), "everything arrives once resumed");
        assertEquals(count, new java.util.HashSet<>(b.delivered).size(), "exactly once");
        long previousOrdered = -1;
        for (final long id : b.delivered)
        {
            if (id % 3 == 0)
            {
                assertTrue(id > previousOrdered, "ordered messages in send order");
                previousOrdered = id;
            }
        }
        assertEquals(0, cores[1].inbound().reassemblyBytes());
    }

    @Test
    void lostGrantsAreSentAgain()
    {
        final ReliableConnectionCore[] cores = pair(settings(1 << 20, 4 << 20));
        final LossyLink link = new LossyLink(5, 0.2, 0.02, 2 * MS, MS);
        for (int i = 0; i < 6; i++)
        {
            cores[0].send(new UnsafeBuffer(pattern(500_000, i)), 0, 500_000, false);
        }
        run(link, cores, 400_000, () -> a.acked.size() == 6);
        assertEquals(6, b.delivered.size());
        assertEquals(6, cores[1].messageFlow().messagesAdmitted());
        assertTrue(link.packetsDropped > 0);
    }

    @Test
    void hostileMessageFlowFramesAreRefusedOrIgnored()
    {
        final ReliableConnectionCore[] cores = pair(settings(1 << 20, 2 << 20));
        final ReliableConnectionCore sender = cores[0];
        final ReliableConnectionCore receiver = cores[1];
        sender.send(new UnsafeBuffer(pattern(300_000, 9)), 0, 300_000, false);

        // Credit for a message never sent: protocol violation, nothing applied.
        int p = FrameWriter.putMaxMessageData(packet, 0, 5, 1000);
        assertEquals(-ErrorCode.PROTOCOL_VIOLATION, sender.receivePacket(packet, 0, p, 0, MS));
        // A huge value: clamped to the message's length.
        p = FrameWriter.putMaxMessageData(packet, 0, 0, (1L << 62) - 1);
        assertEquals(0, sender.receivePacket(packet, 0, p, 1, MS));
        // Going backwards: ignored.
        p = FrameWriter.putMaxMessageData(packet, 0, 0, 10);
        assertEquals(0, sender.receivePacket(packet, 0, p, 2, MS));
        long sent = 0;
        int n;
        long pn = 0;
        while ((n = sender.writePacket(packet, 0, SPACE, pn++, MS)) > 0 && pn < 10_000)
        {
            sent += n;
        }
        assertTrue(sent >= 300_000, "the message went out whole: " + sent);
        // MAX_DATA going backwards: ignored.
        final long maxData = sender.sendFlow().maxData();
        p = FrameWriter.putMaxData(packet, 0, 5);
        assertEquals(0, sender.receivePacket(packet, 0, p, 3, MS));
        assertEquals(maxData, sender.sendFlow().maxData());

        // At the receiver: bytes beyond a message's initial limit before its grant.
        p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_MULTI, 0, 100_000, 300_000, 100);
        assertEquals(-ErrorCode.FLOW_CONTROL_ERROR, receiver.receivePacket(packet, 0, p + 100, 0, MS));
        assertEquals(0, receiver.inbound().reassemblyBytes(), "nothing allocated beyond the grant");
        // MESSAGE_DATA_BLOCKED for an unknown message and with huge values: counted, nothing else.
        p = FrameWriter.putMessageDataBlocked(packet, 0, 3000, (1L << 62) - 1);
        p += FrameWriter.putMessageDataBlocked(packet, p, (1L << 62) - 1, 0);
        assertEquals(0, receiver.receivePacket(packet, 0, p, 1, MS));
        assertEquals(2, receiver.messageFlow().blockedSignals());
        assertFalse(receiver.messageFlow().grantsPending());
        assertFalse(receiver.isClosed());
        assertFalse(sender.isClosed());
    }

    @Test
    void aSenderAtAMessagesLimitSaysSoWithMessageDataBlocked()
    {
        final ReliableConnectionCore sender = pair(settings(1 << 20, 2 << 20))[0];
        sender.send(new UnsafeBuffer(pattern(200_000, 1)), 0, 200_000, false);
        final FrameReader reader = new FrameReader();
        long pn = 0;
        long blockedLimit = -1;
        int n;
        while ((n = sender.writePacket(packet, 0, SPACE, pn++, 0)) > 0 && pn < 10_000)
        {
            reader.wrap(packet, 0, n);
            int type;
            while ((type = reader.next()) >= 0)
            {
                if (type == FrameType.MESSAGE_DATA_BLOCKED)
                {
                    assertEquals(0, reader.messageId());
                    blockedLimit = reader.limitValue();
                }
            }
        }
        assertEquals(ConnectionSettings.INITIAL_MAX_MESSAGE_DATA, sender.sendFlow().sent(), "stops at the initial limit");
        assertEquals(ConnectionSettings.INITIAL_MAX_MESSAGE_DATA, blockedLimit);
        assertEquals(1, sender.outbound().messageBlockedCount());
        final int p = FrameWriter.putMaxMessageData(packet, 0, 0, 200_000);
        assertEquals(0, sender.receivePacket(packet, 0, p, 0, MS));
        assertTrue(sender.writePacket(packet, 0, SPACE, pn, MS) > 0, "the grant lets the rest go");
        assertEquals(ConnectionSettings.INITIAL_MAX_MESSAGE_DATA, sender.sendFlow().sent(),
            "bytes beyond the initial limit draw on the message's grant, not on MAX_DATA");
    }

    @Test
    void creditCapBatchesMaxDataUpdates()
    {
        final ReliableConnectionCore[] cores = pair(settings(1 << 20, 16 << 20));
        cores[1].receiveCreditCap(512 * 1024);
        final LossyLink link = new LossyLink(6, 0, 0, MS, 0);
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 32; i++)
        {
            ids.add(cores[0].send(new UnsafeBuffer(pattern(60_000, i)), 0, 60_000, false));
        }
        run(link, cores, 200_000, () -> a.acked.size() == 32);
        assertEquals(32, b.delivered.size());
        final long raises = cores[1].receiveFlow().raises();
        // 1.9 MB through a 512 KiB cap, raised in steps of at least half the cap: a handful of updates, not
        // one per packet (1.3k packets).
        assertTrue(raises >= 3 && raises <= 16, "MAX_DATA raises: " + raises);
    }
}
