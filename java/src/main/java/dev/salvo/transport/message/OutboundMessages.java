/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import dev.salvo.transport.flow.SendFlowControl;
import dev.salvo.transport.frame.FrameType;
import dev.salvo.transport.frame.FrameWriter;
import dev.salvo.transport.frame.VarInt;
import dev.salvo.transport.recovery.LossRecovery;
import dev.salvo.transport.recovery.SentPacketHandler;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sender side of messages: accepts messages (copied into pooled buffers, whole or chunk by chunk), cuts
 * them into MESSAGE fragments that fit the space a packet offers, tracks acknowledged byte ranges per
 * message, and re-queues lost ranges ahead of new data.
 *
 * <p>New data is scheduled round-robin over the messages that have unsent bytes, one fragment per message
 * per turn, so a small message is never held behind a large one (no head-of-line blocking at the sender).
 * A message handed over in chunks ({@link #begin} then {@link #append}) is sent as its bytes arrive.
 *
 * <p>Message ids are sequential from 0. At most {@code messageIdWindow} messages are outstanding
 * (accepted and not yet acknowledged or cancel-confirmed), matching the receiver's duplicate window,
 * and at most {@code sendBufferLimit} unacknowledged bytes (a single message larger than the limit
 * is accepted when nothing else is outstanding). Beyond either, {@link #send} reports
 * {@link #FULL}: back-pressure.
 *
 * <p>Small messages (at most {@code sendBufferLimit / }{@link #SMALL_MESSAGE_RESERVE_DIVISOR} bytes) may
 * also use a reserve of that many bytes kept for them alone, so a large message filling the limit (or one
 * larger than the limit, outstanding alone) does not hold small ones back until it is acknowledged. Memory
 * held is therefore at most max(limit, largest message) plus the reserve.

 * <p>Per-message flow control: a message is sent only up to its limit, {@code min(length,
 * initialMessageData)} until the peer raises it with MAX_MESSAGE_DATA (a message that reaches its limit
 * waits off the round-robin queue and owes one MESSAGE_DATA_BLOCKED). At most {@code maxUngrantedStarted}
 * messages are partly sent without their grant at a time (others wait to start), and a message starts only
 * when the connection credit not yet kept for started messages carries it to its limit (the credit a
 * started message needs up to its limit is then kept for it): so connection credit is never spread over
 * parts of messages none of which can complete.
 */
public final class OutboundMessages implements SentPacketHandler
{
    /** {@link #send} result: the connection holds as much unacknowledged data as allowed; retry later. */
    public static final long FULL = -1;

    /** The small-message reserve is the send buffer limit divided by this (see the class comment). */
    public static final int SMALL_MESSAGE_RESERVE_DIVISOR = 16;

    /**
     * Most small messages (at most the initial per-message credit, so granted from the start) partly sent at
     * a time. Fragments go round-robin over the messages in progress; without a bound a backlog of thousands
     * of small messages would all be in progress at once and every one of them would complete only at the
     * end of the backlog (measured: 64 KiB messages delivered 1–18 s after their first byte). Larger messages
     * are bounded separately (maxUngrantedStarted), so small messages never wait behind large ones.
     */
    public static final int MAX_SMALL_IN_PROGRESS = 8;

    private static final int FREE = 0;
    private static final int ACTIVE = 1;
    private static final int CANCELLING = 2;

    /** Fragments shorter than this are not started at the end of a packet (they would waste a header). */
    private static final int MIN_FRAGMENT = 16;

    private static final class Message
    {
        long id = -1;
        long handle;
        int state = FREE;
        boolean ordered;
        boolean queued;
        UnsafeBuffer buffer;
        int length;
        int filled;
        int nextNewOffset;
        boolean firstSendDone;
        boolean zeroLengthAcked;
        long limit;
        boolean granted;
        boolean committed;
        boolean deferred;
        boolean blockedSignalled;
        final RangeSet acked = new RangeSet();
    }

    private final Message[] slots;
    private Message[] spare = new Message[16];
    private int spareCount;
    private final int slotMask;
    private final BufferPool pool;
    private final long sendBufferLimit;
    private final int maxMessageSize;
    private final MessageAckHandler ackHandler;

    private LossRecovery recovery;
    private final SendFlowControl flow;

    private long nextMessageId;
    private long oldestMessageId;
    private long unackedBytes;
    private final long smallMessageReserve;
    private long smallUnackedBytes;
    private Message appending;

    // Ids of messages with unsent new data, round-robin (FIFO ring; an id at most once; stale ids of
    // cancelled messages are skipped when reached).
    private long[] newDataQueue;
    private int newDataMask;
    private long newDataHead;
    private long newDataTail;

    // Retransmission queue (FIFO ring): kind, message id, offset, length.
    private int retransmitMask = 255;
    private byte[] rtKind = new byte[256];
    private long[] rtMessageId = new long[256];
    private long[] rtOffset = new long[256];
    private int[] rtLength = new int[256];
    private long rtHead;
    private long rtTail;

    private final long initialMessageData;
    private final int maxUngrantedStarted;
    private int ungrantedStarted;
    private int smallInProgress;
    private final LongFifo progressWaiters = new LongFifo(16);
    private long commitment;
    private final LongFifo startWaiters = new LongFifo(16);
    private final LongFifo creditWaiters = new LongFifo(16);
    private long blockedSignalId = -1;
    private long blockedSignalLimit;
    private boolean blockedSignalPending;
    private long messageBlockedCount;

    private long messagesAcked;
    private long bytesRetransmitted;
    private long fragmentsRetransmitted;

    /**
     * @param messageIdWindow power of two: most outstanding messages (must equal the peer's window).
     * @param sendBufferLimit most unacknowledged bytes held.
     * @param maxMessageSize  largest message accepted.
     */
    public OutboundMessages(
        final int messageIdWindow,
        final long sendBufferLimit,
        final int maxMessageSize,
        final BufferPool pool,
        final SendFlowControl flow,
        final MessageAckHandler ackHandler)
    {
        this(messageIdWindow, sendBufferLimit, maxMessageSize, pool, flow, ackHandler, Long.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * @param messageIdWindow     power of two: most outstanding messages (must equal the peer's window).
     * @param sendBufferLimit     most unacknowledged bytes held.
     * @param maxMessageSize      largest message accepted.
     * @param initialMessageData  bytes of a message sendable before a MAX_MESSAGE_DATA grant (protocol constant).
     * @param maxUngrantedStarted most messages partly sent while waiting for their grant.
     */
    public OutboundMessages(
        final int messageIdWindow,
        final long sendBufferLimit,
        final int maxMessageSize,
        final BufferPool pool,
        final SendFlowControl flow,
        final MessageAckHandler ackHandler,
        final long initialMessageData,
        final int maxUngrantedStarted)
    {
        this.initialMessageData = initialMessageData;
        this.maxUngrantedStarted = maxUngrantedStarted;
        if (Integer.bitCount(messageIdWindow) != 1)
        {
            throw new IllegalArgumentException("messageIdWindow must be a power of two: " + messageIdWindow);
        }
        this.slots = new Message[messageIdWindow];
        this.slotMask = messageIdWindow - 1;
        this.newDataQueue = new long[messageIdWindow];
        this.newDataMask = messageIdWindow - 1;
        this.sendBufferLimit = sendBufferLimit;
        this.smallMessageReserve = sendBufferLimit / SMALL_MESSAGE_RESERVE_DIVISOR;
        this.maxMessageSize = maxMessageSize;
        this.pool = pool;
        this.flow = flow;
        this.ackHandler = ackHandler;
    }

    /** Connects the loss recovery that tracks the packets carrying this side's fragments. */
    public void recovery(final LossRecovery recovery)
    {
        this.recovery = recovery;
    }

    /**
     * Accepts a whole message for sending; the bytes are copied. Its handle (reported on acknowledgement)
     * is its message id.
     *
     * @return its message id, or {@link #FULL}.
     * @throws IllegalArgumentException if longer than the maximum message size.
     */
    public long send(final DirectBuffer source, final int offset, final int length, final boolean ordered)
    {
        final long id = begin(nextMessageId, length, ordered);
        if (id != FULL)
        {
            append(source, offset, length);
        }
        return id;
    }

    /**
     * Starts a message whose bytes follow through {@link #append}; its buffer ({@code length} bytes) is taken
     * now, so later chunks are always accepted. Fragments go out as the bytes arrive. At most one message is
     * being appended at a time: the next {@code begin} ends the previous one's appending.
     *
     * @param handle  reported to the {@link MessageAckHandler} when every byte is acknowledged.
     * @param length  the whole message's length.
     * @param ordered whether the receiver delivers it only after every lower message id.
     * @return its message id (on the wire), or {@link #FULL} (nothing taken).
     * @throws IllegalArgumentException if longer than the maximum message size.
     */
    public long begin(final long handle, final long length, final boolean ordered)
    {
        if (length < 0 || length > maxMessageSize)
        {
            throw new IllegalArgumentException("message length " + length + " outside [0, " + maxMessageSize + "]");
        }
        if (nextMessageId - oldestMessageId > slotMask)
        {
            return FULL;
        }
        final boolean small = length <= smallMessageReserve;
        if (unackedBytes > 0 && unackedBytes + length > sendBufferLimit &&
            !(small && smallUnackedBytes + length <= smallMessageReserve))
        {
            return FULL;
        }
        final long id = nextMessageId++;
        final int index = (int)(id & slotMask);
        // From a free list, not one object per slot: memory follows the messages outstanding, not the window.
        final Message m = spareCount > 0 ? spare[--spareCount] : new Message();
        slots[index] = m;
        m.id = id;
        m.handle = handle;
        m.state = ACTIVE;
        m.ordered = ordered;
        m.queued = false;
        m.length = (int)length;
        m.filled = 0;
        m.nextNewOffset = 0;
        m.firstSendDone = false;
        m.zeroLengthAcked = false;
        m.limit = Math.min(length, initialMessageData);
        m.granted = length <= initialMessageData;
        m.committed = false;
        m.deferred = false;
        m.blockedSignalled = false;
        m.acked.clear();
        m.buffer = length > 0 ? pool.acquire((int)length) : null;
        unackedBytes += length;
        if (small)
        {
            smallUnackedBytes += length;
        }
        appending = m;
        if (length == 0)
        {
            enqueueNewData(m);
        }
        return id;
    }

    /**
     * Appends the next bytes of the message last {@link #begin begun}.
     *
     * @throws IllegalStateException if no message is being appended or the bytes exceed its length.
     */
    public void append(final DirectBuffer source, final int offset, final int length)
    {
        final Message m = appending;
        if (m == null || m.state != ACTIVE || length > m.length - m.filled)
        {
            throw new IllegalStateException("no message being appended, or more bytes than announced");
        }
        if (length > 0)
        {
            m.buffer.putBytes(m.filled, source, offset, length);
            m.filled += length;
            enqueueNewData(m);
        }
        if (m.filled == m.length)
        {
            appending = null;
        }
    }

    private void enqueueNewData(final Message m)
    {
        if (!m.queued)
        {
            m.queued = true;
            pushNewData(m.id);
        }
    }

    private void pushNewData(final long id)
    {
        if (newDataTail - newDataHead > newDataMask)
        {
            final int capacity = (newDataMask + 1) * 2;
            final long[] grown = new long[capacity];
            for (long i = newDataHead; i < newDataTail; i++)
            {
                grown[(int)(i & (capacity - 1))] = newDataQueue[(int)(i & newDataMask)];
            }
            newDataQueue = grown;
            newDataMask = capacity - 1;
        }
        newDataQueue[(int)(newDataTail++ & newDataMask)] = id;
    }

    /** @return the message whose id heads the new-data queue, dropping entries that have nothing to send. */
    private Message headOfNewData()
    {
        while (newDataHead != newDataTail)
        {
            final long id = newDataQueue[(int)(newDataHead & newDataMask)];
            final Message m = slots[(int)(id & slotMask)];
            if (m != null && m.id == id)
            {
                if (hasUnsent(m))
                {
                    if (mayStart(m))
                    {
                        return m;
                    }
                    if (isSmallUnstarted(m) && smallInProgress >= MAX_SMALL_IN_PROGRESS)
                    {
                        waitForProgressSlot(m);
                    }
                    else
                    {
                        defer(m);
                    }
                }
                m.queued = false;
            }
            newDataHead++;
        }
        return null;
    }

    private boolean mayStart(final Message m)
    {
        if (isSmallUnstarted(m) && smallInProgress >= MAX_SMALL_IN_PROGRESS)
        {
            return false;
        }
        return m.nextNewOffset < m.limit || (m.length == 0 && !m.firstSendDone) ?
            m.granted || m.nextNewOffset > 0 || ungrantedStarted < maxUngrantedStarted : false;
    }

    /** @return whether {@code m} is a small message (granted whole from the start) that has sent nothing yet. */
    private boolean isSmallUnstarted(final Message m)
    {
        return m.nextNewOffset == 0 && m.length > 0 && m.length <= initialMessageData;
    }

    /** A small message waits for one of the {@link #MAX_SMALL_IN_PROGRESS} to finish (FIFO). */
    private void waitForProgressSlot(final Message m)
    {
        m.deferred = true;
        progressWaiters.push(m.id);
    }

    /** A small message in progress sent its last byte or ended: the next waiting one may start. */
    private void onSmallProgressDone()
    {
        smallInProgress--;
        wakeProgressWaiter();
    }

    /**
     * Lets the oldest small message waiting for a slot back into the queue, if a slot is free. Called whenever a
     * small message finishes sending (in one fragment or several) or is cancelled unstarted, so the chain of
     * wake-ups never breaks: a woken message that finds the slots taken again waits again, and whoever took the
     * slot wakes the next when it finishes.
     */
    private void wakeProgressWaiter()
    {
        if (smallInProgress < MAX_SMALL_IN_PROGRESS)
        {
            wakeOne(progressWaiters);
        }
    }

    /** Puts the oldest message still waiting in {@code waiters} back in the queue (skipping ended ones). */
    private void wakeOne(final LongFifo waiters)
    {
        while (!waiters.isEmpty())
        {
            final Message m = active(waiters.pop());
            if (m != null && m.deferred)
            {
                m.deferred = false;
                enqueueNewData(m);
                return;
            }
        }
    }

    /** Takes a message that may not send now off the round-robin queue until its grant (or its turn to start). */
    private void defer(final Message m)
    {
        m.deferred = true;
        if (m.nextNewOffset == 0 && m.nextNewOffset < m.limit)
        {
            startWaiters.push(m.id);
        }
        else if (!m.blockedSignalled)
        {
            m.blockedSignalled = true;
            messageBlockedCount++;
            blockedSignalId = m.id;
            blockedSignalLimit = m.limit;
            blockedSignalPending = true;
        }
    }

    /** A partly sent ungranted message got its grant or ended: let the next waiting message start. */
    private void onUngrantedStartedDone()
    {
        ungrantedStarted--;
        wakeOne(startWaiters);
    }

    /**
     * The peer raised message {@code messageId}'s limit (MAX_MESSAGE_DATA). Smaller values than the current
     * limit, values beyond the message's length and grants for messages already finished change nothing.
     *
     * @return 0, or a negated {@link dev.salvo.transport.frame.ErrorCode} for a message id never sent.
     */
    public int onMaxMessageData(final long messageId, final long limit)
    {
        if (messageId >= nextMessageId)
        {
            return -dev.salvo.transport.frame.ErrorCode.PROTOCOL_VIOLATION;
        }
        final Message m = active(messageId);
        if (m == null || limit <= m.limit)
        {
            return 0;
        }
        m.limit = Math.min(limit, m.length);
        m.blockedSignalled = false;
        if (!m.granted && m.limit == m.length)
        {
            m.granted = true;
            if (m.nextNewOffset > 0)
            {
                onUngrantedStartedDone();
            }
        }
        if (m.deferred && m.nextNewOffset < m.limit)
        {
            m.deferred = false;
            enqueueNewData(m);
        }
        return 0;
    }

    /** @return whether a MESSAGE_DATA_BLOCKED frame is owed. */
    public boolean blockedSignalPending()
    {
        return blockedSignalPending;
    }

    /**
     * Writes the owed MESSAGE_DATA_BLOCKED frame if it fits.
     *
     * @return bytes written (0 if none).
     */
    public int writeBlockedSignal(final MutableDirectBuffer buffer, final int position, final int end)
    {
        if (!blockedSignalPending ||
            FrameWriter.messageLimitFrameLength(blockedSignalId, blockedSignalLimit) > end - position)
        {
            return 0;
        }
        blockedSignalPending = false;
        return FrameWriter.putMessageDataBlocked(buffer, position, blockedSignalId, blockedSignalLimit);
    }

    /** @return times a message reached its per-message limit and had to wait for a grant. */
    public long messageBlockedCount()
    {
        return messageBlockedCount;
    }

    /** @return bytes started messages may still send up to their limits (connection credit kept for them). */
    public long commitment()
    {
        return commitment;
    }

    /**
     * Abandons a message that is not yet fully acknowledged: it is never retransmitted, the peer is
     * told with MESSAGE_CANCEL, and packets that carried only it leave the flight.
     *
     * @return true if the message was outstanding.
     */
    public boolean cancel(final long messageId)
    {
        final Message m = active(messageId);
        if (m == null)
        {
            return false;
        }
        final long released = m.length - m.acked.covered();
        unackedBytes -= released;
        if (m.length <= smallMessageReserve)
        {
            smallUnackedBytes -= released;
        }
        releaseBuffer(m);
        if (m.committed)
        {
            commitment -= Math.max(0, Math.min(m.length, initialMessageData) - m.nextNewOffset);
            onCreditRaised();
        }
        if (!m.granted && m.nextNewOffset > 0)
        {
            onUngrantedStartedDone();
        }
        if (m.length <= initialMessageData && m.nextNewOffset > 0 && m.nextNewOffset < m.length)
        {
            onSmallProgressDone();
        }
        else if (m.length <= initialMessageData && m.nextNewOffset == 0)
        {
            wakeProgressWaiter(); // it may have been woken and queued: pass the wake-up on
        }
        m.state = CANCELLING;
        if (appending == m)
        {
            appending = null;
        }
        recovery.abandonMessage(messageId);
        enqueueRetransmit(KIND_CANCEL, messageId, m.nextNewOffset, 0);
        return true;
    }

    /** @return whether there is anything to send: retransmissions, cancels or new data (ignoring flow control). */
    public boolean hasPending()
    {
        return rtHead != rtTail || hasNewData();
    }

    /** @return whether new data waits only on the peer's MAX_DATA. */
    public boolean isFlowBlocked()
    {
        return rtHead == rtTail && !creditWaiters.isEmpty() && !hasNewData();
    }

    private boolean hasNewData()
    {
        return headOfNewData() != null;
    }

    private static boolean hasUnsent(final Message m)
    {
        return m.state == ACTIVE && (m.nextNewOffset < m.filled || (m.length == 0 && !m.firstSendDone));
    }

    /**
     * Writes retransmissions, then new data, into {@code [position, end)} of a packet being built,
     * recording each fragment with loss recovery.
     *
     * @return the new position.
     */
    public int write(final MutableDirectBuffer buffer, final int position, final int end)
    {
        packetClosed = false;
        int p = writeRetransmissions(buffer, position, end);
        if (rtHead == rtTail && !packetClosed)
        {
            p = writeNewData(buffer, p, end);
        }
        return p;
    }

    private int writeRetransmissions(final MutableDirectBuffer buffer, final int position, final int end)
    {
        int p = position;
        while (rtHead != rtTail)
        {
            final int q = (int)(rtHead & retransmitMask);
            final long id = rtMessageId[q];
            final Message m = slots[(int)(id & slotMask)];
            if (rtKind[q] == KIND_CANCEL)
            {
                if (m == null || m.id != id || m.state != CANCELLING)
                {
                    rtHead++;
                    continue;
                }
                final int needed = FrameWriter.cancelLength(id, rtOffset[q]);
                if (needed > end - p)
                {
                    return p;
                }
                p += FrameWriter.putCancel(buffer, p, id, rtOffset[q]);
                recovery.addFragment(KIND_CANCEL, id, rtOffset[q], 0);
                rtHead++;
                continue;
            }
            if (m == null || m.id != id || m.state != ACTIVE)
            {
                rtHead++;
                continue;
            }
            final long entryEnd = rtOffset[q] + rtLength[q];
            final long start = m.acked.firstMissing(rtOffset[q]);
            if (start >= entryEnd && !(m.length == 0 && !m.zeroLengthAcked))
            {
                rtHead++;
                continue;
            }
            final long stop = Math.min(entryEnd, m.acked.nextCovered(start));
            final int written = writeFragment(buffer, p, end, m, (int)start, (int)(stop - start));
            if (written < 0)
            {
                return p;
            }
            fragmentsRetransmitted++;
            bytesRetransmitted += written;
            p = lastFragmentEnd;
            final long sentEnd = start + written;
            if (sentEnd >= entryEnd)
            {
                rtHead++;
            }
            else
            {
                rtLength[q] = (int)(entryEnd - sentEnd);
                rtOffset[q] = sentEnd;
            }
            if (packetClosed)
            {
                return p;
            }
        }
        return p;
    }

    private int writeNewData(final MutableDirectBuffer buffer, final int position, final int end)
    {
        int p = position;
        Message m;
        while ((m = headOfNewData()) != null)
        {
            final int remaining = (int)Math.min(m.filled, m.limit) - m.nextNewOffset;
            // Only a message's first initialMessageData bytes draw on MAX_DATA; beyond, its own limit is the credit.
            final long counted = Math.max(0, Math.min(m.length, initialMessageData) - m.nextNewOffset);
            if (!m.committed)
            {
                // A message starts only when the credit not already kept for started messages carries its
                // counted part to the end: MAX_DATA is never stranded in parts of messages that cannot complete.
                if (flow.available() - commitment < counted)
                {
                    waitForCredit(m);
                    continue;
                }
                m.committed = true;
                commitment += counted;
            }
            long allowed = remaining;
            if (counted > 0)
            {
                final long credit = flow.available();
                if (remaining > 0 && credit <= 0)
                {
                    waitForCredit(m);
                    continue;
                }
                // With credit for the whole counted part, a fragment may run on past it (no extra frame header).
                allowed = credit >= counted ? allowed : Math.min(allowed, credit);
            }
            final int space = end - p;
            final int written = writeFragment(buffer, p, end, m, m.nextNewOffset, (int)allowed);
            if (written < 0)
            {
                return p;
            }
            p = lastFragmentEnd;
            final long countedWritten = Math.min(written, counted);
            commitment -= countedWritten;
            if (!m.granted && m.nextNewOffset == 0 && written > 0)
            {
                ungrantedStarted++;
            }
            final boolean small = m.length <= initialMessageData;
            final boolean wasInProgress = small && m.nextNewOffset > 0;
            m.nextNewOffset += written;
            if (small && written > 0)
            {
                if (!wasInProgress && m.nextNewOffset < m.length)
                {
                    smallInProgress++;
                }
                else if (wasInProgress && m.nextNewOffset == m.length)
                {
                    onSmallProgressDone();
                }
                else if (m.nextNewOffset == m.length)
                {
                    wakeProgressWaiter(); // sent whole in one fragment: it held no slot, but the chain goes on
                }
            }
            flow.onSent(countedWritten);
            if (m.nextNewOffset == m.length)
            {
                m.firstSendDone = true;
            }
            if (!hasUnsent(m))
            {
                newDataHead++;
                m.queued = false;
            }
            else if (written >= space / 2)
            {
                // Round-robin: a message that had a packet's worth goes to the back, so a large message
                // cannot hold the small ones queued behind it.
                newDataHead++;
                pushNewData(m.id);
            }
            // else: a message cut short at the end of a packet stays first, its rest opens the next packet.
            if (packetClosed)
            {
                return p;
            }
        }
        return p;
    }

    private int lastFragmentEnd;
    private boolean packetClosed;

    /** Takes a message off the round-robin queue until MAX_DATA rises ({@link #onCreditRaised}). */
    private void waitForCredit(final Message m)
    {
        flow.onBlocked();
        newDataHead++;
        m.queued = false;
        m.deferred = true;
        creditWaiters.push(m.id);
    }

    /** The peer raised MAX_DATA (or commitment fell): messages waiting for connection credit go back in the queue. */
    public void onCreditRaised()
    {
        for (int waiting = creditWaiters.size(); waiting > 0; waiting--) // not those that wait again meanwhile
        {
            final long id = creditWaiters.pop();
            final Message m = active(id);
            if (m != null && m.deferred)
            {
                m.deferred = false;
                enqueueNewData(m);
            }
        }
    }

    /**
     * Writes one MESSAGE frame with up to {@code length} bytes from {@code offset}: with an explicit
     * length when it fits with room to spare, else without one, filling the rest of the packet.
     *
     * @return data bytes written (≥ 0), or -1 if no useful fragment fits; sets {@link #lastFragmentEnd}
     * and, for a length-less frame, {@link #packetClosed}.
     */
    private int writeFragment(
        final MutableDirectBuffer buffer,
        final int position,
        final int end,
        final Message m,
        final int offset,
        final int length)
    {
        final int space = end - position;
        final int orderedFlag = m.ordered ? FrameType.MESSAGE_FLAG_ORDERED : 0;
        final boolean wholeMessage = offset == 0 && length == m.length;
        int flags = orderedFlag | (wholeMessage ? 0 : FrameType.MESSAGE_FLAG_MULTI);
        int header = FrameWriter.messageHeaderLength(flags, m.id, offset, m.length, 0);
        int dataLength = length;
        if (header + VarInt.length(length) + length + MIN_FRAGMENT <= space)
        {
            flags |= FrameType.MESSAGE_FLAG_LENGTH;
        }
        else if (header + length > space)
        {
            flags = orderedFlag | FrameType.MESSAGE_FLAG_MULTI;
            header = FrameWriter.messageHeaderLength(flags, m.id, offset, m.length, 0);
            dataLength = space - header;
            if (dataLength < MIN_FRAGMENT)
            {
                return -1;
            }
        }
        int p = position;
        p += FrameWriter.putMessageHeader(buffer, p, flags, m.id, offset, m.length, dataLength);
        if (dataLength > 0)
        {
            buffer.putBytes(p, m.buffer, offset, dataLength);
        }
        p += dataLength;
        recovery.addFragment(KIND_MESSAGE, m.id, offset, dataLength);
        lastFragmentEnd = p;
        packetClosed = (flags & FrameType.MESSAGE_FLAG_LENGTH) == 0;
        return dataLength;
    }

    @Override
    public void onFragmentAcked(final int kind, final long messageId, final long offset, final int length)
    {
        final Message m = slots[(int)(messageId & slotMask)];
        if (m == null || m.id != messageId)
        {
            return;
        }
        if (kind == KIND_CANCEL)
        {
            if (m.state == CANCELLING)
            {
                free(m);
            }
            return;
        }
        if (m.state != ACTIVE)
        {
            return;
        }
        final long newlyAcked = m.acked.add(offset, offset + length);
        unackedBytes -= newlyAcked;
        if (m.length <= smallMessageReserve)
        {
            smallUnackedBytes -= newlyAcked;
        }
        if (m.length == 0)
        {
            m.zeroLengthAcked = true;
        }
        if ((m.length == 0 || m.acked.covers(0, m.length)) && m.firstSendDone)
        {
            messagesAcked++;
            final long handle = m.handle;
            releaseBuffer(m);
            free(m);
            ackHandler.onMessageAcked(handle);
        }
    }

    @Override
    public void onFragmentLost(final int kind, final long messageId, final long offset, final int length)
    {
        final Message m = slots[(int)(messageId & slotMask)];
        if (m == null || m.id != messageId)
        {
            return;
        }
        if (kind == KIND_CANCEL ? m.state == CANCELLING : m.state == ACTIVE)
        {
            enqueueRetransmit(kind, messageId, offset, length);
        }
    }

    @Override
    public void onControlLost(final int controlFlags)
    {
        // Control frames belong to the connection core, which wraps this handler.
    }

    private void enqueueRetransmit(final int kind, final long messageId, final long offset, final int length)
    {
        if (rtTail - rtHead > retransmitMask)
        {
            growRetransmitQueue();
        }
        final int q = (int)(rtTail & retransmitMask);
        rtKind[q] = (byte)kind;
        rtMessageId[q] = messageId;
        rtOffset[q] = offset;
        rtLength[q] = length;
        rtTail++;
    }

    private void growRetransmitQueue()
    {
        final int capacity = (retransmitMask + 1) * 2;
        final int mask = capacity - 1;
        final byte[] kind = new byte[capacity];
        final long[] id = new long[capacity];
        final long[] offset = new long[capacity];
        final int[] length = new int[capacity];
        for (long i = rtHead; i < rtTail; i++)
        {
            final int from = (int)(i & retransmitMask);
            final int to = (int)(i & mask);
            kind[to] = rtKind[from];
            id[to] = rtMessageId[from];
            offset[to] = rtOffset[from];
            length[to] = rtLength[from];
        }
        rtKind = kind;
        rtMessageId = id;
        rtOffset = offset;
        rtLength = length;
        retransmitMask = mask;
    }

    private Message active(final long messageId)
    {
        if (messageId < oldestMessageId || messageId >= nextMessageId)
        {
            return null;
        }
        final Message m = slots[(int)(messageId & slotMask)];
        return m != null && m.id == messageId && m.state == ACTIVE ? m : null;
    }

    private void releaseBuffer(final Message m)
    {
        if (m.buffer != null)
        {
            pool.release(m.buffer);
            m.buffer = null;
        }
    }

    private void free(final Message m)
    {
        recycle(m);
        while (oldestMessageId < nextMessageId)
        {
            final Message oldest = slots[(int)(oldestMessageId & slotMask)];
            if (oldest != null && oldest.state != FREE)
            {
                break;
            }
            oldestMessageId++;
        }
    }

    private void recycle(final Message m)
    {
        m.state = FREE;
        final int index = (int)(m.id & slotMask);
        if (slots[index] == m)
        {
            slots[index] = null;
            if (spareCount == spare.length)
            {
                spare = java.util.Arrays.copyOf(spare, spareCount * 2);
            }
            spare[spareCount++] = m;
        }
    }

    /** The connection closed: drop every message and queued retransmission, returning buffers to the pool. */
    public void discardAll()
    {
        for (long id = oldestMessageId; id < nextMessageId; id++)
        {
            final Message m = slots[(int)(id & slotMask)];
            if (m != null)
            {
                releaseBuffer(m);
                recycle(m);
            }
        }
        oldestMessageId = nextMessageId;
        newDataHead = newDataTail;
        appending = null;
        rtHead = rtTail;
        unackedBytes = 0;
        smallUnackedBytes = 0;
        commitment = 0;
        ungrantedStarted = 0;
        smallInProgress = 0;
        progressWaiters.clear();
        startWaiters.clear();
        creditWaiters.clear();
        blockedSignalPending = false;
    }

    /** @return bytes accepted and not yet acknowledged (or cancelled). */
    public long unackedBytes()
    {
        return unackedBytes;
    }

    /** @return messages accepted and not yet acknowledged or cancel-confirmed. */
    public long outstandingMessages()
    {
        return nextMessageId - oldestMessageId;
    }

    /** @return messages fully acknowledged. */
    public long messagesAcked()
    {
        return messagesAcked;
    }

    /** @return data bytes sent again after a loss. */
    public long bytesRetransmitted()
    {
        return bytesRetransmitted;
    }

    /** @return fragments sent again after a loss. */
    public long fragmentsRetransmitted()
    {
        return fragmentsRetransmitted;
    }

    /** @return the id the next accepted message gets. */
    public long nextMessageId()
    {
        return nextMessageId;
    }
}
