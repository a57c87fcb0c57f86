/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.CloseReason;
import dev.salvo.CongestionControlAlgorithm;
import dev.salvo.TransportConfig;
import dev.salvo.transport.congestion.CongestionControl;
import dev.salvo.transport.congestion.CongestionControllers;

import dev.salvo.transport.congestion.NewRenoCongestionControl;
import dev.salvo.transport.flow.MessageFlowControl;
import dev.salvo.transport.flow.ReceiveFlowControl;
import dev.salvo.transport.flow.SendFlowControl;
import dev.salvo.transport.frame.ErrorCode;
import dev.salvo.transport.frame.FrameReader;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import dev.salvo.transport.message.BufferPool;
import dev.salvo.transport.message.InboundMessages;
import dev.salvo.transport.message.OutboundMessages;
import dev.salvo.transport.pmtu.PathMtuDiscovery;

import dev.salvo.transport.pacing.Pacer;
import dev.salvo.transport.recovery.LossRecovery;
import dev.salvo.transport.recovery.ReceivedPacketTracker;
import dev.salvo.transport.recovery.RttEstimator;
import dev.salvo.transport.recovery.SentPacketHandler;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The reliable {@link ConnectionCore} of every connection: the socket- and crypto-independent protocol
 * state of one connection — what goes into each data packet's plaintext and what to do with each one
 * received — driven entirely by method calls and the caller's clock, on one thread (the I/O thread):
 *
 * <ul>
 * <li>{@link #offerMessage} takes a message, whole or chunk by chunk (copied), or reports
 *     {@link #OFFER_FULL} at the unacknowledged-bytes limit; {@link #send} is the whole-message shortcut;</li>
 * <li>{@link #writePacket} fills one packet's plaintext: ACK first, then MAX_DATA / DATA_BLOCKED,
 *     then retransmissions, then new message fragments (round-robin over messages), within the
 *     congestion window and the peer's flow-control limit; PING for probes, keep-alives and the
 *     initiator's first packet; CLOSE when closing; it returns 0 when there is nothing to send now;</li>
 * <li>{@link #onPacket} takes one opened packet's plaintext and dispatches its frames
 *     ({@link #receivePacket} reports the verdict);</li>
 * <li>{@link #onTimer} runs expired timers (loss, probe, keep-alive, idle, close); {@link #nextTimerDeadlineNs} says when.</li>
 * </ul>
 *
 * <p>A peer's packet is checked whole before any of it is applied: a malformed frame, an ACK for a
 * packet never sent, a message id outside the window or bytes beyond the granted window make
 * {@link #receivePacket} return the negated {@link ErrorCode} and leave the connection as it was (the
 * packet is not acknowledged); the packet is counted as rejected, and after
 * {@link ConnectionSettings#maxRejectedPackets()} of them the connection closes with
 * {@link CloseReason#PROTOCOL_ERROR}. A message announced longer than the maximum message length closes
 * the connection at once (CLOSE with {@code MESSAGE_TOO_LARGE}): nothing is allocated for it, and a peer
 * configured for larger messages learns why instead of retransmitting forever.
 *
 * <p>Lifecycle: open; {@link #close close(false)} sends what was offered until every message is
 * acknowledged, then CLOSE ({@code NO_ERROR}), then reports {@link CloseReason#LOCAL_CLOSE} (after the
 * close timeout: abort); {@link #close close(true)} drops everything and sends CLOSE
 * ({@link ErrorCode#APPLICATION_ABORT}) in the next packet, then reports {@link CloseReason#LOCAL_ABORT}; a
 * peer's CLOSE reports {@code PEER_CLOSE} (code 0), {@code PROTOCOL_ERROR} (protocol codes) or
 * {@code PEER_ABORT}; nothing heard for the idle timeout reports {@code IDLE_TIMEOUT} silently. Every way
 * out releases all bytes in flight and every message buffer.
 *
 * <p>Steady state allocates nothing for messages up to 64 KiB (buffers come from a {@link BufferPool}).
 */
public final class ReliableConnectionCore implements ConnectionCore, SentPacketHandler
{
    /**
     * Makes a reliable core per connection from {@link TransportConfig#connectionSettings()}, with the
     * congestion controller {@link TransportConfig#CONGESTION_CONTROL_PROP_NAME} names.
     */
    public static final ConnectionCoreFactory FACTORY = new Factory(null);

    /** The reliable-core factory; {@code algorithm} null means the config's congestion controller. */
    private static final class Factory implements ConnectionCoreFactory
    {
        private final CongestionControlAlgorithm algorithm;

        Factory(final CongestionControlAlgorithm algorithm)
        {
            this.algorithm = algorithm;
        }

        @Override
        public ConnectionCore newCore(
            final TransportConfig config,
            final boolean initiator,
            final ConnectionCoreListener listener,
            final BufferPool pool,
            final long nowNs)
        {
            final ConnectionSettings settings = config.connectionSettings();
            if (null != algorithm)
            {
                settings.congestionControl(algorithm);
            }
            return new ReliableConnectionCore(
                settings, initiator, listener,
                CongestionControllers.newController(settings.congestionControl(), settings.minDatagramSize()), pool, nowNs);
        }

        @Override
        public long maxMessageLength(final TransportConfig config)
        {
            return config.maxMessageLength();
        }

        @Override
        public ConnectionCoreFactory withCongestionControl(final CongestionControlAlgorithm algorithm)
        {
            return new Factory(algorithm);
        }
    }

    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSE_PENDING = 2;
    private static final int CLOSED = 3;

    private final ConnectionSettings settings;
    private final ConnectionCoreListener listener;
    private final BufferPool pool;
    private final RttEstimator rtt = new RttEstimator();
    private final CongestionControl congestionControl;
    private final LossRecovery recovery;
    private final ReceivedPacketTracker receivedPackets;
    private final SendFlowControl sendFlow;
    private final ReceiveFlowControl receiveFlow;
    private final MessageFlowControl messageFlow;
    private final OutboundMessages outbound;
    private final InboundMessages inbound;
    private final FrameReader reader = new FrameReader();
    private final PathMtuDiscovery pmtu;

    private final Pacer pacer;

    private int state = OPEN;
    private boolean closed;
    private int closeErrorCode;
    private boolean closeFrameSent;
    private CloseReason closeReason;
    private long closeDeadlineNs = Long.MAX_VALUE;
    private boolean pingPending;
    private long lastReceiveNs;
    private long lastAckElicitingSentNs;
    private long packetsReceived;
    private long packetsRejected;
    private long packetsRetransmitted;
    private long duplicatePackets;
    private int lastRejection;
    private long deliveringMessageId = -1;
    private long pmtuClockNs;
    private int congestionDatagramSize;

    /**
     * A responder-side core with the settings' congestion controller and a pool of its own (for tests
     * driving a core alone).
     *
     * @param settings the connection's settings.
     * @param listener receives messages, acknowledgements and the close.
     * @param nowNs    current time (starts the idle timer).
     */
    public ReliableConnectionCore(final ConnectionSettings settings, final ConnectionCoreListener listener, final long nowNs)
    {
        this(settings, listener,
            CongestionControllers.newController(settings.congestionControl(), settings.minDatagramSize()), nowNs);
    }

    /**
     * As {@link #ReliableConnectionCore(ConnectionSettings, ConnectionCoreListener, long)} with a given
     * congestion controller.
     */
    public ReliableConnectionCore(
        final ConnectionSettings settings,
        final ConnectionCoreListener listener,
        final CongestionControl congestionControl,
        final long nowNs)
    {
        this(settings, false, listener, congestionControl, new BufferPool(), nowNs);
    }

    /**
     * @param settings          the connection's settings.
     * @param initiator         true on the side that connected: its first packet (a PING) goes out at once.
     * @param listener          receives messages, acknowledgements and the close.
     * @param congestionControl the congestion controller to use.
     * @param pool              message buffers (shared by the cores of one I/O thread).
     * @param nowNs             current time (starts the idle and keep-alive timers).
     */
    public ReliableConnectionCore(
        final ConnectionSettings settings,
        final boolean initiator,
        final ConnectionCoreListener listener,
        final CongestionControl congestionControl,
        final BufferPool pool,
        final long nowNs)
    {
        this.settings = settings;
        this.listener = listener;
        this.pool = pool;
        this.congestionControl = congestionControl;
        this.recovery = new LossRecovery(rtt, congestionControl, this, ConnectionSettings.MAX_ACK_DELAY_NS);
        this.receivedPackets = new ReceivedPacketTracker(ConnectionSettings.MAX_ACK_DELAY_NS);
        this.sendFlow = new SendFlowControl(ConnectionSettings.INITIAL_MAX_DATA);
        this.receiveFlow = new ReceiveFlowControl(ConnectionSettings.INITIAL_MAX_DATA, settings.connectionDataWindow());
        this.messageFlow = new MessageFlowControl(
            ConnectionSettings.MESSAGE_ID_WINDOW, ConnectionSettings.INITIAL_MAX_MESSAGE_DATA,
            settings.receiveWindow(), receiveFlow, settings.maxMessageLength());
        this.outbound = new OutboundMessages(
            ConnectionSettings.MESSAGE_ID_WINDOW, settings.sendBufferLimit(), settings.maxMessageLength(), pool,
            sendFlow, listener::onMessageAcknowledged, ConnectionSettings.INITIAL_MAX_MESSAGE_DATA,
            ConnectionSettings.MAX_UNGRANTED_MESSAGES_STARTED);
        this.outbound.recovery(recovery);
        this.inbound = new InboundMessages(
            ConnectionSettings.MESSAGE_ID_WINDOW, settings.maxMessageLength(), pool, receiveFlow, messageFlow,
            (messageId, buffer, offset, length) ->
            {
                deliveringMessageId = messageId;
                listener.onMessage(buffer, offset, length);
            });
        this.lastReceiveNs = nowNs;
        this.lastAckElicitingSentNs = nowNs;
        this.pingPending = initiator;
        this.pmtu = new PathMtuDiscovery(
            settings.minDatagramSize(), settings.maxDatagramSize(), settings.pmtuReprobeIntervalNs());
        this.pacer = new Pacer(settings.pacing());
        followDatagramSize();
    }

    /**
     * Tells the congestion controller when path MTU discovery's datagram size changed (RFC 9002 uses the current
     * max_datagram_size, not the transport's maximum); called after every call that may change it.
     */
    private void followDatagramSize()
    {
        final int size = pmtu.datagramSize();
        if (size != congestionDatagramSize)
        {
            congestionDatagramSize = size;
            congestionControl.onDatagramSizeChanged(size);
        }
    }

    @Override
    public int offerMessage(
        final long messageId,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long messageLength,
        final int flags,
        final long nowNs)
    {
        if (state != OPEN)
        {
            return OFFER_ACCEPTED; // dropped: no offer follows a close (contract); an abort drops everything
        }
        if ((flags & FLAG_BEGIN) != 0 &&
            OutboundMessages.FULL == outbound.begin(messageId, messageLength, settings.ordered()))
        {
            return OFFER_FULL;
        }
        outbound.append(buffer, offset, length);
        return OFFER_ACCEPTED;
    }

    /**
     * Queues a whole message (copied); its handle for {@link ConnectionCoreListener#onMessageAcknowledged}
     * is the returned message id.
     *
     * @param ordered deliver in send order relative to earlier messages (unordered messages never wait).
     * @return the message id, or {@link OutboundMessages#FULL} when the connection holds as much
     * unacknowledged data as allowed.
     * @throws IllegalArgumentException if longer than the maximum message length.
     * @throws IllegalStateException if the connection is closing or closed.
     */
    public long send(final DirectBuffer source, final int offset, final int length, final boolean ordered)
    {
        if (state != OPEN)
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
        return state == OPEN && outbound.cancel(messageId);
    }

    @Override
    public boolean hasDataToSend(final long nowNs)
    {
        if (state == CLOSE_PENDING)
        {
            return true;
        }
        if (closed)
        {
            return false;
        }
        if (pingPending || receivedPackets.isAckDue(nowNs) || recovery.probesPending() > 0 ||
            receiveFlow.maxDataPending() || sendFlow.blockedFramePending() || messageFlow.grantsPending() ||
            outbound.blockedSignalPending())
        {
            return true;
        }
        if (isPmtuProbeDue(nowNs))
        {
            return true;
        }
        return recovery.bytesInFlight() < congestionControl.congestionWindow() && outbound.hasPending() &&
            !outbound.isFlowBlocked() && pacingAllows(nowNs);
    }

    /** @return whether the pacer lets new data (or a retransmission) go now. */
    private boolean pacingAllows(final long nowNs)
    {
        return pacer.canSend(
            nowNs, congestionControl.congestionWindow(), rtt.smoothedRttNs(), rtt.hasSample(),
            congestionControl.inSlowStart(), pmtu.datagramSize());
    }

    @Override
    public int writePacket(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final long packetNumber, final long nowNs)
    {
        if (state == CLOSE_PENDING)
        {
            return writeClose(buffer, offset, maxLength, nowNs);
        }
        if (closed || maxLength < 32)
        {
            return 0;
        }
        pmtuClockNs = nowNs;
        if (isPmtuProbeDue(nowNs) && maxLength + ConnectionSettings.PACKET_OVERHEAD >= pmtu.probeSize())
        {
            return writePmtuProbe(buffer, offset, maxLength, packetNumber, nowNs);
        }
        recovery.onTimer(nowNs);
        final boolean probing = recovery.probesPending() > 0;
        final boolean cwndOpen = probing ||
            (recovery.bytesInFlight() < congestionControl.congestionWindow() && pacingAllows(nowNs));
        final boolean ackDue = receivedPackets.isAckDue(nowNs);
        if (outbound.isFlowBlocked())
        {
            sendFlow.onBlocked();
        }
        final boolean controlPending = receiveFlow.maxDataPending() || sendFlow.blockedFramePending() ||
            messageFlow.grantsPending() || outbound.blockedSignalPending();
        final boolean dataPending = cwndOpen && outbound.hasPending() && !outbound.isFlowBlocked();
        if (!ackDue && !controlPending && !dataPending && !probing && !pingPending)
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
        if (messageFlow.grantsPending())
        {
            final int before = p;
            p = messageFlow.writeGrants(buffer, p, end);
            if (p != before)
            {
                control |= CONTROL_MAX_MESSAGE_DATA;
                ackEliciting = true;
            }
        }
        if (outbound.blockedSignalPending())
        {
            final int written = outbound.writeBlockedSignal(buffer, p, end);
            if (written > 0)
            {
                p += written;
                control |= CONTROL_MESSAGE_DATA_BLOCKED;
                ackEliciting = true;
            }
        }
        if (cwndOpen)
        {
            final int before = p;
            final long retransmittedBefore = outbound.fragmentsRetransmitted();
            p = outbound.write(buffer, p, end);
            ackEliciting |= p != before;
            if (p != before)
            {
                pacer.onPacketSent(p - offset + ConnectionSettings.PACKET_OVERHEAD);
            }
            if (outbound.fragmentsRetransmitted() != retransmittedBefore)
            {
                packetsRetransmitted++;
            }
        }
        if ((probing || pingPending) && !ackEliciting && p < end)
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
        if (ackEliciting)
        {
            pingPending = false;
            lastAckElicitingSentNs = nowNs;
        }
        recovery.onPacketSent(packetNumber, length + ConnectionSettings.PACKET_OVERHEAD, ackEliciting, control, nowNs);
        return length;
    }

    /**
     * A path MTU probe (PROTOCOL.md §5): PING then PADDING to exactly {@code maxLength}, so the datagram has the
     * probe's size. It is kept out of bytes in flight (sent as not ack-eliciting for loss recovery), so neither
     * the congestion window nor a loss of it touches congestion control; its fate reaches path MTU discovery
     * through the {@link SentPacketHandler#KIND_PMTU_PROBE} fragment it records.
     */
    private int writePmtuProbe(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final long packetNumber, final long nowNs)
    {
        if (!recovery.beginPacket(packetNumber))
        {
            return 0;
        }
        final int ping = FrameWriter.putPing(buffer, offset);
        buffer.setMemory(offset + ping, maxLength - ping, (byte)FrameType.PADDING);
        recovery.addFragment(KIND_PMTU_PROBE, 0, pmtu.probeSize(), 0);
        recovery.onPacketSent(packetNumber, maxLength + ConnectionSettings.PACKET_OVERHEAD, false, 0, nowNs);
        pmtu.onProbeSent(nowNs, PathMtuDiscovery.probeTimeoutNs(rtt.ptoNs(ConnectionSettings.MAX_ACK_DELAY_NS)));
        return maxLength;
    }

    private boolean isPmtuProbeDue(final long nowNs)
    {
        return state == OPEN && !closed && rtt.hasSample() && pmtu.isProbeDue(nowNs);
    }

    private int writeClose(final MutableDirectBuffer buffer, final int offset, final int maxLength, final long nowNs)
    {
        final int closeLength = FrameWriter.closeLength(closeErrorCode, 0);
        if (closeLength > maxLength)
        {
            return 0;
        }
        int p = offset;
        if (receivedPackets.hasNewSinceAck())
        {
            p += receivedPackets.writeAck(buffer, p, maxLength - closeLength, nowNs);
        }
        p += FrameWriter.putClose(buffer, p, closeErrorCode, null, 0, 0);
        closeFrameSent = true;
        finish(closeReason);
        return p - offset;
    }

    @Override
    public int writeCloseAgain(final MutableDirectBuffer buffer, final int offset, final int maxLength)
    {
        if (!closeFrameSent || FrameWriter.closeLength(closeErrorCode, 0) > maxLength)
        {
            return 0;
        }
        return FrameWriter.putClose(buffer, offset, closeErrorCode, null, 0, 0);
    }

    @Override
    public void onPacket(
        final DirectBuffer buffer, final int offset, final int length, final long packetNumber, final long nowNs)
    {
        final int result = receivePacket(buffer, offset, length, packetNumber, nowNs);
        if (result < 0 && !closed && state != CLOSE_PENDING)
        {
            if (-result == ErrorCode.MESSAGE_TOO_LARGE || packetsRejected > settings.maxRejectedPackets())
            {
                closeWithError(-result, CloseReason.PROTOCOL_ERROR, nowNs);
            }
        }
        checkGracefulCloseDone();
    }

    /**
     * Takes one opened data packet's plaintext ({@link #onPacket} without the close policy).
     *
     * @return 0 if accepted (or a duplicate, which is acknowledged again), or a negated
     * {@link ErrorCode} if rejected; a rejected packet changes nothing and is not acknowledged.
     */
    public int receivePacket(
        final DirectBuffer buffer, final int offset, final int length, final long packetNumber, final long nowNs)
    {
        if (closed)
        {
            return 0;
        }
        if (receivedPackets.isDuplicate(packetNumber))
        {
            onDuplicatePacket(nowNs);
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
        pmtuClockNs = nowNs;
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
        if (!closed)
        {
            receivedPackets.onPacketReceived(packetNumber, ackEliciting, nowNs);
            messageFlow.admit(inbound.base());
        }
        return result;
    }

    /**
     * A duplicate packet was dropped below this core (the replay window): acknowledge again at once,
     * so an ACK the peer lost is repaired.
     */
    @Override
    public void onDuplicatePacket(final long nowNs)
    {
        duplicatePackets++;
        if (!closed)
        {
            receivedPackets.onDuplicate(nowNs);
        }
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
                            // Only a message's first INITIAL_MAX_MESSAGE_DATA bytes count against MAX_DATA.
                            final long initial = ConnectionSettings.INITIAL_MAX_MESSAGE_DATA;
                            creditNeeded += Math.max(0, Math.min(end, initial) - Math.min(checkHighest[k], initial));
                            checkHighest[k] = end;
                        }
                        if (!receiveFlow.canReceive(creditNeeded))
                        {
                            return -ErrorCode.FLOW_CONTROL_ERROR;
                        }
                    }
                }
            }
            else if (type == FrameType.MAX_MESSAGE_DATA)
            {
                if (reader.messageId() >= outbound.nextMessageId())
                {
                    return -ErrorCode.PROTOCOL_VIOLATION; // credit for a message never sent
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
                outbound.onCreditRaised();
                return 0;
            case FrameType.DATA_BLOCKED:
                receiveFlow.onPeerBlocked(reader.limitValue());
                return 0;
            case FrameType.MESSAGE_CANCEL:
                return inbound.onCancel(reader.messageId(), reader.limitValue());
            case FrameType.MAX_MESSAGE_DATA:
                return outbound.onMaxMessageData(reader.messageId(), reader.limitValue());
            case FrameType.MESSAGE_DATA_BLOCKED:
                messageFlow.onPeerBlocked(reader.messageId(), reader.limitValue());
                return 0;
            case FrameType.CLOSE:
                finish(peerCloseReason(reader.closeErrorCode()));
                return 0;
            default:
                return inbound.onFragment(
                    reader.messageId(), reader.messageOrdered(), reader.messageSingle(), reader.messageOffset(),
                    reader.messageTotalLength(), buffer, reader.messageDataOffset(), reader.messageDataLength());
        }
    }

    /**
     * @return what a peer's CLOSE with {@code errorCode} means locally: {@code NO_ERROR} a graceful close,
     * protocol error codes a {@link CloseReason#PROTOCOL_ERROR} (this side broke the protocol, as the peer
     * saw it), anything else an abort.
     */
    public static CloseReason peerCloseReason(final long errorCode)
    {
        if (errorCode == ErrorCode.NO_ERROR)
        {
            return CloseReason.PEER_CLOSE;
        }
        if (errorCode >= ErrorCode.FRAME_ENCODING_ERROR && errorCode <= ErrorCode.MESSAGE_ID_ERROR)
        {
            return CloseReason.PROTOCOL_ERROR;
        }
        return CloseReason.PEER_ABORT;
    }

    @Override
    public void onTimer(final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (nowNs - lastReceiveNs >= settings.idleTimeoutNs())
        {
            finish(CloseReason.IDLE_TIMEOUT); // silent: the peer is gone or unreachable
            return;
        }
        if (nowNs - closeDeadlineNs >= 0)
        {
            if (state == CLOSE_PENDING)
            {
                finish(closeReason); // the close frame found no packet in time
            }
            else
            {
                closeWithError(ErrorCode.APPLICATION_ABORT, CloseReason.LOCAL_ABORT, nowNs);
            }
            return;
        }
        if (state == OPEN && nowNs - lastAckElicitingSentNs >= settings.keepAliveIntervalNs())
        {
            pingPending = true;
        }
        recovery.onTimer(nowNs);
        pmtuClockNs = nowNs;
        pmtu.onTimer(nowNs, recovery.ptoCount());
        followDatagramSize();
        pacingAllows(nowNs); // a pacing release that came due ends here, so the deadline moves on
    }

    @Override
    public long nextTimerDeadlineNs()
    {
        if (closed)
        {
            return Long.MAX_VALUE;
        }
        final long ackDeadlineNs = receivedPackets.ackDeadlineNs();
        // An immediate ACK reports Long.MIN_VALUE; any past time means "now" without overflowing callers' maths.
        long deadline = Math.min(recovery.timerDeadlineNs(), Long.MIN_VALUE == ackDeadlineNs ? lastReceiveNs : ackDeadlineNs);
        deadline = Math.min(deadline, lastReceiveNs + settings.idleTimeoutNs());
        deadline = Math.min(deadline, closeDeadlineNs);
        deadline = Math.min(deadline, pmtu.timerDeadlineNs());
        if (state == OPEN && !pingPending)
        {
            deadline = Math.min(deadline, lastAckElicitingSentNs + settings.keepAliveIntervalNs());
        }
        if (outbound.hasPending() && !outbound.isFlowBlocked() &&
            recovery.bytesInFlight() < congestionControl.congestionWindow())
        {
            deadline = Math.min(deadline, pacer.nextReleaseNs()); // data waits only on pacing
        }
        return deadline;
    }

    /** @return when {@link #onTimer} or {@link #writePacket} next has something to do ({@link #nextTimerDeadlineNs}). */
    public long nextDeadlineNs()
    {
        return nextTimerDeadlineNs();
    }

    /** @return whether nothing arrived from the peer for the idle timeout. */
    public boolean isIdle(final long nowNs)
    {
        return nowNs - lastReceiveNs >= settings.idleTimeoutNs();
    }

    @Override
    public long largestAcknowledgedPacket()
    {
        return recovery.largestAcked();
    }

    @Override
    public void close(final boolean abort, final long nowNs)
    {
        if (closed || state == CLOSE_PENDING)
        {
            return;
        }
        if (abort)
        {
            closeWithError(ErrorCode.APPLICATION_ABORT, CloseReason.LOCAL_ABORT, nowNs);
            return;
        }
        if (state == OPEN)
        {
            state = CLOSING;
            closeDeadlineNs = nowNs + settings.closeTimeoutNs();
            checkGracefulCloseDone();
        }
    }

    /**
     * Closes at once, releasing everything: no CLOSE frame, no event (for tests and callers that are done
     * with the core).
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            state = CLOSED;
            release();
        }
    }

    @Override
    public void onPacketsTransmitted(final long fromPacketNumber, final long sendNs)
    {
        if (!closed)
        {
            recovery.onPacketsTransmitted(fromPacketNumber, sendNs);
        }
    }

    @Override
    public void snapshotStats(final ConnectionCounters counters)
    {
        counters.smoothedRttNs(rtt.hasSample() ? rtt.smoothedRttNs() : 0);
        counters.minRttNs(rtt.hasSample() ? rtt.minRttNs() : 0);
        counters.congestionWindow(congestionControl.congestionWindow());
        counters.congestionControl(congestionControl.name());
        counters.bytesInFlight(recovery.bytesInFlight());
        counters.packetsLost(recovery.packetsLost());
        counters.packetsRetransmitted(packetsRetransmitted);
        counters.bytesUnacknowledged(outbound.unackedBytes());
        counters.packetsRefused(packetsRejected);
        counters.pathMtu(pmtu.datagramSize());
        counters.spuriousLosses(recovery.spuriousLosses());
        counters.congestionUndos(congestionControl.undoneEvents());
    }

    private void checkGracefulCloseDone()
    {
        if (state == CLOSING && outbound.outstandingMessages() == 0)
        {
            closeErrorCode = ErrorCode.NO_ERROR;
            closeReason = CloseReason.LOCAL_CLOSE;
            state = CLOSE_PENDING;
        }
    }

    /** Drops everything and sends CLOSE({@code errorCode}) in the next packet; then reports {@code reason}. */
    private void closeWithError(final int errorCode, final CloseReason reason, final long nowNs)
    {
        release();
        closeErrorCode = errorCode;
        closeReason = reason;
        state = CLOSE_PENDING;
        closeDeadlineNs = nowNs + settings.closeTimeoutNs();
    }

    private void finish(final CloseReason reason)
    {
        if (!closed)
        {
            closed = true;
            state = CLOSED;
            release();
            listener.onClosed(reason);
        }
    }

    private void release()
    {
        recovery.discardAll();
        outbound.discardAll();
        inbound.discardAll();
        messageFlow.discardAll();
    }

    @Override
    public void receivePaused(final boolean paused, final long nowNs)
    {
        if (closed || paused == inbound.isPaused())
        {
            return;
        }
        receiveFlow.freeze(paused);
        messageFlow.paused(paused);
        if (paused)
        {
            inbound.pause();
        }
        else
        {
            inbound.resume(); // delivers what was kept; a handler may pause again meanwhile
            if (!closed && !inbound.isPaused())
            {
                messageFlow.admit(inbound.base());
            }
        }
    }

    @Override
    public void receiveCreditCap(final long bytes)
    {
        receiveFlow.creditCap(bytes);
    }

    /** @return the per-message receive flow control (admissions, grants). */
    public MessageFlowControl messageFlow()
    {
        return messageFlow;
    }

    @Override
    public void onFragmentAcked(final int kind, final long messageId, final long offset, final int length)
    {
        if (KIND_PMTU_PROBE == kind)
        {
            pmtu.onProbeAcked((int)offset, pmtuClockNs);
            followDatagramSize();
            return;
        }
        outbound.onFragmentAcked(kind, messageId, offset, length);
    }

    @Override
    public void onFragmentLost(final int kind, final long messageId, final long offset, final int length)
    {
        if (KIND_PMTU_PROBE == kind)
        {
            pmtu.onProbeLost((int)offset, pmtuClockNs);
            return;
        }
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
        if ((controlFlags & CONTROL_MAX_MESSAGE_DATA) != 0)
        {
            messageFlow.onGrantsLost();
        }
    }

    @Override
    public void onPacketAcked(final long packetNumber, final int sizeBytes)
    {
        pmtu.onPacketAcked(packetNumber, sizeBytes);
    }

    @Override
    public void onPacketLost(final long packetNumber, final int sizeBytes, final long nowNs)
    {
        pmtu.onPacketLost(packetNumber, sizeBytes, nowNs);
        followDatagramSize();
    }

    @Override
    public int datagramSize()
    {
        return pmtu.datagramSize();
    }

    @Override
    public int nextDatagramSize(final long nowNs)
    {
        return isPmtuProbeDue(nowNs) ? pmtu.probeSize() : pmtu.datagramSize();
    }

    @Override
    public void limitDatagramSize(final int bytes)
    {
        pmtu.limitMaxDatagramSize(bytes);
        followDatagramSize();
    }

    @Override
    public void onDatagramTooLarge(final int datagramSize, final long nowNs)
    {
        if (!closed)
        {
            pmtu.onDatagramTooLarge(datagramSize, nowNs);
            followDatagramSize();
        }
    }

    /** @return path MTU discovery (current datagram size, probes, black holes). */
    public PathMtuDiscovery pathMtuDiscovery()
    {
        return pmtu;
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

    /** @return the pacer of new data. */
    public Pacer pacer()
    {
        return pacer;
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

    /**
     * @return the peer's message id of the message being delivered ({@link ConnectionCoreListener#onMessage}
     * in progress) or last delivered; for tests and diagnostics.
     */
    public long deliveringMessageId()
    {
        return deliveringMessageId;
    }

    /** @return packets that carried retransmitted message data. */
    public long packetsRetransmitted()
    {
        return packetsRetransmitted;
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
