/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.flow;

/**
 * Connection-level flow control, sending side: new message bytes (counted once, when first sent;
 * retransmissions are free) may not exceed the peer's latest MAX_DATA. When data waits on the limit
 * a DATA_BLOCKED frame is owed, once per limit value.
 */
public final class SendFlowControl
{
    private long maxData;
    private long sent;
    private long blockedAt = -1;
    private boolean blockedFramePending;

    /** @param initialMaxData the limit before the peer's first MAX_DATA (protocol constant). */
    public SendFlowControl(final long initialMaxData)
    {
        this.maxData = initialMaxData;
    }

    /** @return new bytes that may still be sent. */
    public long available()
    {
        return maxData - sent;
    }

    /** Counts {@code bytes} of new data sent. */
    public void onSent(final long bytes)
    {
        sent += bytes;
    }

    /** Data is waiting on the limit: owe one DATA_BLOCKED for the current limit. */
    public void onBlocked()
    {
        if (blockedAt != maxData)
        {
            blockedAt = maxData;
            blockedFramePending = true;
        }
    }

    /** The peer raised the limit (smaller values are stale and ignored). */
    public void onMaxData(final long newMaxData)
    {
        if (newMaxData > maxData)
        {
            maxData = newMaxData;
            blockedFramePending = false;
        }
    }

    /** @return whether a DATA_BLOCKED frame is owed. */
    public boolean blockedFramePending()
    {
        return blockedFramePending;
    }

    /** A DATA_BLOCKED frame was written (or its loss no longer matters). */
    public void onBlockedFrameSent()
    {
        blockedFramePending = false;
    }

    /**
     * A DATA_BLOCKED frame was lost: resend it if still blocked at the same limit. Blocked does not mean no
     * credit left: a message starts only with credit for its whole counted part, so the sender may wait with
     * some credit, and the receiver raises its limit at once only on this frame (a lost one that was not sent
     * again stalled a connection under a small credit cap: SmallReceiveBufferFlowTest).
     */
    public void onBlockedFrameLost()
    {
        if (blockedAt == maxData)
        {
            blockedFramePending = true;
        }
    }

    /** @return the peer's limit. */
    public long maxData()
    {
        return maxData;
    }

    /** @return new bytes sent so far. */
    public long sent()
    {
        return sent;
    }
}
