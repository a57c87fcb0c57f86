/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.salvo.ConnectionStats;

/**
 * The {@link ConnectionStats} of one connection. Single writer (the I/O thread) with ordered stores
 * ({@code lazySet}), so updates cost no fence; any thread reads them with volatile loads.
 */
public final class ConnectionCounters implements ConnectionStats
{
    private static final int PACKETS_SENT = 0;
    private static final int PACKETS_RECEIVED = 1;
    private static final int BYTES_SENT = 2;
    private static final int BYTES_RECEIVED = 3;
    private static final int PACKETS_REJECTED = 4;
    private static final int MESSAGES_SENT = 5;
    private static final int MESSAGES_ACKNOWLEDGED = 6;
    private static final int MESSAGES_RECEIVED = 7;
    private static final int BYTES_DELIVERED = 8;
    private static final int SMOOTHED_RTT = 9;
    private static final int MIN_RTT = 10;
    private static final int CONGESTION_WINDOW = 11;
    private static final int BYTES_IN_FLIGHT = 12;
    private static final int PACKETS_LOST = 13;
    private static final int PACKETS_RETRANSMITTED = 14;
    private static final int BYTES_UNACKNOWLEDGED = 15;
    private static final int PACKETS_REFUSED = 16;
    private static final int PATH_MTU = 17;
    private static final int SPURIOUS_LOSSES = 18;
    private static final int CONGESTION_UNDOS = 19;
    private static final int COUNT = 20;

    // Spread over cache lines of their own would be nicer; one array keeps the object small for many connections.
    private final AtomicLongArray values = new AtomicLongArray(COUNT);
    private volatile String congestionControl = "";

    private void add(final int index, final long delta)
    {
        values.lazySet(index, values.get(index) + delta);
    }

    void onPacketsSent(final long packets, final long bytes)
    {
        add(PACKETS_SENT, packets);
        add(BYTES_SENT, bytes);
    }

    void onPacketReceived(final long bytes)
    {
        add(PACKETS_RECEIVED, 1);
        add(BYTES_RECEIVED, bytes);
    }

    void onPacketRejected()
    {
        add(PACKETS_REJECTED, 1);
    }

    void onMessageSent()
    {
        add(MESSAGES_SENT, 1);
    }

    void onMessageAcknowledged()
    {
        add(MESSAGES_ACKNOWLEDGED, 1);
    }

    void onMessageReceived(final long bytes)
    {
        add(MESSAGES_RECEIVED, 1);
        add(BYTES_DELIVERED, bytes);
    }

    /** @param nanos smoothed RTT (for {@link ConnectionCore#snapshotStats}). */
    public void smoothedRttNs(final long nanos)
    {
        values.lazySet(SMOOTHED_RTT, nanos);
    }

    /**
     * @param packets authenticated packets the core refused (frames breaking the protocol), counted in
     * {@link #packetsRejected()} (for {@link ConnectionCore#snapshotStats}).
     */
    public void packetsRefused(final long packets)
    {
        values.lazySet(PACKETS_REFUSED, packets);
    }

    /** @param bytes the datagram size path MTU discovery settled on (for {@link ConnectionCore#snapshotStats}). */
    public void pathMtu(final long bytes)
    {
        values.lazySet(PATH_MTU, bytes);
    }

    @Override
    public long pathMtu()
    {
        return values.get(PATH_MTU);
    }

    /** @param packets packets declared lost and acknowledged afterwards (for {@link ConnectionCore#snapshotStats}). */
    public void spuriousLosses(final long packets)
    {
        values.lazySet(SPURIOUS_LOSSES, packets);
    }

    @Override
    public long spuriousLosses()
    {
        return values.get(SPURIOUS_LOSSES);
    }

    /** @param events congestion events undone as spurious (for {@link ConnectionCore#snapshotStats}). */
    public void congestionUndos(final long events)
    {
        values.lazySet(CONGESTION_UNDOS, events);
    }

    @Override
    public long congestionUndos()
    {
        return values.get(CONGESTION_UNDOS);
    }

