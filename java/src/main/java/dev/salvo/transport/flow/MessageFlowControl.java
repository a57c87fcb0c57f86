/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.flow;

import org.agrona.MutableDirectBuffer;

import dev.salvo.transport.frame.FrameWriter;

/**
 * Per-message flow control, receiving side: decides how far the peer may send each message.
 *
 * <p>Every message may be sent up to {@code min(total, initialMessageData)} bytes without asking (a
 * protocol constant, so small messages never wait a round trip). A larger message is <em>admitted</em>
 * (its limit raised to its whole total with one MAX_MESSAGE_DATA frame) once the receiver can hold all of
 * it: {@code received + admittedRemaining + (total - highest) + reserve ≤ consumed + window}, where
 * {@code admittedRemaining} is what the messages already admitted may still bring. Large messages are
 * admitted in the order they were first seen. Because a message is delivered whole, admitting it whole
 * is what keeps the connection free of deadlock: the connection window is never split among several
 * large messages none of which can complete. The {@code reserve} (waived when nothing else is admitted,
 * so a message as large as the window still gets through) keeps part of the window for small messages,
 * so a large message never holds them back (no head-of-line blocking between messages).
 *
 * <p>Memory: reassembly grows only with bytes received, and no byte beyond a message's limit is
 * accepted, so nothing is allocated beyond what was granted. Grants go out in batches (all admissions of
 * one packet's processing share the next packet), are sent again when a packet carrying them is lost (for
 * every admitted message the peer has not yet sent beyond its initial limit) and when the peer reports it
 * is blocked (MESSAGE_DATA_BLOCKED). While paused, nothing is admitted.
 *
 * <p>State lives in arrays indexed by {@code id & (messageIdWindow - 1)}: the messages in progress lie
 * in one id window, so slots never collide; nothing is allocated after construction.
 */
public final class MessageFlowControl
{
    private static final byte NONE = 0;
    private static final byte SMALL = 1;
    private static final byte WAITING = 2;
    private static final byte ADMITTED = 3;

    private final long initialMessageData;
    private final long reserve;
    private final ReceiveFlowControl connection;
    private final int mask;
    private final long[] ids;
    private final long[] totals;
    private final long[] highest;
    private final byte[] states;
    private final boolean[] grantQueued;
    private final long[] waitQueue;
    private long waitHead;
    private long waitTail;
    private final long[] grantQueue;
    private long grantHead;
    private long grantTail;

    private long admittedRemaining;
    private boolean paused;
    private long messagesAdmitted;
    private long grantsWritten;
    private long blockedSignals;

    /**
     * @param messageIdWindow    power of two: the message id window (bounds the messages in progress).
     * @param initialMessageData bytes of any message the peer may send before a grant (protocol constant).
     * @param reserve            bytes of the window kept for other messages while a large one is admitted.
     * @param connection         the connection-level receive flow control (window, received, consumed).
     */
    public MessageFlowControl(
        final int messageIdWindow, final long initialMessageData, final long reserve, final ReceiveFlowControl connection)
    {
        if (Integer.bitCount(messageIdWindow) != 1)
        {
            throw new IllegalArgumentException("messageIdWindow must be a power of two: " + messageIdWindow);
        }
        this.initialMessageData = initialMessageData;
        this.reserve = reserve;
        this.connection = connection;
        this.mask = messageIdWindow - 1;
        this.ids = new long[messageIdWindow];
        this.totals = new long[messageIdWindow];
        this.highest = new long[messageIdWindow];
        this.states = new byte[messageIdWindow];
        this.grantQueued = new boolean[messageIdWindow];
        this.waitQueue = new long[messageIdWindow];
        this.grantQueue = new long[messageIdWindow];
        java.util.Arrays.fill(ids, -1);
    }

    /**
     * @return the highest offset the peer may send of message {@code messageId} announced with {@code total}:
     * the total once admitted, else {@code min(total, initialMessageData)}.
     */
    public long limit(final long messageId, final long total)
    {
        final int i = (int)(messageId & mask);
        if (ids[i] == messageId && states[i] == ADMITTED)
        {
            return totals[i];
        }
        return Math.min(total, initialMessageData);
    }

    /**
     * New bytes of a message being reassembled arrived: its highest offset moved from {@code oldHighest} to
     * {@code newHighest}. The first call for a message registers it (and queues a large one for admission).
     */
    public void onReceived(final long messageId, final long total, final long oldHighest, final long newHighest)
    {
        final int i = (int)(messageId & mask);
        if (ids[i] != messageId || states[i] == NONE)
        {
            ids[i] = messageId;
            totals[i] = total;
            highest[i] = oldHighest;
            grantQueued[i] = false;
            if (total > initialMessageData)
            {
                states[i] = WAITING;
                if (waitTail - waitHead <= mask)
                {
                    waitQueue[(int)(waitTail++ & mask)] = messageId;
                }
            }
            else
            {
                states[i] = SMALL;
            }
        }
        if (states[i] == ADMITTED)
        {
            admittedRemaining -= newHighest - highest[i];
        }
        highest[i] = newHighest;
    }

