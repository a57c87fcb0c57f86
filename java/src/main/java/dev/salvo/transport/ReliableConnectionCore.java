/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.transport.congestion.CongestionControl;
import dev.salvo.transport.congestion.NewRenoCongestionControl;
import dev.salvo.transport.flow.ReceiveFlowControl;
import dev.salvo.transport.flow.SendFlowControl;
import dev.salvo.transport.frame.ErrorCode;
import dev.salvo.transport.frame.FrameReader;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import dev.salvo.transport.message.BufferPool;
import dev.salvo.transport.message.InboundMessages;
import dev.salvo.transport.message.OutboundMessages;
import dev.salvo.transport.recovery.LossRecovery;
import dev.salvo.transport.recovery.ReceivedPacketTracker;
import dev.salvo.transport.recovery.RttEstimator;
import dev.salvo.transport.recovery.SentPacketHandler;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The socket- and crypto-independent core of one reliable connection: what goes into each data
 * packet's plaintext and what to do with each one received. Driven entirely by method calls and the
 * caller's clock, on one thread (the I/O thread):
 *
 * <ul>
 * <li>{@link #send} queues a message (copied) or reports {@link OutboundMessages#FULL};</li>
 * <li>{@link #writePacket} fills one packet's plaintext: ACK first, then MAX_DATA / DATA_BLOCKED,
 *     then retransmissions, then new message fragments, within the congestion window and the peer's
 *     flow-control limit; it returns 0 when there is nothing to send now;</li>
 * <li>{@link #onPacket} takes one opened packet's plaintext and dispatches its frames;</li>
 * <li>{@link #onTimer} runs expired timers; {@link #nextDeadlineNs} says when.</li>
 * </ul>
 *
 * <p>A peer's packet is checked whole before any of it is applied: a malformed frame, an ACK for a
 * packet never sent, a message above the maximum size, a message id outside the window or bytes
 * beyond the granted window make {@link #onPacket} return the negated {@link ErrorCode} and leave
 * the connection as it was (the packet is not acknowledged). The caller decides whether to close.
 *
 * <p>Steady state allocates nothing for messages up to 64 KiB.
 */
public final class ReliableConnectionCore implements SentPacketHandler
{
    private final ConnectionSettings settings;
    private final CoreEventHandler handler;
    private final BufferPool pool = new BufferPool();
    private final RttEstimator rtt = new RttEstimator();
    private final CongestionControl congestionControl;
    private final LossRecovery recovery;
    private final ReceivedPacketTracker receivedPackets;
    private final SendFlowControl sendFlow;
    private final ReceiveFlowControl receiveFlow;
    private final OutboundMessages outbound;
    private final InboundMessages inbound;
    private final FrameReader reader = new FrameReader();

    private boolean closed;
    private long lastReceiveNs;
    private long packetsReceived;
    private long packetsRejected;
    private long duplicatePackets;
    private int lastRejection;

    /**
     * @param settings the connection's settings.
     * @param handler  receives messages, acknowledgements and the peer's close.
     * @param nowNs    current time (starts the idle timer).
     */
    public ReliableConnectionCore(final ConnectionSettings settings, final CoreEventHandler handler, final long nowNs)
    {
        this(settings, handler, new NewRenoCongestionControl(settings.maxDatagramSize()), nowNs);
    }

    /**
     * @param congestionControl the congestion controller to use.
     */
    public ReliableConnectionCore(
        final ConnectionSettings settings,
        final CoreEventHandler handler,
        final CongestionControl congestionControl,
        final long nowNs)
    {
        this.settings = settings;
        this.handler = handler;
        this.congestionControl = congestionControl;
        this.recovery = new LossRecovery(rtt, congestionControl, this, ConnectionSettings.MAX_ACK_DELAY_NS);
        this.receivedPackets = new ReceivedPacketTracker(ConnectionSettings.MAX_ACK_DELAY_NS);
        this.sendFlow = new SendFlowControl(ConnectionSettings.INITIAL_MAX_DATA);
        this.receiveFlow = new ReceiveFlowControl(ConnectionSettings.INITIAL_MAX_DATA, settings.receiveWindow());
        this.outbound = new OutboundMessages(
            ConnectionSettings.MESSAGE_ID_WINDOW, settings.sendBufferLimit(), settings.maxMessageSize(), pool,
            sendFlow, handler);
        this.outbound.recovery(recovery);
        this.inbound = new InboundMessages(
            ConnectionSettings.MESSAGE_ID_WINDOW, settings.maxMessageSize(), pool, receiveFlow, handler);
        this.lastReceiveNs = nowNs;
    }

    /**
     * Queues a message; the bytes are copied before this returns.
     *
     * @param ordered deliver in send order relative to earlier messages (unordered messages never wait).
     * @return the message id (for {@link MessageAckHandler#onMessageAcked} and {@link #cancel}), or
     * {@link OutboundMessages#FULL} when the connection holds as much unacknowledged data as allowed.
     * @throws IllegalArgumentException if longer than the maximum message size.
     * @throws IllegalStateException if the connection is closed.
     */
    public long send(final DirectBuffer source, final int offset, final int length, final boolean ordered)
    {
        if (closed)
        {
            throw new IllegalStateException("connection closed");
        }
        return outbound.send(source, offset, length, ordered);
    }

    /**
     * Abandons a message not yet fully acknowledged: never retransmitted, never delivered by the peer.
     *
     * @return true if it was outstanding.
     */
    public boolean cancel(final long messageId)
    {
        return !closed && outbound.cancel(messageId);
    }

    /**
     * Fills one packet's plaintext.
     *
     * @param buffer       where the plaintext goes (in place, e.g. inside the send batch).
     * @param offset       where in {@code buffer}.
     * @param maxLength    plaintext space: datagram size minus header and AEAD tag.
     * @param packetNumber the packet number this packet will be sealed with (strictly increasing).
     * @param nowNs        current time (the real send time).
     * @return the plaintext length, 0 if there is nothing to send now (the packet number stays unused).
     */
    public int writePacket(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final long packetNumber, final long nowNs)
    {
        if (closed || maxLength < 32)
        {
            return 0;
        }
        recovery.onTimer(nowNs);
        final boolean probing = recovery.probesPending() > 0;
        final boolean cwndOpen = probing || recovery.bytesInFlight() < congestionControl.congestionWindow();
        final boolean ackDue = receivedPackets.isAckDue(nowNs);
        if (outbound.isFlowBlocked())
        {
            sendFlow.onBlocked();
        }
        final boolean controlPending = receiveFlow.maxDataPending() || sendFlow.blockedFramePending();
        final boolean dataPending = cwndOpen && outbound.hasPending() && !outbound.isFlowBlocked();
        if (!ackDue && !controlPending && !dataPending && !probing)
        {
            return 0;
        }
        if (!recovery.beginPacket(packetNumber))
        {
            return 0;
        }

        final int end = offset + maxLength;
        int p = offset;
        int control = 0;
        boolean ackEliciting = false;
        if (receivedPackets.hasNewSinceAck())
        {
            p += receivedPackets.writeAck(buffer, p, Math.min(maxLength / 2, end - p), nowNs);
        }
        if (receiveFlow.maxDataPending() && FrameWriter.limitFrameLength(receiveFlow.advertised()) <= end - p)
        {
            p += FrameWriter.putMaxData(buffer, p, receiveFlow.advertised());
            receiveFlow.onMaxDataSent();
            control |= CONTROL_MAX_DATA;
            ackEliciting = true;
        }
        if (sendFlow.blockedFramePending() && FrameWriter.limitFrameLength(sendFlow.maxData()) <= end - p)
        {
            p += FrameWriter.putDataBlocked(buffer, p, sendFlow.maxData());
            sendFlow.onBlockedFrameSent();
            control |= CONTROL_DATA_BLOCKED;
            ackEliciting = true;
        }
        if (cwndOpen)
        {
            final int before = p;
            p = outbound.write(buffer, p, end);
            ackEliciting |= p != before;
        }
        if (probing && !ackEliciting)
        {
            p += FrameWriter.putPing(buffer, p);
            control |= CONTROL_PING;
            ackEliciting = true;
        }
        final int length = p - offset;
        if (length == 0)
        {
            return 0;
        }
        recovery.onPacketSent(packetNumber, length + settings.packetOverhead(), ackEliciting, control, nowNs);
        return length;
    }

    /**
     * Takes one opened data packet's plaintext.
     *
     * @return 0 if accepted (or a duplicate, which is acknowledged again), or a negated
     * {@link ErrorCode} if rejected; a rejected packet changes nothing and is not acknowledged.
     */
    public int onPacket(
        final DirectBuffer buffer, final int offset, final int length, final long packetNumber, final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        if (receivedPackets.isDuplicate(packetNumber))
        {
            onDuplicatePacket(packetNumber, nowNs);
            return 0;
        }
        final int checked = check(buffer, offset, length);
        if (checked != 0)
        {
            packetsRejected++;
            lastRejection = -checked;
            return checked;
        }
        lastReceiveNs = nowNs;
        packetsReceived++;
        boolean ackEliciting = false;
        int result = 0;
        reader.wrap(buffer, offset, length);
        int type;
        while ((type = reader.next()) >= 0 && !closed)
        {
            ackEliciting |= FrameType.isAckEliciting(type);
            final int r = apply(type, buffer, nowNs);
            if (r != 0)
            {
                // Only reachable for state-dependent limits crossed by several frames of one packet.
                result = r;
                packetsRejected++;
                lastRejection = -r;
                break;
            }
        }
        receivedPackets.onPacketReceived(packetNumber, ackEliciting, nowNs);
        return result;
    }

    /**
     * A duplicate packet was dropped below this core (the replay window): acknowledge again at once,
     * so an ACK the peer lost is repaired.
     */
    public void onDuplicatePacket(final long packetNumber, final long nowNs)
    {
        duplicatePackets++;
        receivedPackets.onDuplicate(nowNs);
    }

    private static final int CHECKED_MESSAGES = 64;
    private final long[] checkId = new long[CHECKED_MESSAGES];
    private final long[] checkTotal = new long[CHECKED_MESSAGES];
    private final long[] checkHighest = new long[CHECKED_MESSAGES];

    /**
     * First pass over a packet: decodes every frame and checks it against the connection's state and
     * against earlier frames of the same packet (a message's total, cumulative flow-control credit),
     * so that a packet is either applied whole or not at all.
     */
    private int check(final DirectBuffer buffer, final int offset, final int length)
    {
        reader.wrap(buffer, offset, length);
        int checked = 0;
        long creditNeeded = 0;
        int type;
        while ((type = reader.next()) >= 0)
        {
            if (type == FrameType.ACK)
            {
                if (reader.ackLargest() >= recovery.largestSentPlusOne())
                {
                    return -ErrorCode.PROTOCOL_VIOLATION;
                }
            }
            else if (FrameType.isMessage(type))
            {
                final int r = inbound.check(
                    reader.messageId(), reader.messageSingle(), reader.messageOffset(), reader.messageTotalLength(),
                    reader.messageDataLength());
                if (r != 0)
                {
                    return r;
                }
                final long id = reader.messageId();
                if (!inbound.isCompleted(id))
                {
                    int k = 0;
                    while (k < checked && checkId[k] != id)
                    {
                        k++;
                    }
                    if (k == checked && checked < CHECKED_MESSAGES)
                    {
                        checkId[k] = id;
                        checkTotal[k] = inbound.knownTotal(id);
                        checkHighest[k] = inbound.knownHighest(id);
                        checked++;
                    }
                    if (k < checked)
                    {
                        final long total = reader.messageTotalLength();
                        if (checkTotal[k] >= 0 && checkTotal[k] != total)
                        {
                            return -ErrorCode.PROTOCOL_VIOLATION;
                        }
                        checkTotal[k] = total;
                        final long end = reader.messageOffset() + reader.messageDataLength();
                        if (end > checkHighest[k])
                        {
                            creditNeeded += end - checkHighest[k];
                            checkHighest[k] = end;
                        }
                        if (!receiveFlow.canReceive(creditNeeded))
                        {
                            return -ErrorCode.FLOW_CONTROL_ERROR;
                        }
                    }
                }
            }
            else if (type == FrameType.MESSAGE_CANCEL)
            {
                if (reader.messageId() >= inbound.base() + ConnectionSettings.MESSAGE_ID_WINDOW)
                {
                    return -ErrorCode.MESSAGE_ID_ERROR;
                }
            }
        }
        return type == FrameReader.MALFORMED ? -ErrorCode.FRAME_ENCODING_ERROR : 0;
    }

    private int apply(final int type, final DirectBuffer buffer, final long nowNs)
    {
        switch (type)
        {
            case FrameType.PADDING:
            case FrameType.PING:
                return 0;
            case FrameType.ACK:
                return recovery.onAckFrame(reader, nowNs);
            case FrameType.MAX_DATA:
                sendFlow.onMaxData(reader.limitValue());
                return 0;
            case FrameType.DATA_BLOCKED:
                if (reader.limitValue() >= receiveFlow.advertised())
                {
                    receiveFlow.resendMaxData();
                }
                return 0;
            case FrameType.MESSAGE_CANCEL:
                return inbound.onCancel(reader.messageId(), reader.limitValue());
            case FrameType.CLOSE:
                closed = true;
                handler.onPeerClosed(
                    reader.closeErrorCode(), buffer, reader.closeReasonOffset(), reader.closeReasonLength());
                release();
                return 0;
            default:
                return inbound.onFragment(
                    reader.messageId(), reader.messageOrdered(), reader.messageSingle(), reader.messageOffset(),
                    reader.messageTotalLength(), buffer, reader.messageDataOffset(), reader.messageDataLength());
        }
    }

    /**
     * Runs expired timers (loss time, probe timeout). The delayed-ACK timer needs nothing here:
     * {@link #writePacket} sends the ACK once it is due.
     */
    public void onTimer(final long nowNs)
    {
        if (!closed)
        {
            recovery.onTimer(nowNs);
        }
    }

    /** @return when {@link #onTimer} or {@link #writePacket} next has something to do, {@link Long#MAX_VALUE} if never. */
    public long nextDeadlineNs()
    {
        if (closed)
        {
            return Long.MAX_VALUE;
        }
        return Math.min(recovery.timerDeadlineNs(), receivedPackets.ackDeadlineNs());
    }

    /** @return whether nothing arrived from the peer for the idle timeout. */
    public boolean isIdle(final long nowNs)
    {
        return nowNs - lastReceiveNs >= settings.idleTimeoutMs() * 1_000_000L;
    }

    /**
     * Closes locally (abort, or after sending a CLOSE with {@link FrameWriter#putClose}): releases
     * every byte in flight, every queued and partial message and their buffers.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            release();
        }
    }

    private void release()
    {
        recovery.discardAll();
        outbound.discardAll();
        inbound.discardAll();
    }

    @Override
    public void onFragmentAcked(final int kind, final long messageId, final long offset, final int length)
    {
        outbound.onFragmentAcked(kind, messageId, offset, length);
    }

    @Override
    public void onFragmentLost(final int kind, final long messageId, final long offset, final int length)
    {
        outbound.onFragmentLost(kind, messageId, offset, length);
    }

    @Override
    public void onControlLost(final int controlFlags)
    {
        if ((controlFlags & CONTROL_MAX_DATA) != 0)
        {
            receiveFlow.resendMaxData();
        }
        if ((controlFlags & CONTROL_DATA_BLOCKED) != 0)
        {
            sendFlow.onBlockedFrameLost();
        }
    }

    /** @return whether the connection is closed (locally or by the peer). */
    public boolean isClosed()
    {
        return closed;
    }

    /** @return the RTT estimator (smoothed, min, latest). */
    public RttEstimator rtt()
    {
        return rtt;
    }

    /** @return the congestion controller. */
    public CongestionControl congestionControl()
    {
        return congestionControl;
    }

    /** @return loss recovery (bytes in flight, packets sent/acked/lost, largest acked for PN length). */
    public LossRecovery recovery()
    {
        return recovery;
    }

    /** @return the sender's messages (unacked bytes, retransmissions). */
    public OutboundMessages outbound()
    {
        return outbound;
    }

    /** @return the receiver's messages (delivered, duplicates, reassembly memory). */
    public InboundMessages inbound()
    {
        return inbound;
    }

    /** @return the receive-side flow control. */
    public ReceiveFlowControl receiveFlow()
    {
        return receiveFlow;
    }

    /** @return the send-side flow control. */
    public SendFlowControl sendFlow()
    {
        return sendFlow;
    }

    /** @return the buffer pool (its allocation count checks steady state). */
    public BufferPool bufferPool()
    {
        return pool;
    }

    /** @return packets accepted. */
    public long packetsReceived()
    {
        return packetsReceived;
    }

    /** @return packets rejected. */
    public long packetsRejected()
    {
        return packetsRejected;
    }

    /** @return duplicate packets seen (here or reported by the replay window). */
    public long duplicatePackets()
    {
        return duplicatePackets;
    }

    /** @return the error code of the last rejection (0 if none). */
    public int lastRejection()
    {
        return lastRejection;
    }
}
