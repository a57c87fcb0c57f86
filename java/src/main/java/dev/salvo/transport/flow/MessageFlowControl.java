/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.flow;

import org.agrona.MutableDirectBuffer;

import dev.salvo.transport.frame.FrameWriter;

/**
 * Per-message flow control, receiving side: decides how far the peer may send each message.
 *
 * <p>The first {@code initialMessageData} bytes of every message (a protocol constant, so small messages
 * never wait a round trip) count against the connection's MAX_DATA, whose window is for them alone. Bytes
 * beyond are covered by the message's own limit (MAX_MESSAGE_DATA), never by MAX_DATA, so no other message
 * can use credit meant for them. A larger message is <em>admitted</em> when the budget (the receive
 * window) can hold the rest of it beside the admitted messages not yet consumed ({@code held + total -
 * initial ≤ budget}); oldest first. Admitting a message sets the whole of it aside, so every admitted
 * message can always complete: the window is never split among several large messages none of which can
 * finish (a deadlock), and small messages, which draw on the separate MAX_DATA window, are never held
 * behind a large one. The budget is at least the largest message, so any message is admissible.
 *
 * <p>An ordered message above the lowest incomplete id (the <em>base</em>) cannot be delivered, so cannot give
 * its window back, before every lower message completes. Admitted ahead of a lower one (the first fragment
 * of the lower one was lost, say), it could hold the window the lower one needs: neither would ever complete
 * (SmallReceiveBufferFlowTest found this with 1-3 MiB ordered messages and 3 % loss, whatever the credit cap).
 * So such a message is admitted only if the window left after it still holds the largest message, and the
 * base is considered first, before the queue: it is deliverable once complete, as is an unordered message,
 * so what those hold always comes back.
 *
 * <p>An admitted message's limit moves in steps of half the credit cap (batched: raised when less than
 * half a step is left) while the credit outstanding over all admitted messages stays within the cap (one
 * message may always have some), so a stalled reader's socket buffer is protected for large messages too.
 *
 * <p>Memory: reassembly grows only with bytes received, and no byte beyond a message's limit is accepted,
 * so the receiver holds at most the MAX_DATA window plus the budget. Grants are sent again when a packet
 * carrying them is lost and when the peer reports it is blocked (MESSAGE_DATA_BLOCKED). While paused,
 * nothing is admitted or raised.
 *
 * <p>State lives in arrays indexed by {@code id & (messageIdWindow - 1)}: the messages in progress lie
 * in one id window, so slots never collide; they are allocated by the first message larger than the
 * initial limit, and nothing after that.
 */
public final class MessageFlowControl
{
    private static final byte NONE = 0;
    private static final byte SMALL = 1;
    private static final byte WAITING = 2;
    private static final byte ADMITTED = 3;

    private final long initialMessageData;
    private final long budget;
    private final long largestNeed;
    private final ReceiveFlowControl connection;
    private final int mask;
    private long[] ids;
    private long[] totals;
    private long[] highest;
    private long[] limits;
    private boolean[] hungry;
    private boolean[] ordered;
    private long[] hungryQueue;
    private long hungryHead;
    private long hungryTail;
    private long held;
    private long creditOut;
    private byte[] states;
    private boolean[] grantQueued;
    private long[] waitQueue;
    private long waitHead;
    private long waitTail;
    private long[] grantQueue;
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
     * @param budget             bytes the admitted messages may hold beyond their initial parts (the receive
     *                           window; at least the largest message, so any message can be admitted).
     * @param connection         the connection-level receive flow control (its credit cap).
     * @param largestMessage     the largest message this side accepts (at most the budget).
     */
    public MessageFlowControl(
        final int messageIdWindow,
        final long initialMessageData,
        final long budget,
        final ReceiveFlowControl connection,
        final long largestMessage)
    {
        if (Integer.bitCount(messageIdWindow) != 1)
        {
            throw new IllegalArgumentException("messageIdWindow must be a power of two: " + messageIdWindow);
        }
        this.initialMessageData = initialMessageData;
        this.budget = budget;
        this.connection = connection;
        this.mask = messageIdWindow - 1;
        this.largestNeed = Math.max(0, Math.min(budget, largestMessage) - initialMessageData);
    }

