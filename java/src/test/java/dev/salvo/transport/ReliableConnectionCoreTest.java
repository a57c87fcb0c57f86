/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import dev.salvo.transport.congestion.CongestionControl;
import dev.salvo.transport.frame.ErrorCode;
import dev.salvo.transport.frame.FrameReader;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import dev.salvo.transport.frame.VarInt;
import dev.salvo.transport.message.OutboundMessages;
import dev.salvo.CloseReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ReliableConnectionCoreTest
{
    private static final long MS = 1_000_000L;
    private static final int SPACE = LossyLink.PLAINTEXT_SIZE;

    static final class Recorder implements ConnectionCoreListener
    {
        final List<Long> delivered = new ArrayList<>();
        final List<Long> acked = new ArrayList<>();
        long deliveredCount;
        long ackedCount;
        CloseReason closeReason;
        boolean record = true;
        ReliableConnectionCore core;

        ReliableConnectionCore attach(final ReliableConnectionCore core)
        {
            this.core = core;
            return core;
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            deliveredCount++;
            if (record)
            {
                delivered.add(core.deliveringMessageId());
            }
        }

        @Override
        public void onMessageAcknowledged(final long messageId)
        {
            ackedCount++;
            if (record)
            {
                acked.add(messageId);
            }
        }

        @Override
        public void onClosed(final CloseReason reason)
        {
            closeReason = reason;
        }
    }

    /** Never limits: lets a test reach flow control without waiting on the congestion window. */
    static final class UnlimitedWindow implements CongestionControl
    {
        public void onPacketSent(final int bytes, final long bytesInFlight, final long nowNs)
        {
        }

        public void onPacketAcked(final int bytes, final long timeSentNs, final long nowNs)
        {
        }

        public void onPacketsLost(final long lostBytes, final long largestLostTimeSentNs, final long nowNs)
        {
        }

        public void onPersistentCongestion(final long nowNs)
        {
        }

        public long congestionWindow()
        {
            return Long.MAX_VALUE;
        }

        public boolean inSlowStart()
        {
            return false;
        }
    }

    private final UnsafeBuffer packet = new UnsafeBuffer(new byte[2048]);
    private final Recorder a = new Recorder();
    private final Recorder b = new Recorder();
    private final ConnectionSettings settings = new ConnectionSettings().maxMessageLength(2 << 20).receiveWindow(8 << 20)
        .keepAliveIntervalNs(Long.MAX_VALUE / 4).idleTimeoutNs(Long.MAX_VALUE / 4);

    @Test
    void hostilePacketsAreRejectedWithoutHarmingTheConnection()
    {
        final ReliableConnectionCore receiver = b.attach(new ReliableConnectionCore(settings, b, 0));
        final long poolAllocations = receiver.bufferPool().allocations();

        // A 4 GiB message announced in a fragment: refused before any allocation.
        int p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_MULTI, 0, 0, 4L << 30, 0);
        p += 100;
        assertEquals(-ErrorCode.MESSAGE_TOO_LARGE, receiver.receivePacket(packet, 0, p, 0, MS));
        assertEquals(poolAllocations, receiver.bufferPool().allocations());
        assertEquals(0, receiver.inbound().reassemblyBytes());

        // An ACK for packets never sent.
        p = FrameWriter.putAck(packet, 0, 100, new long[]{1000}, new long[]{0}, 1, 0);
        assertEquals(-ErrorCode.PROTOCOL_VIOLATION, receiver.receivePacket(packet, 0, p, 1, MS));

        // Nonsense frames.
        packet.putByte(0, (byte)FrameType.PING);
        packet.putByte(1, (byte)0x3F);
        assertEquals(-ErrorCode.FRAME_ENCODING_ERROR, receiver.receivePacket(packet, 0, 2, 2, MS));

        // A message id far beyond the window.
        p = FrameWriter.putMessageHeader(packet, 0, 0, 1_000_000, 0, 3, 3);
        assertEquals(-ErrorCode.MESSAGE_ID_ERROR, receiver.receivePacket(packet, 0, p + 3, 3, MS));

        // An announced total that contradicts the first fragment of the same message.
        p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_MULTI | FrameType.MESSAGE_FLAG_LENGTH, 0, 0, 100, 10);
        p += 10;
        p += FrameWriter.putMessageHeader(packet, p, FrameType.MESSAGE_FLAG_MULTI, 0, 10, 200, 10);
        p += 10;
        assertEquals(-ErrorCode.PROTOCOL_VIOLATION, receiver.receivePacket(packet, 0, p, 4, MS));

        // A valid frame after a bad one in the same packet: the whole packet is refused, nothing applied.
        p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_LENGTH, 0, 0, 2, 2);
        p += 2;
        packet.putByte(p++, (byte)0x07);
        assertEquals(-ErrorCode.FRAME_ENCODING_ERROR, receiver.receivePacket(packet, 0, p, 5, MS));
        assertTrue(b.delivered.isEmpty());

        assertEquals(6, receiver.packetsRejected());
        assertEquals(0, receiver.inbound().reassemblyBytes());
        assertFalse(receiver.isClosed());

        // The connection still works: a real message from a real sender arrives.
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(settings, a, 0));
        sender.send(new UnsafeBuffer(new byte[]{1, 2, 3}), 0, 3, false);
        final int n = sender.writePacket(packet, 0, SPACE, 0, 2 * MS);
        assertEquals(0, receiver.receivePacket(packet, 0, n, 10, 2 * MS));
        assertEquals(List.of(0L), b.delivered);
        assertEquals(0, receiver.inbound().reassemblyBytes(), "single-fragment message: zero copy");
    }

    @Test
    void bytesBeyondTheGrantedWindowAreRefused()
    {
        final ReliableConnectionCore receiver = b.attach(new ReliableConnectionCore(settings, b, 0));
        final long window = receiver.receiveFlow().advertised();
        final long initial = ConnectionSettings.INITIAL_MAX_MESSAGE_DATA;
        int p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_MULTI, 0, initial, 2 * initial, 10);
        assertEquals(-ErrorCode.FLOW_CONTROL_ERROR, receiver.receivePacket(packet, 0, p + 10, 0, MS),
            "beyond the message's initial limit before its grant");
        // The MAX_DATA window counts each message's first INITIAL_MAX_MESSAGE_DATA bytes: fill it exactly.
        long pn = 1;
        for (int id = 0; id < window / initial; id++)
        {
            p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_MULTI, id, initial - 10, initial, 10);
            assertEquals(0, receiver.receivePacket(packet, 0, p + 10, pn++, MS), "up to the window is fine");
        }
        p = FrameWriter.putMessageHeader(packet, 0, FrameType.MESSAGE_FLAG_MULTI, window / initial, 0, 100, 10);
        assertEquals(-ErrorCode.FLOW_CONTROL_ERROR, receiver.receivePacket(packet, 0, p + 10, pn, MS));
        assertEquals(window, receiver.receiveFlow().received());
        assertTrue(receiver.inbound().reassemblyBytes() <= window, "reassembly bounded by the grant");
    }

    @Test
    void hostileTrafficDuringATransferDoesNotDisturbIt()
    {
        final LossyLink link = new LossyLink(99, 0.02, 0.01, 5 * MS, 2 * MS);
        final ReliableConnectionCore[] cores = {a.attach(new ReliableConnectionCore(settings, a, 0)), b.attach(new ReliableConnectionCore(settings, b, 0))};
        final byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 31);
        }
        final long id = cores[0].send(new UnsafeBuffer(big), 0, big.length, false);
        int injected = 0;
        for (int step = 0; step < 100_000 && a.acked.isEmpty(); step++)
        {
            if (step % 50 == 7 && injected < 20)
            {
                final byte[] evil = new byte[64];
                final UnsafeBuffer e = new UnsafeBuffer(evil);
                final int len = switch (injected % 3)
                {
                    case 0 -> FrameWriter.putMessageHeader(e, 0, FrameType.MESSAGE_FLAG_MULTI, id + 1, 0, 1L << 40, 0) + 8;
                    case 1 -> FrameWriter.putAck(e, 0, 64, new long[]{1L << 40}, new long[]{0}, 1, 0);
                    default -> 7;
                };
                if (injected % 3 == 2)
                {
                    e.putByte(0, (byte)0xEE);
                }
                final byte[] trimmed = java.util.Arrays.copyOf(evil, len);
                link.inject(0, trimmed);
                injected++;
            }
            link.flush(cores, 0);
            link.flush(cores, 1);
            assertTrue(link.step(cores));
        }
        for (int step = 0; step < 1000 && !link.idle(); step++)
        {
            link.flush(cores, 0);
            link.flush(cores, 1);
            link.step(cores);
        }
        assertEquals(List.of(id), a.acked);
        assertEquals(List.of(id), b.delivered);
        assertTrue(injected >= 5, "hostile packets were injected: " + injected);
        assertEquals(injected, cores[1].packetsRejected());
        assertEquals(injected, link.rejections);
    }

    @Test
    void cancellingAMessageReleasesItsFlightAndThePeerNeverDeliversIt()
    {
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(settings, a, 0));
        final ReliableConnectionCore receiver = b.attach(new ReliableConnectionCore(settings, b, 0));
        final List<byte[]> packets = new ArrayList<>();
        long pn = 0;
        int n = sender.writePacket(packet, 0, SPACE, pn++, 0);
        assertTrue(n > 0, "the first packet announces the receive window");
        packets.add(java.util.Arrays.copyOf(packet.byteArray(), n));
        final long controlFlight = sender.recovery().bytesInFlight();
        final long id = sender.send(new UnsafeBuffer(new byte[100_000]), 0, 100_000, false);
        while ((n = sender.writePacket(packet, 0, SPACE, pn, 0)) > 0)
        {
            packets.add(java.util.Arrays.copyOf(packet.byteArray(), n));
            pn++;
        }
        assertTrue(sender.recovery().bytesInFlight() > 0);
        assertTrue(sender.cancel(id));
        assertEquals(controlFlight, sender.recovery().bytesInFlight(), "packets carrying only the cancelled message left the flight");
        assertEquals(0, sender.outbound().unackedBytes());

        // The cancel itself goes out; the receiver discards what it got and never delivers the message.
        n = sender.writePacket(packet, 0, SPACE, pn, MS);
        assertTrue(n > 0);
        final byte[] cancel = java.util.Arrays.copyOf(packet.byteArray(), n);
        for (int i = 0; i < packets.size(); i++)
        {
            assertEquals(0, receiver.receivePacket(new UnsafeBuffer(packets.get(i)), 0, packets.get(i).length, i, 2 * MS));
        }
        assertEquals(0, receiver.receivePacket(new UnsafeBuffer(cancel), 0, cancel.length, pn, 2 * MS));
        assertTrue(b.delivered.isEmpty());
        assertEquals(1, receiver.inbound().base(), "the cancelled id completed without delivery");
        assertEquals(0, receiver.inbound().reassemblyBytes());
        assertEquals(receiver.receiveFlow().received(), receiver.receiveFlow().consumed(), "its credit is returned");
    }

    @Test
    void closingReleasesFlightMessagesAndBuffers()
    {
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(settings, a, 0));
        sender.send(new UnsafeBuffer(new byte[50_000]), 0, 50_000, true);
        sender.send(new UnsafeBuffer(new byte[10]), 0, 10, false);
        long pn = 0;
        while (sender.writePacket(packet, 0, SPACE, pn, 0) > 0)
        {
            pn++;
        }
        assertTrue(sender.recovery().bytesInFlight() > 0);
        sender.close();
        assertEquals(0, sender.recovery().bytesInFlight());
        assertEquals(0, sender.outbound().unackedBytes());
        assertEquals(0, sender.outbound().outstandingMessages());
        assertEquals(Long.MAX_VALUE, sender.nextDeadlineNs());
        assertEquals(0, sender.writePacket(packet, 0, SPACE, pn, MS));
    }

    @Test
    void peerCloseFrameClosesTheConnection()
    {
        final ReliableConnectionCore receiver = b.attach(new ReliableConnectionCore(settings, b, 0));
        receiver.send(new UnsafeBuffer(new byte[10]), 0, 10, false);
        receiver.writePacket(packet, 0, SPACE, 0, 0);
        final int p = FrameWriter.putClose(packet, 0, ErrorCode.APPLICATION_BASE + 5, new UnsafeBuffer(new byte[3]), 0, 3);
        assertEquals(0, receiver.receivePacket(packet, 0, p, 0, MS));
        assertTrue(receiver.isClosed());
        assertEquals(CloseReason.PEER_ABORT, b.closeReason, "an application code: the peer aborted");
        assertEquals(0, receiver.recovery().bytesInFlight());
    }

    @Test
    void senderStopsAtThePeersLimitAndSaysSoWithDataBlocked()
    {
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(settings, a, new UnlimitedWindow(), 0));
        // Messages of INITIAL_MAX_MESSAGE_DATA count whole against MAX_DATA (larger ones only that much).
        final byte[] chunk = new byte[(int)ConnectionSettings.INITIAL_MAX_MESSAGE_DATA];
        for (int i = 0; i < 20; i++)
        {
            assertTrue(sender.send(new UnsafeBuffer(chunk), 0, chunk.length, false) >= 0);
        }
        long pn = 0;
        boolean sawBlocked = false;
        final FrameReader reader = new FrameReader();
        int n;
        while ((n = sender.writePacket(packet, 0, SPACE, pn, 0)) > 0)
        {
            pn++;
            reader.wrap(packet, 0, n);
            int type;
            while ((type = reader.next()) >= 0)
            {
                if (type == FrameType.DATA_BLOCKED)
                {
                    sawBlocked = true;
                    assertEquals(ConnectionSettings.INITIAL_MAX_DATA, reader.limitValue());
                }
            }
            assertTrue(pn < 10_000);
        }
        assertEquals(ConnectionSettings.INITIAL_MAX_DATA, sender.sendFlow().sent(), "new data stops at the limit");
        assertTrue(sawBlocked);

        // MAX_DATA from the peer unblocks it.
        final int p = FrameWriter.putMaxData(packet, 0, 2 * ConnectionSettings.INITIAL_MAX_DATA);
        assertEquals(0, sender.receivePacket(packet, 0, p, 0, MS));
        assertTrue(sender.writePacket(packet, 0, SPACE, pn, MS) > 0);
        assertTrue(sender.sendFlow().sent() > ConnectionSettings.INITIAL_MAX_DATA);
    }

    @Test
    void receiverAdvertisesMoreWindowAsTheApplicationConsumes()
    {
        final ReliableConnectionCore receiver = b.attach(new ReliableConnectionCore(settings, b, 0));
        assertTrue(receiver.receiveFlow().maxDataPending(), "a window above the protocol's initial limit is announced at once");
        final long first = receiver.receiveFlow().advertised();
        receiver.receiveFlow().onMaxDataSent();
        receiver.receiveFlow().onReceived(first / 2);
        receiver.receiveFlow().onConsumed(first / 2);
        assertTrue(receiver.receiveFlow().maxDataPending());
        assertEquals(first / 2 + receiver.receiveFlow().window(), receiver.receiveFlow().advertised());
    }

    @Test
    void backPressureReportsFull()
    {
        final ConnectionSettings small = new ConnectionSettings().maxMessageLength(1 << 20).sendBufferLimit(100_000);
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(small, a, 0));
        assertTrue(sender.send(new UnsafeBuffer(new byte[60_000]), 0, 60_000, false) >= 0);
        assertEquals(OutboundMessages.FULL, sender.send(new UnsafeBuffer(new byte[60_000]), 0, 60_000, false));
        final ReliableConnectionCore idle = a.attach(new ReliableConnectionCore(small, a, 0));
        assertTrue(idle.send(new UnsafeBuffer(new byte[1 << 20]), 0, 1 << 20, false) >= 0,
            "a message above the limit is accepted when nothing else is outstanding");
        assertEquals(OutboundMessages.FULL, idle.send(new UnsafeBuffer(new byte[60_000]), 0, 60_000, false));
        // Small messages have a reserve of limit/16 (6,250 B) of their own: a large message does not hold them back...
        final int reserve = 100_000 / OutboundMessages.SMALL_MESSAGE_RESERVE_DIVISOR;
        assertTrue(idle.send(new UnsafeBuffer(new byte[4_000]), 0, 4_000, false) >= 0, "small message beside a large one");
        assertTrue(sender.send(new UnsafeBuffer(new byte[40_000]), 0, 40_000, false) >= 0, "up to the limit");
        assertTrue(sender.send(new UnsafeBuffer(new byte[4_000]), 0, 4_000, false) >= 0, "small message at the limit");
        // ... but the reserve is bounded too.
        assertEquals(OutboundMessages.FULL, sender.send(new UnsafeBuffer(new byte[reserve - 3_999]), 0, reserve - 3_999, false));
        assertTrue(sender.send(new UnsafeBuffer(new byte[reserve - 4_000]), 0, reserve - 4_000, false) >= 0);
        assertEquals(OutboundMessages.FULL, sender.send(new UnsafeBuffer(new byte[1]), 0, 1, false), "reserve used up");
        final ReliableConnectionCore many = a.attach(new ReliableConnectionCore(small, a, 0));
        for (int i = 0; i < ConnectionSettings.MESSAGE_ID_WINDOW; i++)
        {
            assertTrue(many.send(new UnsafeBuffer(new byte[0]), 0, 0, false) >= 0);
        }
        assertEquals(OutboundMessages.FULL, many.send(new UnsafeBuffer(new byte[0]), 0, 0, false), "message-id window");
    }

    @Test
    void lostAckIsRepairedWhenTheDuplicateIsAcknowledgedAgain()
    {
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(settings, a, 0));
        final ReliableConnectionCore receiver = b.attach(new ReliableConnectionCore(settings, b, 0));
        sender.send(new UnsafeBuffer(new byte[10]), 0, 10, false);
        final int n = sender.writePacket(packet, 0, SPACE, 0, 0);
        final byte[] data = java.util.Arrays.copyOf(packet.byteArray(), n);
        receiver.receivePacket(new UnsafeBuffer(data), 0, n, 0, MS);
        // The receiver's ACK is lost. The packet shows up again (network duplicate or replay window report).
        receiver.writePacket(packet, 0, SPACE, 0, 30 * MS);
        assertEquals(0, receiver.receivePacket(new UnsafeBuffer(data), 0, n, 0, 40 * MS));
        assertEquals(1, receiver.duplicatePackets());
        assertEquals(List.of(0L), b.delivered, "delivered once");
        final int ack = receiver.writePacket(packet, 0, SPACE, 1, 40 * MS);
        assertTrue(ack > 0, "the duplicate is acknowledged at once");
        assertEquals(0, sender.receivePacket(packet, 0, ack, 1, 41 * MS));
        assertEquals(List.of(0L), a.acked);
        assertEquals(0, sender.recovery().bytesInFlight());
    }

    /** Feeds the sender the receiver's MAX_MESSAGE_DATA for messages 0 .. count-1, each of {@code length}. */
    private void grantWhole(final ReliableConnectionCore sender, final int count, final long length)
    {
        int p = 0;
        for (int id = 0; id < count; id++)
        {
            p += FrameWriter.putMaxMessageData(packet, p, id, length);
        }
        assertEquals(0, sender.receivePacket(packet, 0, p, 1_000_000 + sender.packetsReceived(), 0));
    }

    @Test
    void perPacketOverheadOfAFullSizeFragment()
    {
        final ReliableConnectionCore sender = a.attach(new ReliableConnectionCore(settings, a, new UnlimitedWindow(), 0));
        sender.send(new UnsafeBuffer(new byte[1 << 20]), 0, 1 << 20, false);
        grantWhole(sender, 1, 1 << 20);
        long pn = 0;
        final FrameReader reader = new FrameReader();
        int worstHeader = 0;
        for (int i = 0; i < 200; i++)
        {
            final int n = sender.writePacket(packet, 0, SPACE, pn++, 0);
            reader.wrap(packet, 0, n);
            int type;
            int frameStart = reader.position();
            while ((type = reader.next()) >= 0)
            {
                if (FrameType.isMessage(type))
                {
                    worstHeader = Math.max(worstHeader, reader.messageDataOffset() - frameStart);
                }
                frameStart = reader.position();
            }
        }
        // type 1 + id 1 + offset ≤ 4 + total 4 (1 MiB), no length: at most 10 bytes of frame header.
        assertTrue(worstHeader <= 10, "frame header " + worstHeader);
        System.out.println("MESSAGE frame header of a full-size fragment of a 1 MiB message: " + worstHeader + " bytes");
        assertEquals(4, VarInt.length(1 << 20));
    }

    @Test
    void steadyStateAllocatesNothingForMessagesUpTo64KiB()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        a.record = false;
        b.record = false;
        final ReliableConnectionCore[] cores = {a.attach(new ReliableConnectionCore(settings, a, 0)), b.attach(new ReliableConnectionCore(settings, b, 0))};
        final UnsafeBuffer small = new UnsafeBuffer(new byte[1024]);
        final UnsafeBuffer large = new UnsafeBuffer(new byte[64 * 1024]);
        final long[] pn = new long[2];
        final long[] now = {0};

        final Runnable round = () ->
        {
            cores[0].send(small, 0, small.capacity(), false);
            cores[0].send(large, 0, large.capacity(), true);
            for (int i = 0; i < 400; i++)
            {
                now[0] += 100_000;
                for (int side = 0; side < 2; side++)
                {
                    final int n = cores[side].writePacket(packet, 0, SPACE, pn[side], now[0]);
                    if (n > 0)
                    {
                        cores[1 - side].receivePacket(packet, 0, n, pn[side], now[0]);
                        pn[side]++;
                    }
                }
                if (cores[0].outbound().outstandingMessages() == 0 && cores[0].recovery().bytesInFlight() == 0)
                {
                    break;
                }
            }
        };
        for (int i = 0; i < 3000; i++)
        {
            round.run();
        }
        final long delivered = b.deliveredCount;
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 500; i++)
        {
            round.run();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(delivered + 1000, b.deliveredCount, "every message delivered");
        assertEquals(a.ackedCount, b.deliveredCount, "every message acknowledged");
        assertEquals(0, allocated, "bytes allocated for 1000 messages in steady state");
    }
}