    /** The message completed, was cancelled or discarded: forget it (an admitted one returns what it did not use). */
    public void onFinished(final long messageId)
    {
        final int i = (int)(messageId & mask);
        if (ids[i] == messageId)
        {
            if (states[i] == ADMITTED)
            {
                admittedRemaining -= totals[i] - highest[i];
            }
            states[i] = NONE;
            ids[i] = -1;
        }
    }

    /** Admits waiting messages, oldest first, while the window can hold them whole (none while paused). */
    public void admit()
    {
        if (paused)
        {
            return;
        }
        while (waitHead != waitTail)
        {
            final long id = waitQueue[(int)(waitHead & mask)];
            final int i = (int)(id & mask);
            if (ids[i] != id || states[i] != WAITING)
            {
                waitHead++;
                continue;
            }
            final long need = totals[i] - highest[i];
            final long keep = admittedRemaining == 0 ? 0 : reserve;
            if (connection.received() + admittedRemaining + need + keep > connection.consumed() + connection.window())
            {
                return;
            }
            waitHead++;
            states[i] = ADMITTED;
            admittedRemaining += need;
            messagesAdmitted++;
            queueGrant(id, i);
        }
    }

    private void queueGrant(final long id, final int i)
    {
        if (!grantQueued[i] && grantTail - grantHead <= mask)
        {
            grantQueued[i] = true;
            grantQueue[(int)(grantTail++ & mask)] = id;
        }
    }

    /** @return whether MAX_MESSAGE_DATA frames are owed. */
    public boolean grantsPending()
    {
        while (grantHead != grantTail)
        {
            final long id = grantQueue[(int)(grantHead & mask)];
            final int i = (int)(id & mask);
            if (ids[i] == id && states[i] == ADMITTED)
            {
                return true;
            }
            grantHead++;
        }
        return false;
    }

    /**
     * Writes owed MAX_MESSAGE_DATA frames into {@code [position, end)}.
     *
     * @return the new position (unchanged if none was written).
     */
    public int writeGrants(final MutableDirectBuffer buffer, final int position, final int end)
    {
        int p = position;
        while (grantHead != grantTail)
        {
            final long id = grantQueue[(int)(grantHead & mask)];
            final int i = (int)(id & mask);
            if (ids[i] != id || states[i] != ADMITTED)
            {
                grantHead++;
                continue;
            }
            if (FrameWriter.messageLimitFrameLength(id, totals[i]) > end - p)
            {
                break;
            }
            p += FrameWriter.putMaxMessageData(buffer, p, id, totals[i]);
            grantQueued[i] = false;
            grantHead++;
            grantsWritten++;
        }
        return p;
    }

    /**
     * A packet carrying grants was lost: owe them again for every admitted message the peer has not yet
     * sent beyond its initial limit (for the others the grant evidently arrived).
     */
    public void onGrantsLost()
    {
        for (int i = 0; i <= mask; i++)
        {
            if (states[i] == ADMITTED && highest[i] <= initialMessageData)
            {
                queueGrant(ids[i], i);
            }
        }
    }

    /**
     * The peer says message {@code messageId} is blocked at {@code limit} (MESSAGE_DATA_BLOCKED): owe the
     * grant again if it was admitted beyond that; counted for diagnosis either way.
     */
    public void onPeerBlocked(final long messageId, final long limit)
    {
        blockedSignals++;
        final int i = (int)(messageId & mask);
        if (ids[i] == messageId && states[i] == ADMITTED && totals[i] > limit)
        {
            queueGrant(messageId, i);
        }
    }

    /** Pauses or resumes admissions (the application paused receiving). */
    public void paused(final boolean paused)
    {
        this.paused = paused;
    }

    /** The connection closed: forget everything. */
    public void discardAll()
    {
        java.util.Arrays.fill(ids, -1);
        java.util.Arrays.fill(states, NONE);
        java.util.Arrays.fill(grantQueued, false);
        waitHead = waitTail;
        grantHead = grantTail;
        admittedRemaining = 0;
    }

    /** @return bytes the admitted messages may still bring. */
    public long admittedRemaining()
    {
        return admittedRemaining;
    }

    /** @return large messages admitted so far. */
    public long messagesAdmitted()
    {
        return messagesAdmitted;
    }

    /** @return large messages seen and waiting for admission (including stale queue entries). */
    public long messagesWaiting()
    {
        return waitTail - waitHead;
    }

    /** @return MAX_MESSAGE_DATA frames written. */
    public long grantsWritten()
    {
        return grantsWritten;
    }

    /** @return MESSAGE_DATA_BLOCKED frames received. */
    public long blockedSignals()
    {
        return blockedSignals;
    }

    /** @return the bytes of a message the peer may send before a grant. */
    public long initialMessageData()
    {
        return initialMessageData;
    }
}