    /** Per-message state is allocated by the first large message: connections of small messages never need it. */
    private void allocate()
    {
        final int size = mask + 1;
        ids = new long[size];
        totals = new long[size];
        highest = new long[size];
        limits = new long[size];
        hungry = new boolean[size];
        ordered = new boolean[size];
        hungryQueue = new long[size];
        states = new byte[size];
        grantQueued = new boolean[size];
        waitQueue = new long[size];
        grantQueue = new long[size];
        java.util.Arrays.fill(ids, -1);
    }

    /**
     * @return the highest offset the peer may send of message {@code messageId} announced with {@code total}:
     * the total once admitted, else {@code min(total, initialMessageData)}.
     */
    public long limit(final long messageId, final long total)
    {
        final int i = (int)(messageId & mask);
        if (ids != null && ids[i] == messageId && states[i] == ADMITTED)
        {
            return limits[i];
        }
        return Math.min(total, initialMessageData);
    }

    /**
     * New bytes of a message being reassembled arrived: its highest offset moved from {@code oldHighest} to
     * {@code newHighest}. The first call for a message registers it (and queues a large one for admission).
     */
    public void onReceived(
        final long messageId, final long total, final long oldHighest, final long newHighest, final boolean ordered)
    {
        if (total <= initialMessageData)
        {
            return; // needs no grant: nothing to track
        }
        if (ids == null)
        {
            allocate();
        }
        final int i = (int)(messageId & mask);
        if (ids[i] != messageId || states[i] == NONE)
        {
            ids[i] = messageId;
            totals[i] = total;
            highest[i] = oldHighest;
            grantQueued[i] = false;
            hungry[i] = false;
            this.ordered[i] = ordered;
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
            creditOut -= Math.max(newHighest, initialMessageData) - Math.max(highest[i], initialMessageData);
            highest[i] = newHighest;
            if (limits[i] < totals[i] && limits[i] - newHighest < step() / 2)
            {
                queueHungry(messageId, i);
            }
            return;
        }
        highest[i] = newHighest;
    }

    private long step()
    {
        return Math.max(initialMessageData, Math.min(budget, connection.creditCap()) / 2);
    }

    private void queueHungry(final long id, final int i)
    {
        if (!hungry[i] && hungryTail - hungryHead <= mask)
        {
            hungry[i] = true;
            hungryQueue[(int)(hungryTail++ & mask)] = id;
        }
    }

    /**
     * Raises the limits of admitted messages that have less than half a step left, oldest first, while the
     * credit outstanding over admitted messages stays within the cap (one may always have some).
     */
    private void raiseLimits()
    {
        final long step = step();
        final long maxOut = Math.min(budget, connection.creditCap());
        while (hungryHead != hungryTail)
        {
            final long id = hungryQueue[(int)(hungryHead & mask)];
            final int i = (int)(id & mask);
            if (ids[i] != id || states[i] != ADMITTED || limits[i] >= totals[i])
            {
                hungry[i] = false;
                hungryHead++;
                continue;
            }
            final long newLimit = Math.min(totals[i], Math.max(highest[i], initialMessageData) + step);
            final long increment = newLimit - limits[i];
            if (increment > 0 && creditOut > 0 && creditOut + increment > maxOut)
            {
                return;
            }
            hungry[i] = false;
            hungryHead++;
            if (increment > 0)
            {
                limits[i] = newLimit;
                creditOut += increment;
                queueGrant(id, i);
            }
        }
    }

