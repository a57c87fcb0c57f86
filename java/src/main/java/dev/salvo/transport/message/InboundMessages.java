/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import dev.salvo.transport.flow.MessageFlowControl;
import dev.salvo.transport.flow.ReceiveFlowControl;
import dev.salvo.transport.frame.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Receiver side of messages: reassembly, exactly-once delivery, ordered and unordered modes.
 *
 * <p>A message that arrives as one whole fragment is delivered straight from the packet buffer
 * (zero copy) when it may be delivered at once. Larger messages reassemble into a pooled buffer that
 * grows (doubling, capped at the announced total) only as far as the bytes received, which flow
 * control bounds by what this side granted; an announced total above the maximum message size is
 * refused before anything is allocated.
 *
 * <p>Exactly once: ids below {@code base} (the lowest id not yet completed) and completed ids in
 * the window {@code [base, base + W)} are remembered in a bitmap, like a replay window; fragments
 * for them are ignored, and ids at or beyond {@code base + W} are refused. Unordered messages are
 * delivered when complete; an ordered message is delivered once every lower id has completed, so
 * ordered messages come out in id order while unordered ones never wait behind them.
 *
 * <p>Per-message limits ({@link MessageFlowControl}): no fragment beyond a message's granted limit is
 * accepted. While {@link #pause paused}, completed messages are not delivered: they are detached from
 * their id slot (so the id window moves on) and kept, in the order they became deliverable, until
 * {@link #resume}; they stay unconsumed, so the connection's flow control stops granting credit.
 */
public final class InboundMessages
{
    private static final int INITIAL_REASSEMBLY_CAPACITY = 4096;

    private static final class Message
    {
        long id = -1;
        boolean active;
        boolean held;
        boolean ordered;
        boolean waiting;
        long total;
        long highest;
        UnsafeBuffer buffer;
        final RangeSet received = new RangeSet();
    }

    private final Message[] slots;
    private Message[] spare = new Message[16];
    private int spareCount;
    private final long[] completedBits;
    private final int window;
    private final int mask;
    private final long maxMessageSize;
    private final BufferPool pool;
    private final ReceiveFlowControl flow;
    private final MessageHandler handler;
    private final MessageFlowControl messageFlow;
    private Message[] waitingQueue = new Message[16];
    private long waitingHead;
    private long waitingTail;
    private boolean paused;

    private long base;
    private long messagesDelivered;
    private long bytesDelivered;
    private long duplicateFragments;
    private long reassemblyBytes;

    /**
     * @param messageIdWindow power of two, equal to the peer's.
     * @param maxMessageSize  largest message accepted.
     */
    public InboundMessages(
        final int messageIdWindow,
        final long maxMessageSize,
        final BufferPool pool,
        final ReceiveFlowControl flow,
        final MessageFlowControl messageFlow,
        final MessageHandler handler)
    {
        if (Integer.bitCount(messageIdWindow) != 1 || messageIdWindow < 64)
        {
            throw new IllegalArgumentException("messageIdWindow must be a power of two >= 64: " + messageIdWindow);
        }
        this.window = messageIdWindow;
        this.mask = messageIdWindow - 1;
        this.slots = new Message[messageIdWindow];
        this.completedBits = new long[messageIdWindow / 64];
        this.maxMessageSize = maxMessageSize;
        this.pool = pool;
        this.flow = flow;
        this.handler = handler;
        this.messageFlow = messageFlow;
    }

    /**
     * Checks a fragment without changing anything (first pass over a packet).
     *
     * @return 0, or a negated {@link ErrorCode}.
     */
    public int check(final long messageId, final boolean single, final long offset, final long total, final int length)
    {
        if (isCompleted(messageId))
        {
            return 0;
        }
        if (messageId >= base + window)
        {
            return -ErrorCode.MESSAGE_ID_ERROR;
        }
        if (total > maxMessageSize)
        {
            return -ErrorCode.MESSAGE_TOO_LARGE;
        }
        final Message m = slots[(int)(messageId & mask)];
        final boolean known = m != null && m.active && m.id == messageId;
        if (known && m.total != total)
        {
            return -ErrorCode.PROTOCOL_VIOLATION;
        }
        if (known && length > 0 && m.received.rangeCount() >= maxRanges(total))
        {
            // Fragments so small and scattered that tracking them would cost more than the message.
            return -ErrorCode.PROTOCOL_VIOLATION;
        }
        if (offset + length > messageFlow.limit(messageId, total))
        {
            return -ErrorCode.FLOW_CONTROL_ERROR; // beyond what this side granted for the message
        }
        final long highest = known ? m.highest : 0;
        if (!flow.canReceive(countedDelta(highest, offset + length)))
        {
            return -ErrorCode.FLOW_CONTROL_ERROR;
        }
        return 0;
    }

    /**
     * Takes a MESSAGE fragment whose data is at {@code [dataOffset, dataOffset + length)} of {@code buffer}.
     *
     * @return 0, or a negated {@link ErrorCode} (nothing changed then).
     */
    public int onFragment(
        final long messageId,
        final boolean ordered,
        final boolean single,
        final long offset,
        final long total,
        final DirectBuffer buffer,
        final int dataOffset,
        final int length)
    {
        final int checked = check(messageId, single, offset, total, length);
        if (checked != 0)
        {
            return checked;
        }
        if (isCompleted(messageId))
        {
            duplicateFragments++;
            return 0;
        }
        final int index = (int)(messageId & mask);
        Message m = slots[index];
        if (m == null || !m.active || m.id != messageId)
        {
            if (single && !paused && (!ordered || messageId == base))
            {
                // Whole message, deliverable now: straight from the packet buffer.
                flow.onReceived(total);
                complete(messageId);
                deliver(messageId, buffer, dataOffset, length);
                drainHeld();
                return 0;
            }
            // Reassembly state comes from a free list, not one object per slot: in steady state the messages
            // being reassembled at once are few, while ids sweep the whole window.
            m = spareCount > 0 ? spare[--spareCount] : new Message();
            slots[index] = m;
            m.id = messageId;
            m.active = true;
            m.held = false;
            m.waiting = false;
            m.ordered = ordered;
            m.total = total;
            m.highest = 0;
            m.received.clear();
            m.buffer = null;
        }

        final long fragmentEnd = offset + length;
        if (fragmentEnd > m.highest || m.highest == 0)
        {
            messageFlow.onReceived(messageId, m.total, m.highest, Math.max(fragmentEnd, m.highest), m.ordered);
        }
        if (fragmentEnd > m.highest)
        {
            flow.onReceived(countedDelta(m.highest, fragmentEnd));
            m.highest = fragmentEnd;
        }
        if (length > 0)
        {
            ensureCapacity(m, fragmentEnd);
            if (m.received.add(offset, fragmentEnd) == 0)
            {
                duplicateFragments++;
            }
            else
            {
                m.buffer.putBytes((int)offset, buffer, dataOffset, length);
            }
        }
        if (m.received.covered() == m.total)
        {
            complete(messageId);
            if (!m.ordered)
            {
                deliverOrHold(m);
            }
            else
            {
                m.held = true;
            }
            drainHeld();
        }
        return 0;
    }

    /**
     * The peer cancelled a message: discard it, never deliver it, and count its final size as received
     * and consumed.
     *
     * @return 0, or a negated {@link ErrorCode}.
     */
    public int onCancel(final long messageId, final long finalSize)
    {
        if (isCompleted(messageId))
        {
            return 0;
        }
        if (messageId >= base + window)
        {
            return -ErrorCode.MESSAGE_ID_ERROR;
        }
        if (finalSize > maxMessageSize)
        {
            return -ErrorCode.MESSAGE_TOO_LARGE;
        }
        final Message m = slots[(int)(messageId & mask)];
        final boolean known = m != null && m.active && m.id == messageId;
        final long highest = known ? m.highest : 0;
        if (finalSize < highest || (known && finalSize > m.total))
        {
            return -ErrorCode.PROTOCOL_VIOLATION;
        }
        if (finalSize > messageFlow.limit(messageId, known ? m.total : finalSize) ||
            !flow.canReceive(countedDelta(highest, finalSize)))
        {
            return -ErrorCode.FLOW_CONTROL_ERROR;
        }
        flow.onReceived(countedDelta(highest, finalSize));
        if (known)
        {
            release(m);
        }
        flow.onConsumed(Math.min(finalSize, messageFlow.initialMessageData()));
        messageFlow.onCancelled(messageId);
        complete(messageId);
        drainHeld();
        return 0;
    }

    /**
     * @return the MAX_DATA bytes a message's highest offset moving from {@code from} to {@code to} counts: only
     * its first {@code INITIAL_MAX_MESSAGE_DATA} bytes count, the rest is covered by its own limit.
     */
    private long countedDelta(final long from, final long to)
    {
        final long initial = messageFlow.initialMessageData();
        return Math.max(0, Math.min(to, initial) - Math.min(from, initial));
    }

    private static long maxRanges(final long total)
    {
        return 64 + total / 64;
    }

    private void ensureCapacity(final Message m, final long needed)
    {
        final int current = m.buffer == null ? 0 : m.buffer.capacity();
        if (needed <= current)
        {
            return;
        }
        long capacity = Math.max(Math.max(INITIAL_REASSEMBLY_CAPACITY, needed), 2L * current);
        capacity = Math.min(capacity, m.total);
        final UnsafeBuffer grown = pool.acquire((int)capacity);
        reassemblyBytes += grown.capacity() - current;
        if (m.buffer != null)
        {
            // Copy what arrived so far (ranges below the old capacity).
            grown.putBytes(0, m.buffer, 0, current);
            pool.release(m.buffer);
        }
        m.buffer = grown;
    }

    /** Delivers a deliverable message now, or while paused detaches it from its slot and keeps it for {@link #resume}. */
    private void deliverOrHold(final Message m)
    {
        if (!paused)
        {
            deliverAndFree(m);
            return;
        }
        m.held = false;
        m.waiting = true;
        final int index = (int)(m.id & mask);
        if (slots[index] == m)
        {
            slots[index] = null;
        }
        if (waitingTail - waitingHead == waitingQueue.length)
        {
            final Message[] grown = new Message[waitingQueue.length * 2];
            for (long i = waitingHead; i < waitingTail; i++)
            {
                grown[(int)(i & (grown.length - 1))] = waitingQueue[(int)(i & (waitingQueue.length - 1))];
            }
            waitingQueue = grown;
        }
        waitingQueue[(int)(waitingTail++ & (waitingQueue.length - 1))] = m;
    }

    /**
     * Stops delivering: messages completed from now on are kept (in reassembly memory, unconsumed) until
     * {@link #resume}. Whole messages that could have been delivered zero-copy are copied instead.
     */
    public void pause()
    {
        paused = true;
    }

    /**
     * Delivers the messages kept while paused, in the order they became deliverable, stopping early if a
     * handler pauses again; then delivers normally.
     */
    public void resume()
    {
        paused = false;
        while (waitingHead != waitingTail && !paused)
        {
            final int q = (int)(waitingHead++ & (waitingQueue.length - 1));
            final Message m = waitingQueue[q];
            waitingQueue[q] = null;
            m.waiting = false;
            deliverAndFree(m);
        }
    }

    /** @return whether delivery is paused. */
    public boolean isPaused()
    {
        return paused;
    }

    /** @return completed messages kept undelivered while paused. */
    public long messagesWaiting()
    {
        return waitingTail - waitingHead;
    }

    private void deliverAndFree(final Message m)
    {
        deliver(m.id, m.buffer == null ? EMPTY : m.buffer, 0, (int)m.total);
        release(m);
    }

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private void release(final Message m)
    {
        if (m.buffer != null)
        {
            reassemblyBytes -= m.buffer.capacity();
            pool.release(m.buffer);
            m.buffer = null;
        }
        final boolean wasActive = m.active;
        m.active = false;
        m.held = false;
        final int index = (int)(m.id & mask);
        if (slots[index] == m)
        {
            slots[index] = null;
        }
        if (wasActive) // also a message detached while paused (its slot may hold a newer id by now)
        {
            if (spareCount == spare.length)
            {
                spare = java.util.Arrays.copyOf(spare, spareCount * 2);
            }
            spare[spareCount++] = m;
        }
    }

    private void deliver(final long messageId, final DirectBuffer buffer, final int offset, final int length)
    {
        messagesDelivered++;
        bytesDelivered += length;
        try
        {
            handler.onMessage(messageId, buffer, offset, length);
        }
        finally
        {
            flow.onConsumed(Math.min(length, messageFlow.initialMessageData()));
            messageFlow.onConsumed(length);
        }
    }

    /** Delivers held ordered messages whose lower ids have all completed, in id order. */
    private void drainHeld()
    {
        while (drainFrom < base)
        {
            final long id = drainFrom++;
            final Message m = slots[(int)(id & mask)];
            if (m != null && m.active && m.held && m.id == id)
            {
                deliverOrHold(m);
            }
        }
    }

    private long drainFrom;

    private void complete(final long messageId)
    {
        messageFlow.onFinished(messageId);
        final int bit = (int)(messageId & mask);
        completedBits[bit >>> 6] |= 1L << (bit & 63);
        while (true)
        {
            final int b = (int)(base & mask);
            final long word = completedBits[b >>> 6];
            if ((word & (1L << (b & 63))) == 0)
            {
                break;
            }
            completedBits[b >>> 6] = word & ~(1L << (b & 63));
            base++;
        }
    }

    /** @return true if the message completed (delivered, held for order, or cancelled). */
    public boolean isCompleted(final long messageId)
    {
        if (messageId < base)
        {
            return true;
        }
        if (messageId >= base + window)
        {
            return false;
        }
        final int bit = (int)(messageId & mask);
        return (completedBits[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    /** The connection closed: drop partial and held messages, returning their buffers. */
    public void discardAll()
    {
        for (final Message m : slots)
        {
            if (m != null && m.active)
            {
                release(m);
            }
        }
        while (waitingHead != waitingTail)
        {
            final int q = (int)(waitingHead++ & (waitingQueue.length - 1));
            final Message m = waitingQueue[q];
            waitingQueue[q] = null;
            m.waiting = false;
            release(m);
        }
    }

    /** @return the announced total of a message being reassembled, -1 if none. */
    public long knownTotal(final long messageId)
    {
        final Message m = slots[(int)(messageId & mask)];
        return m != null && m.active && m.id == messageId ? m.total : -1;
    }

    /** @return the highest offset received of a message being reassembled, 0 if none. */
    public long knownHighest(final long messageId)
    {
        final Message m = slots[(int)(messageId & mask)];
        return m != null && m.active && m.id == messageId ? m.highest : 0;
    }

    /** @return lowest message id not yet completed. */
    public long base()
    {
        return base;
    }

    /** @return messages delivered. */
    public long messagesDelivered()
    {
        return messagesDelivered;
    }

    /** @return message bytes delivered. */
    public long bytesDelivered()
    {
        return bytesDelivered;
    }

    /** @return fragments that carried nothing new. */
    public long duplicateFragments()
    {
        return duplicateFragments;
    }

    /** @return bytes currently allocated to reassembly buffers. */
    public long reassemblyBytes()
    {
        return reassemblyBytes;
    }
}
