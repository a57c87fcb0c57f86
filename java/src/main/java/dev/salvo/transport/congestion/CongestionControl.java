/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.congestion;

/**
 * A congestion controller: decides the congestion window from what loss recovery tells it. Bytes in
 * flight are kept by loss recovery, which releases them on every path that ends a packet's life;
 * the controller only sees the events. Called on the I/O thread only.
 *
 * <p>Implementations: {@link CubicCongestionControl} (the default), {@link NewRenoCongestionControl} and
 * {@link BackgroundCongestionControl} (LEDBAT++-style, yields to other traffic); {@link CongestionControllers}
 * makes one by name. Each infers on its own whether the window is used (RFC 9002 §7.8) from the bytes in
 * flight passed to {@link #onPacketSent}, so an application-limited connection does not grow its window.
 */
public interface CongestionControl
{
    /**
     * An ack-eliciting packet counted in flight was sent.
     *
     * @param bytes         its size.
     * @param bytesInFlight bytes in flight after counting it.
     * @param nowNs         the real send time.
     */
    void onPacketSent(int bytes, long bytesInFlight, long nowNs);

    /**
     * An in-flight packet was acknowledged.
     *
     * @param bytes      its size.
     * @param timeSentNs when it was sent (recovery periods are keyed by send time).
     * @param nowNs      current time.
     */
    void onPacketAcked(int bytes, long timeSentNs, long nowNs);

    /**
     * One loss event: in-flight packets declared lost by one ACK or timeout.
     *
     * @param lostBytes             their total size.
     * @param largestLostTimeSentNs send time of the most recently sent lost packet.
     * @param nowNs                 current time.
     */
    void onPacketsLost(long lostBytes, long largestLostTimeSentNs, long nowNs);

    /** Persistent congestion was established (RFC 9002 §7.6): collapse to the minimum window. */
    void onPersistentCongestion(long nowNs);

    /**
     * The congestion event that {@link #onPacketsLost} started at {@code congestionEventNs} (its {@code nowNs})
     * was spurious: every packet declared lost in it was acknowledged afterwards (reordered, not lost). Restore
     * the state from before that event (Linux's undo), unless another reduction or a persistent congestion
     * collapse happened since. The default ignores it (the window stays reduced, which is safe).
     *
     * @param congestionEventNs when the spurious congestion event started.
     * @param nowNs             current time.
     */
    default void onSpuriousCongestionEvent(long congestionEventNs, long nowNs)
    {
    }

    /**
     * An RTT sample was taken (once per ACK frame that newly acknowledges its largest packet number, after
     * that frame's {@link #onPacketAcked} calls). For delay-based controllers and HyStart++.
     *
     * @param rttNs         the latest RTT, minus the peer's reported ACK delay when that leaves it at or
     *                      above the minimum (RFC 9002 §5.3's adjusted_rtt).
     * @param minRttNs      the connection's minimum RTT so far.
     * @param smoothedRttNs the smoothed RTT after this sample.
     * @param nowNs         current time.
     */
    default void onRttSample(long rttNs, long minRttNs, long smoothedRttNs, long nowNs)
    {
    }

    /**
     * The path's datagram size (RFC 9002's max_datagram_size: path MTU discovery's current PLPMTU) changed, up
     * (a probe was confirmed) or down (a black hole, or a send refused as too large). Controllers keep their
     * windows in bytes and scale per-datagram quantities by the current size, so:
     *
     * <ul>
     * <li>the congestion window, the slow-start threshold and CUBIC's W_max stay as they are, in bytes: the
     *     congestion state describes how many bytes the bottleneck holds, which does not change with the size of
     *     the packets carrying them (a drop from 8972 to 1200 bytes keeps a 90 KB window at 90 KB, now 75
     *     packets; it does not shrink it to 10 packets, which would throttle a connection whose path is fine);</li>
     * <li>the minimum window (2 datagrams, RFC 9002 §7.2; the background floor) is re-derived from the new
     *     size, and the window is raised to it if below;</li>
     * <li>growth that counts datagrams (Reno's one datagram per window, CUBIC's C·(t − K)³ and α·MDS) uses the
     *     new size from now on; CUBIC starts a new epoch at the current window so the curve stays continuous.</li>
     * </ul>
     *
     * <p>This is what quinn does ({@code on_mtu_update}: keep the window, raise it to the new minimum) and what
     * RFC 9000 §14.3 / RFC 8899 imply: a PMTU change is not a congestion signal. The initial window is not
     * re-derived (it only matters before the first ACK). Called on the I/O thread, also once at connection start.
     * The default ignores it (for controllers that do not count datagrams).
     *
     * @param bytes the new maximum datagram size (UDP payload bytes), at least 64.
     */
    default void onDatagramSizeChanged(final int bytes)
    {
    }

    /**
     * @return congestion events undone by {@link #onSpuriousCongestionEvent} (the window reduction of a loss that
     * proved to be reordering was reverted); 0 for a controller that never undoes.
     */
    default long undoneEvents()
    {
        return 0;
    }

    /** @return the algorithm's name as {@code salvo.transport.congestionControl} spells it (for stats). */
    default String name()
    {
        return getClass().getSimpleName();
    }

    /** @return the congestion window in bytes. */
    long congestionWindow();

    /** @return true while in slow start (for stats and tests). */
    boolean inSlowStart();
}