    /** The peer cancelled a message: an admitted one gives back the window held for it. */
    public void onCancelled(final long messageId)
    {
        if (ids == null)
        {
            return;
        }
        final int i = (int)(messageId & mask);
        if (ids[i] == messageId && states[i] == ADMITTED)
        {
            held -= totals[i] - initialMessageData;
        }
    }

    /** A message of {@code length} bytes was delivered: the window held for it is free again. */
    public void onConsumed(final long length)
    {
        if (length > initialMessageData)
        {
            held -= length - initialMessageData;
        }
    }

    /** The message completed, was cancelled or discarded: forget it (an admitted one returns what it did not use). */
    public void onFinished(final long messageId)
    {
        if (ids == null)
        {
            return;
        }
        final int i = (int)(messageId & mask);
        if (ids[i] == messageId)
        {
            if (states[i] == ADMITTED)
            {
                admittedRemaining -= totals[i] - highest[i];
                creditOut -= limits[i] - Math.max(highest[i], initialMessageData);
            }
            states[i] = NONE;
            ids[i] = -1;
        }
    }

    /**
     * Admits the base if it waits and fits, then waiting messages, oldest first, while the window can hold
     * them whole (and, for an ordered message above the base, the largest message beside them); raises the
     * limits of admitted ones (none of it while paused).
     *
     * @param baseId the lowest message id not yet completed.
     */
    public void admit(final long baseId)
    {
        if (paused)
        {
            return;
        }
        raiseLimits();
        if (ids != null)
        {
            final int b = (int)(baseId & mask);
            if (ids[b] == baseId && states[b] == WAITING && held + totals[b] - initialMessageData <= budget)
            {
                admitSlot(baseId, b); // its queue entry goes stale
            }
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
            final long need = totals[i] - initialMessageData;
            final long keep = ordered[i] && id != baseId ? largestNeed : 0;
            if (held + need + keep > budget)
            {
                break;
            }
            waitHead++;
            admitSlot(id, i);
        }
        raiseLimits();
    }

    private void admitSlot(final long id, final int i)
    {
        states[i] = ADMITTED;
        admittedRemaining += totals[i] - highest[i];
        held += totals[i] - initialMessageData;
        limits[i] = initialMessageData;
        messagesAdmitted++;
        queueHungry(id, i);
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
            if (FrameWriter.messageLimitFrameLength(id, limits[i]) > end - p)
            {
                break;
            }
            p += FrameWriter.putMaxMessageData(buffer, p, id, limits[i]);
            grantQueued[i] = false;
            grantHead++;
            grantsWritten++;
        }
        return p;
    }

    /**
     * A packet carrying grants was lost: owe the current limit again for every admitted message that has
     * credit the peer has not used yet (the frame is idempotent).
     */
    public void onGrantsLost()
    {
        if (ids == null)
        {
            return;
        }
        for (int i = 0; i <= mask; i++)
        {
            if (states[i] == ADMITTED && limits[i] > initialMessageData && highest[i] < limits[i])
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
        if (ids == null)
        {
            return;
        }
        final int i = (int)(messageId & mask);
        if (ids[i] == messageId && states[i] == ADMITTED && limits[i] > limit)
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
        if (ids != null)
        {
            java.util.Arrays.fill(ids, -1);
            java.util.Arrays.fill(states, NONE);
            java.util.Arrays.fill(grantQueued, false);
            java.util.Arrays.fill(hungry, false);
        }
        waitHead = waitTail;
        grantHead = grantTail;
        hungryHead = hungryTail;
        admittedRemaining = 0;
        held = 0;
        creditOut = 0;
    }

    /** @return bytes the admitted messages may still bring. */
    public long admittedRemaining()
    {
        return admittedRemaining;
    }

    /** @return window set aside for admitted messages not yet consumed. */
    public long held()
    {
        return held;
    }

    /** @return credit outstanding over admitted messages (limits beyond what arrived). */
    public long creditOut()
    {
        return creditOut;
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
