/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.nio.ByteOrder;

import dev.salvo.CloseReason;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.packet.DataPacketDescriptor;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A deliberately minimal {@link ConnectionCore}: one whole message per packet, no retransmission, no
 * congestion control. It exists so the transport's I/O thread, API and tests run end to end before the
 * reliable core (frames, ACK ranges, RFC 9002 recovery, fragmentation) is plugged in through the same
 * interface. Messages may be lost on a lossy path; on loopback they are not.
 *
 * <p>Plaintext of every packet (not a specified wire format; the reliable core replaces it):
 * <pre>
 *   0  kind: 0 DATA, 1 ACK, 2 PING, 3 CLOSE, 4 ABORT
 *   1  largest packet number received from the peer (int64 big-endian, -1 for none)
 *   9  DATA only: the message
 * </pre>
 * Acknowledgement is cumulative and approximate: a message counts as acknowledged when the peer reports a
 * packet number at or above the one that carried it. DATA and PING elicit an ACK. Keep-alive: a PING after
 * {@link TransportConfig#keepAliveIntervalNs()} without sending; idle timeout after
 * {@link TransportConfig#idleTimeoutNs()} without receiving. Graceful close waits until every message was
 * acknowledged (or the transport's close timeout passed), then sends CLOSE.
 */
public final class DatagramCore implements ConnectionCore
{
    /** Factory of stub cores: messages up to one packet. */
    public static final ConnectionCoreFactory FACTORY = new ConnectionCoreFactory()
    {
        @Override
        public ConnectionCore newCore(
            final TransportConfig config, final boolean initiator, final ConnectionCoreListener listener, final long nowNs)
        {
            return new DatagramCore(config, initiator, listener, nowNs);
        }

        @Override
        public long maxMessageLength(final TransportConfig config)
        {
            return DatagramCore.maxMessageLength(config);
        }
    };

    static final byte KIND_DATA = 0;
    static final byte KIND_ACK = 1;
    static final byte KIND_PING = 2;
    static final byte KIND_CLOSE = 3;
    static final byte KIND_ABORT = 4;
    static final int HEADER_LENGTH = 9;
    private static final int MAX_IN_FLIGHT = 128; // small: the stub has no congestion control
    private static final int QUEUE_CAPACITY = 64 * 1024;
    private static final int QUEUE_RECORD_TYPE = 1;

    private final ConnectionCoreListener listener;
    private final long idleTimeoutNs;
    private final long keepAliveIntervalNs;
    private final long closeTimeoutNs;
    private final OneToOneRingBuffer sendQueue;
    private final UnsafeBuffer assembly;
    private final long[] inFlightPacketNumbers = new long[MAX_IN_FLIGHT];
    private final long[] inFlightMessageIds = new long[MAX_IN_FLIGHT];
    private final int[] inFlightLengths = new int[MAX_IN_FLIGHT];
    private final MessageHandler copyToPacket = this::copyToPacket;
    private int inFlightHead;
    private int inFlightCount;
    private long inFlightBytes;
    private int assemblyLength;
    private long largestReceived = -1;
    private long largestAcknowledged = -1;
    private long largestWritten = -1;
    private long lastReceiveNs;
    private long lastSendNs;
    private long closeDeadlineNs = Long.MAX_VALUE;
    private boolean ackPending;
    private boolean pingPending;
    private boolean closing;
    private boolean abortPending;
    private boolean closed;
    private long malformed;

    private MutableDirectBuffer packetBuffer;
    private int packetOffset;
    private long packetNumber;
    private int copiedLength;

    DatagramCore(
        final TransportConfig config, final boolean initiator, final ConnectionCoreListener listener, final long nowNs)
    {
        this.listener = listener;
        this.idleTimeoutNs = config.idleTimeoutNs();
        this.keepAliveIntervalNs = config.keepAliveIntervalNs();
        this.closeTimeoutNs = config.closeTimeoutNs();
        this.sendQueue = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(QUEUE_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        this.assembly = new UnsafeBuffer(new byte[(int)maxMessageLength(config)]);
        this.lastReceiveNs = nowNs;
        this.lastSendNs = nowNs;
        this.pingPending = initiator; // confirms the responder's session at once
    }

    /**
     * @param config transport settings.
     * @return the longest message that fits one packet of {@link TransportConfig#maxDatagramSize()}.
     */
    public static long maxMessageLength(final TransportConfig config)
    {
        return config.maxDatagramSize() - DataPacketDescriptor.MAX_HEADER_LENGTH - DataPacketDescriptor.TAG_LENGTH -
            HEADER_LENGTH;
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
        if (closing || closed)
        {
            return OFFER_ACCEPTED; // dropped: nothing is offered after close
        }
        if ((flags & FLAG_BEGIN) != 0)
        {
            assemblyLength = 0;
        }
        if (assemblyLength + length > assembly.capacity())
        {
            throw new IllegalArgumentException("message longer than " + assembly.capacity());
        }
        if ((flags & FLAG_END) == 0)
        {
            assembly.putBytes(assemblyLength, buffer, offset, length);
            assemblyLength += length;
            return OFFER_ACCEPTED;
        }
        final int index = sendQueue.tryClaim(QUEUE_RECORD_TYPE, 8 + assemblyLength + length);
        if (index < 0)
        {
            return OFFER_FULL;
        }
        final UnsafeBuffer queue = (UnsafeBuffer)sendQueue.buffer();
        queue.putLong(index, messageId);
        queue.putBytes(index + 8, assembly, 0, assemblyLength);
        queue.putBytes(index + 8 + assemblyLength, buffer, offset, length);
        sendQueue.commit(index);
        assemblyLength = 0;
        return OFFER_ACCEPTED;
    }

    @Override
    public boolean hasDataToSend(final long nowNs)
    {
        return !closed && (abortPending || ackPending || pingPending || hasMessageToSend() || isCloseDue(nowNs));
    }

    private boolean hasMessageToSend()
    {
        return inFlightCount < MAX_IN_FLIGHT && sendQueue.size() > 0;
    }

    private boolean isCloseDue(final long nowNs)
    {
        return closing && ((0 == sendQueue.size() && 0 == inFlightCount) || nowNs - closeDeadlineNs >= 0);
    }

    @Override
    public int writePacket(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final long packetNumber, final long nowNs)
    {
        if (closed || maxLength < HEADER_LENGTH)
        {
            return 0;
        }
        final int length;
        if (abortPending)
        {
            length = writeControl(buffer, offset, KIND_ABORT);
            finish(CloseReason.LOCAL_ABORT);
        }
        else if (hasMessageToSend() && copyNextMessage(buffer, offset, packetNumber))
        {
            length = copiedLength;
            ackPending = false;
            pingPending = false;
        }
        else if (ackPending || pingPending)
        {
            length = writeControl(buffer, offset, pingPending ? KIND_PING : KIND_ACK);
            ackPending = false;
            pingPending = false;
        }
        else if (isCloseDue(nowNs))
        {
            length = writeControl(buffer, offset, KIND_CLOSE);
            finish(CloseReason.LOCAL_CLOSE);
        }
        else
        {
            return 0;
        }
        largestWritten = packetNumber;
        lastSendNs = nowNs;
        return length;
    }

    private boolean copyNextMessage(final MutableDirectBuffer buffer, final int offset, final long packetNumber)
    {
        packetBuffer = buffer;
        packetOffset = offset;
        this.packetNumber = packetNumber;
        // A read that meets the padding record at the end of the ring consumes it and returns no message
        // (size() counted the padding): read again from the start of the ring.
        final boolean copied = sendQueue.read(copyToPacket, 1) > 0 || sendQueue.read(copyToPacket, 1) > 0;
        packetBuffer = null;
        return copied;
    }

    private void copyToPacket(final int msgTypeId, final MutableDirectBuffer queue, final int index, final int length)
    {
        final int messageLength = length - 8;
        packetBuffer.putByte(packetOffset, KIND_DATA);
        packetBuffer.putLong(packetOffset + 1, largestReceived, ByteOrder.BIG_ENDIAN);
        packetBuffer.putBytes(packetOffset + HEADER_LENGTH, queue, index + 8, messageLength);
        final int slot = (inFlightHead + inFlightCount) % MAX_IN_FLIGHT;
        inFlightPacketNumbers[slot] = packetNumber;
        inFlightMessageIds[slot] = queue.getLong(index);
        inFlightLengths[slot] = messageLength;
        inFlightCount++;
        inFlightBytes += messageLength;
        copiedLength = HEADER_LENGTH + messageLength;
    }

    private int writeControl(final MutableDirectBuffer buffer, final int offset, final byte kind)
    {
        buffer.putByte(offset, kind);
        buffer.putLong(offset + 1, largestReceived, ByteOrder.BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    @Override
    public void onPacket(
        final DirectBuffer buffer, final int offset, final int length, final long packetNumber, final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (length < HEADER_LENGTH)
        {
            malformed++;
            return;
        }
        lastReceiveNs = nowNs;
        if (packetNumber > largestReceived)
        {
            largestReceived = packetNumber;
        }
        final long acknowledged = buffer.getLong(offset + 1, ByteOrder.BIG_ENDIAN);
        if (acknowledged > largestWritten)
        {
            finish(CloseReason.PROTOCOL_ERROR); // acknowledges a packet never sent
            return;
        }
        if (acknowledged > largestAcknowledged)
        {
            largestAcknowledged = acknowledged;
            while (inFlightCount > 0 && inFlightPacketNumbers[inFlightHead] <= acknowledged)
            {
                final long messageId = inFlightMessageIds[inFlightHead];
                inFlightBytes -= inFlightLengths[inFlightHead];
                inFlightHead = (inFlightHead + 1) % MAX_IN_FLIGHT;
                inFlightCount--;
                listener.onMessageAcknowledged(messageId);
            }
        }
        switch (buffer.getByte(offset))
        {
            case KIND_DATA:
                ackPending = true;
                listener.onMessage(buffer, offset + HEADER_LENGTH, length - HEADER_LENGTH);
                break;
            case KIND_PING:
                ackPending = true;
                break;
            case KIND_ACK:
                break;
            case KIND_CLOSE:
                finish(CloseReason.PEER_CLOSE);
                break;
            case KIND_ABORT:
                finish(CloseReason.PEER_ABORT);
                break;
            default:
                malformed++;
                break;
        }
    }

    @Override
    public long largestAcknowledgedPacket()
    {
        return largestAcknowledged;
    }

    @Override
    public long nextTimerDeadlineNs()
    {
        if (closed)
        {
            return Long.MAX_VALUE;
        }
        return Math.min(Math.min(lastReceiveNs + idleTimeoutNs, lastSendNs + keepAliveIntervalNs), closeDeadlineNs);
    }

    @Override
    public void onTimer(final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (nowNs - (lastReceiveNs + idleTimeoutNs) >= 0)
        {
            finish(CloseReason.IDLE_TIMEOUT);
        }
        else if (nowNs - (lastSendNs + keepAliveIntervalNs) >= 0)
        {
            pingPending = true;
        }
    }

    @Override
    public void close(final boolean abort, final long nowNs)
    {
        if (closed)
        {
            return;
        }
        if (abort)
        {
            abortPending = true;
        }
        else if (!closing)
        {
            closing = true;
            closeDeadlineNs = nowNs + closeTimeoutNs;
        }
    }

    @Override
    public void snapshotStats(final ConnectionCounters counters)
    {
        counters.bytesInFlight(inFlightBytes);
    }

    /** @return packets whose plaintext this stub could not parse. */
    long malformed()
    {
        return malformed;
    }

    private void finish(final CloseReason reason)
    {
        if (!closed)
        {
            closed = true;
            listener.onClosed(reason);
        }
    }
}
