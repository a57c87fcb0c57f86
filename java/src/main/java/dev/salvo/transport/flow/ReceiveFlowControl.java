/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.flow;

/**
 * Connection-level flow control, receiving side. The peer may send message bytes up to the limit
 * advertised in MAX_DATA; bytes count once, by the highest offset received in each message. When
 * the application has consumed half the window, the limit is raised to consumed + window and a
 * MAX_DATA frame is owed (updates go out in batches, not per message).
 */
public final class ReceiveFlowControl
{
    private final long window;
    private long advertised;
    private long received;
    private long consumed;
    private boolean maxDataPending;

    /**
     * @param initialMaxData protocol constant the peer assumes before our first MAX_DATA.
     * @param window         receive window in bytes (≥ the largest message this side accepts).
     */
    public ReceiveFlowControl(final long initialMaxData, final long window)
    {
        this.window = window;
        this.advertised = initialMaxData;
        if (window > initialMaxData)
        {
            advertised = window;
            maxDataPending = true;
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
    }

    /** The application consumed {@code bytes} (a message delivered or discarded). */
    public void onConsumed(final long bytes)
    {
        consumed += bytes;
        if (advertised - consumed <= window / 2)
        {
            advertised = consumed + window;
            maxDataPending = true;
        }
    }

    /** @return whether a MAX_DATA frame is owed. */
    public boolean maxDataPending()
    {
        return maxDataPending;
    }

    /** A MAX_DATA frame carrying {@link #advertised()} was written. */
    public void onMaxDataSent()
    {
        maxDataPending = false;
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
