/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.flow;

/**
 * Connection-level flow control, receiving side. The peer may send message bytes up to the limit
 * advertised in MAX_DATA; bytes count once, by the highest offset received in each message, and only
 * the first {@code INITIAL_MAX_MESSAGE_DATA} bytes of each message count (the rest of a large message is
 * covered by its own MAX_MESSAGE_DATA, see {@link MessageFlowControl}). The limit
 * moves towards {@code min(consumed + window, received + creditCap)}: the window bounds the memory held
 * for the application (received, not yet consumed), the credit cap bounds the bytes the peer may have
 * on their way (sent, not yet read from the socket), so that a stalled reader cannot overflow its
 * socket's receive buffer. A raise is made, and a MAX_DATA frame owed, only when it adds at least
 * {@code min(window / 2, creditCap / 4)} or the peer has less than that left: updates go out in batches, not
 * per packet. While frozen
 * (the application paused receiving) the limit does not move at all.
 */
public final class ReceiveFlowControl
{
    private final long window;
    private long advertised;
    private long received;
    private long consumed;
    private boolean maxDataPending;
    private boolean initialRaisePending;
    private long creditCap = Long.MAX_VALUE;
    private boolean frozen;
    private boolean peerBlocked;
    private long raises;

    /**
     * @param initialMaxData protocol constant the peer assumes before our first MAX_DATA.
     * @param window         receive window in bytes (≥ the largest message this side accepts).
     */
    public ReceiveFlowControl(final long initialMaxData, final long window)
    {
        this.window = window;
        this.advertised = initialMaxData;
        // The first raise waits for the first packet written, so a credit cap set after construction applies.
        this.initialRaisePending = window > initialMaxData;
    }

    /**
     * Bounds the credit outstanding ({@code advertised - received}) from now on; a limit already
     * advertised is never taken back.
     *
     * @param bytes the cap (≥ 1), {@link Long#MAX_VALUE} for none.
     */
    public void creditCap(final long bytes)
    {
        if (bytes != creditCap)
        {
            creditCap = Math.max(1, bytes);
            raise(false);
        }
    }

    /** @return the credit cap ({@link Long#MAX_VALUE} if none). */
    public long creditCap()
    {
        return creditCap;
    }

    /**
     * Freezes or unfreezes the limit: while frozen nothing raises it (the application paused receiving, so
     * the sender runs out of credit and waits instead of filling memory or the socket).
     */
    public void freeze(final boolean freeze)
    {
        frozen = freeze;
        if (!freeze)
        {
            raise(false);
        }
    }

    /** @return whether the limit is frozen. */
    public boolean isFrozen()
    {
        return frozen;
    }

    /** @return how many times the limit was raised (each raise owes one MAX_DATA frame). */
    public long raises()
    {
        return raises;
    }

    private void raise(final boolean force)
    {
        if (frozen)
        {
            return;
        }
        final long byWindow = consumed + window;
        final long byCap = creditCap >= Long.MAX_VALUE - received ? Long.MAX_VALUE : received + creditCap;
        final long target = Math.min(byWindow, byCap);
        // Batched: a raise adds at least half the window (a quarter of the cap, so that the update arrives
        // before the sender has used up the rest), or comes when the peer has less than that left (the window,
        // not the cap, binds then, and it moves only as the application consumes).
        final long step = Math.min(window / 2, creditCap / 4);
        if (target > advertised && (force || peerBlocked || target - advertised >= step || advertised - received < step))
        {
            peerBlocked = false;
            advertised = target;
            maxDataPending = true;
            raises++;
        }
    }

    /** @return whether {@code bytes} more received bytes stay within the advertised limit. */
    public boolean canReceive(final long bytes)
    {
        return received + bytes <= advertised;
    }

    /** Counts {@code bytes} of new data received (the caller checked {@link #canReceive}). */
    public void onReceived(final long bytes)
    {
        received += bytes;
        if (creditCap != Long.MAX_VALUE)
        {
            raise(false);
        }
    }

    /** The application consumed {@code bytes} (a message delivered or discarded). */
    public void onConsumed(final long bytes)
    {
        consumed += bytes;
        raise(false);
    }

    /** @return whether a MAX_DATA frame is owed. */
    public boolean maxDataPending()
    {
        if (initialRaisePending)
        {
            initialRaisePending = false;
            raise(true);
        }
        return maxDataPending;
    }

    /** A MAX_DATA frame carrying {@link #advertised()} was written. */
    public void onMaxDataSent()
    {
        maxDataPending = false;
    }

    /**
     * The peer says it is blocked at {@code limit} (DATA_BLOCKED). If that is the current limit, the next raise
     * goes out however little it adds (now if the target is above the limit), and the limit is sent again. A
     * batched raise waits until it adds a quarter of the credit cap, and a sender that needs more than the
     * credit it has (it starts a message only with credit for the message's whole counted part, up to
     * INITIAL_MAX_MESSAGE_DATA) would otherwise wait forever when the cap is small (a cap below 4/3 of that part
     * deadlocked a one-message-at-a-time sender: its credit stayed in the batching dead zone between the cap
     * and three quarters of it).
     */
    public void onPeerBlocked(final long limit)
    {
        if (limit >= advertised)
        {
            // Remembered until the limit moves: the bytes the sender sent before it blocked may still be on the
            // way (or lost and resent), so the raise they allow can come after this frame, and the sender says
            // it is blocked only once per limit.
            peerBlocked = true;
            raise(false);
            maxDataPending = true;
        }
    }

    /** A packet carrying MAX_DATA was lost, or the peer says it is blocked: send the current limit again. */
    public void resendMaxData()
    {
        maxDataPending = true;
    }

    /** @return the limit advertised to the peer. */
    public long advertised()
    {
        return advertised;
    }

    /** @return bytes received (sum of highest offsets). */
    public long received()
    {
        return received;
    }

    /** @return bytes consumed. */
    public long consumed()
    {
        return consumed;
    }

    /** @return the window. */
    public long window()
    {
        return window;
    }
}
