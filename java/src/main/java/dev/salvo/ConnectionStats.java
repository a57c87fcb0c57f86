/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

/**
 * Live counters of one connection. Written only by the I/O thread with ordered stores; readable from any
 * thread at any time without locks (each value is individually up to date, the set is not a snapshot).
 * Congestion and RTT figures come from the connection core and are refreshed whenever the I/O thread
 * services the connection; a core that does not track a figure reports 0.
 */
public interface ConnectionStats
{
    /** @return data packets sealed and handed to the kernel. */
    long packetsSent();

    /** @return data packets authenticated and accepted. */
    long packetsReceived();

    /** @return bytes of data packets sent (headers and tags included). */
    long bytesSent();

    /** @return bytes of data packets accepted (headers and tags included). */
    long bytesReceived();

    /**
     * @return data packets for this session dropped: authentication failure, duplicate, too old, or
     * authenticated but refused by the connection core (frames that break the protocol: undecodable, an
     * acknowledgement of a packet never sent, bytes beyond the granted window, ...).
     */
    long packetsRejected();

    /** @return messages handed from the application to the connection core. */
    long messagesSent();

    /** @return messages acknowledged by the peer. */
    long messagesAcknowledged();

    /** @return whole messages delivered to the {@link ConnectionHandler}. */
    long messagesReceived();

    /** @return bytes of messages delivered to the {@link ConnectionHandler}. */
    long bytesDelivered();

    /** @return smoothed round-trip time in nanoseconds (RFC 9002), 0 before the first sample. */
    long smoothedRttNs();

    /** @return minimum round-trip time seen, in nanoseconds, 0 before the first sample. */
    long minRttNs();

    /** @return congestion window in bytes. */
    long congestionWindow();

    /** @return bytes sent and neither acknowledged nor declared lost. */
    long bytesInFlight();

    /**
     * @return message bytes the sender holds that the peer has not acknowledged yet (bounded by
     * {@link TransportConfig#SEND_BUFFER_LIMIT_PROP_NAME}); 0 once the connection has closed.
     */
    long bytesUnacknowledged();

    /** @return packets declared lost. */
    long packetsLost();

    /** @return packets that carried retransmitted data. */
    long packetsRetransmitted();

    /**
     * @return packets declared lost ({@link #packetsLost()}) that the peer acknowledged afterwards: they were
     * reordered or delayed, not lost, and their retransmission was wasted. The connection widens its reordering
     * thresholds from them (RFC 9002's thresholds adapted as Linux RACK does).
     */
    default long spuriousLosses()
    {
        return 0;
    }

    /**
     * @return congestion window reductions undone because every packet whose loss caused them was acknowledged
     * afterwards (a spurious congestion event: the window, threshold and controller state return to what they
     * were before it, as Linux's undo does).
     */
    default long congestionUndos()
    {
        return 0;
    }

    /**
     * @return the congestion controller's name as {@link TransportConfig#CONGESTION_CONTROL_PROP_NAME} spells
     * it ({@code cubic}, {@code newreno}, {@code background}); empty until the core reports it.
     */
    default String congestionControl()
    {
        return "";
    }

    /**
     * @return the datagram size (UDP payload bytes, RFC 8899's PLPMTU) the connection sends now, as path MTU
     * discovery found it; 0 before the connection's first statistics.
     */
    long pathMtu();
}
