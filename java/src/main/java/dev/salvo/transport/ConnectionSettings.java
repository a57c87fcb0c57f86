/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

/**
 * Settings of one reliable connection, as documented property-name/default pairs; a new instance
 * starts from the system properties (or the defaults) and setters override them.
 */
public final class ConnectionSettings
{
    /** Largest message accepted and sent, bytes. */
    public static final String MAX_MESSAGE_SIZE_PROP_NAME = "salvo.transport.maxMessageSize";
    /** Default {@link #MAX_MESSAGE_SIZE_PROP_NAME}: 64 MiB. */
    public static final int MAX_MESSAGE_SIZE_DEFAULT = 64 * 1024 * 1024;

    /** Most unacknowledged message bytes a connection holds before {@code trySend} reports full. */
    public static final String SEND_BUFFER_LIMIT_PROP_NAME = "salvo.transport.sendBufferLimit";
    /** Default {@link #SEND_BUFFER_LIMIT_PROP_NAME}: 16 MiB. */
    public static final long SEND_BUFFER_LIMIT_DEFAULT = 16L * 1024 * 1024;

    /**
     * Connection receive window, bytes: how far ahead of the application the peer may send. Raised to
     * the maximum message size if smaller (a message is delivered whole, so its bytes must fit).
     */
    public static final String RECEIVE_WINDOW_PROP_NAME = "salvo.transport.receiveWindow";
    /** Default {@link #RECEIVE_WINDOW_PROP_NAME}: 64 MiB. */
    public static final long RECEIVE_WINDOW_DEFAULT = 64L * 1024 * 1024;

    /** Largest UDP payload sent; sizes the congestion window. */
    public static final String MAX_DATAGRAM_SIZE_PROP_NAME = "salvo.transport.maxDatagramSize";
    /** Default {@link #MAX_DATAGRAM_SIZE_PROP_NAME}: 1472 (Ethernet MTU minus IPv4 and UDP headers). */
    public static final int MAX_DATAGRAM_SIZE_DEFAULT = 1472;

    /** Bytes a data packet adds around its plaintext: header (1 + 4 + PN 1–4) and AEAD tag (16). */
    public static final String PACKET_OVERHEAD_PROP_NAME = "salvo.transport.packetOverhead";
    /** Default {@link #PACKET_OVERHEAD_PROP_NAME}: 25 (largest packet-number length). */
    public static final int PACKET_OVERHEAD_DEFAULT = 1 + 4 + 4 + 16;

    /** Time without any packet from the peer after which the connection is reported idle, ms. */
    public static final String IDLE_TIMEOUT_MS_PROP_NAME = "salvo.transport.idleTimeoutMs";
    /** Default {@link #IDLE_TIMEOUT_MS_PROP_NAME}: 30 s. */
    public static final long IDLE_TIMEOUT_MS_DEFAULT = 30_000;

    /** Protocol constant: longest a receiver delays an ACK for an ack-eliciting packet (both sides). */
    public static final long MAX_ACK_DELAY_NS = 25_000_000L;

    /** Protocol constant: message-id window (outstanding messages; receiver's duplicate window). */
    public static final int MESSAGE_ID_WINDOW = 4096;

    /** Protocol constant: MAX_DATA each side assumes for its peer before the first MAX_DATA frame. */
    public static final long INITIAL_MAX_DATA = 1024 * 1024;

    private int maxMessageSize = Integer.getInteger(MAX_MESSAGE_SIZE_PROP_NAME, MAX_MESSAGE_SIZE_DEFAULT);
    private long sendBufferLimit = Long.getLong(SEND_BUFFER_LIMIT_PROP_NAME, SEND_BUFFER_LIMIT_DEFAULT);
    private long receiveWindow = Long.getLong(RECEIVE_WINDOW_PROP_NAME, RECEIVE_WINDOW_DEFAULT);
    private int maxDatagramSize = Integer.getInteger(MAX_DATAGRAM_SIZE_PROP_NAME, MAX_DATAGRAM_SIZE_DEFAULT);
    private int packetOverhead = Integer.getInteger(PACKET_OVERHEAD_PROP_NAME, PACKET_OVERHEAD_DEFAULT);
    private long idleTimeoutMs = Long.getLong(IDLE_TIMEOUT_MS_PROP_NAME, IDLE_TIMEOUT_MS_DEFAULT);

    /** @return this, with the largest message size. */
    public ConnectionSettings maxMessageSize(final int bytes)
    {
        maxMessageSize = bytes;
        return this;
    }

    /** @return this, with the send buffer limit. */
    public ConnectionSettings sendBufferLimit(final long bytes)
    {
        sendBufferLimit = bytes;
        return this;
    }

    /** @return this, with the receive window. */
    public ConnectionSettings receiveWindow(final long bytes)
    {
        receiveWindow = bytes;
        return this;
    }

    /** @return this, with the max datagram size. */
    public ConnectionSettings maxDatagramSize(final int bytes)
    {
        maxDatagramSize = bytes;
        return this;
    }

    /** @return this, with the per-packet overhead. */
    public ConnectionSettings packetOverhead(final int bytes)
    {
        packetOverhead = bytes;
        return this;
    }

    /** @return this, with the idle timeout. */
    public ConnectionSettings idleTimeoutMs(final long ms)
    {
        idleTimeoutMs = ms;
        return this;
    }

    /** @return the largest message size. */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    /** @return the send buffer limit. */
    public long sendBufferLimit()
    {
        return sendBufferLimit;
    }

    /** @return the effective receive window: at least the largest message and {@link #INITIAL_MAX_DATA}. */
    public long receiveWindow()
    {
        return Math.max(Math.max(receiveWindow, maxMessageSize), INITIAL_MAX_DATA);
    }

    /** @return the max datagram size. */
    public int maxDatagramSize()
    {
        return maxDatagramSize;
    }

    /** @return the per-packet overhead. */
    public int packetOverhead()
    {
        return packetOverhead;
    }

    /** @return the idle timeout in ms. */
    public long idleTimeoutMs()
    {
        return idleTimeoutMs;
    }
}