    /** @param bytes unacknowledged message bytes held (for {@link ConnectionCore#snapshotStats}). */
    public void bytesUnacknowledged(final long bytes)
    {
        values.lazySet(BYTES_UNACKNOWLEDGED, bytes);
    }

    @Override
    public long bytesUnacknowledged()
    {
        return values.get(BYTES_UNACKNOWLEDGED);
    }

    /** @param nanos minimum RTT (for {@link ConnectionCore#snapshotStats}). */
    public void minRttNs(final long nanos)
    {
        values.lazySet(MIN_RTT, nanos);
    }

    /** @param bytes congestion window (for {@link ConnectionCore#snapshotStats}). */
    public void congestionWindow(final long bytes)
    {
        values.lazySet(CONGESTION_WINDOW, bytes);
    }

    /** @param bytes bytes in flight (for {@link ConnectionCore#snapshotStats}). */
    public void bytesInFlight(final long bytes)
    {
        values.lazySet(BYTES_IN_FLIGHT, bytes);
    }

    /** @param packets packets declared lost so far (for {@link ConnectionCore#snapshotStats}). */
    public void packetsLost(final long packets)
    {
        values.lazySet(PACKETS_LOST, packets);
    }

    /** @param packets packets carrying retransmitted data so far (for {@link ConnectionCore#snapshotStats}). */
    public void packetsRetransmitted(final long packets)
    {
        values.lazySet(PACKETS_RETRANSMITTED, packets);
    }

    @Override
    public long packetsSent()
    {
        return values.get(PACKETS_SENT);
    }

    @Override
    public long packetsReceived()
    {
        return values.get(PACKETS_RECEIVED);
    }

    @Override
    public long bytesSent()
    {
        return values.get(BYTES_SENT);
    }

    @Override
    public long bytesReceived()
    {
        return values.get(BYTES_RECEIVED);
    }

    @Override
    public long packetsRejected()
    {
        return values.get(PACKETS_REJECTED) + values.get(PACKETS_REFUSED);
    }

    @Override
    public long messagesSent()
    {
        return values.get(MESSAGES_SENT);
    }

    @Override
    public long messagesAcknowledged()
    {
        return values.get(MESSAGES_ACKNOWLEDGED);
    }

    @Override
    public long messagesReceived()
    {
        return values.get(MESSAGES_RECEIVED);
    }

    @Override
    public long bytesDelivered()
    {
        return values.get(BYTES_DELIVERED);
    }

    @Override
    public long smoothedRttNs()
    {
        return values.get(SMOOTHED_RTT);
    }

    @Override
    public long minRttNs()
    {
        return values.get(MIN_RTT);
    }

    @Override
    public long congestionWindow()
    {
        return values.get(CONGESTION_WINDOW);
    }

    @Override
    public long bytesInFlight()
    {
        return values.get(BYTES_IN_FLIGHT);
    }

    @Override
    public long packetsLost()
    {
        return values.get(PACKETS_LOST);
    }

    @Override
    public long packetsRetransmitted()
    {
        return values.get(PACKETS_RETRANSMITTED);
    }

    @Override
    public String toString()
    {
        return "ConnectionStats{packets sent/received=" + packetsSent() + "/" + packetsReceived() +
            ", rejected=" + packetsRejected() + ", messages sent/acked/received=" + messagesSent() + "/" +
            messagesAcknowledged() + "/" + messagesReceived() + ", srtt=" + smoothedRttNs() + "ns" +
            ", lost/spurious/retransmitted=" + packetsLost() + "/" + spuriousLosses() + "/" + packetsRetransmitted() +
            ", congestionUndos=" + congestionUndos() + "}";
    }

    /** @param name the congestion controller's name (for {@link ConnectionCore#snapshotStats}); set once. */
    public void congestionControl(final String name)
    {
        if (!name.equals(congestionControl))
        {
            congestionControl = name;
        }
    }

    @Override
    public String congestionControl()
    {
        return congestionControl;
    }
}
