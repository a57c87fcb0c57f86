/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.concurrent.TimeUnit;

import dev.salvo.CongestionControlAlgorithm;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.packet.DataPacketDescriptor;

/**
 * The settings one {@link ReliableConnectionCore} runs with. Not a source of settings of its own: the
 * documented property-name/default pairs live in {@link TransportConfig}, which builds one of these per
 * connection ({@link TransportConfig#connectionSettings()}); a new instance starts from
 * {@link TransportConfig}'s defaults (not the system properties) so unit tests can drive a core alone.
 * The protocol constants below are part of the wire protocol (docs/PROTOCOL.md §5) and not settable.
 */
public final class ConnectionSettings
{
    /** Protocol constant: longest a receiver delays an ACK for an ack-eliciting packet (both sides). */
    public static final long MAX_ACK_DELAY_NS = 25_000_000L;

    /** Protocol constant: message-id window (outstanding messages; receiver's duplicate window). */
    public static final int MESSAGE_ID_WINDOW = 4096;

    /**
     * Protocol constant: MAX_DATA each side assumes for its peer before the first MAX_DATA frame. No more than
     * one message's counted part ({@link #INITIAL_MAX_MESSAGE_DATA}), the smallest credit cap a receiver uses:
     * a receiver cannot take back credit the protocol gave, so a larger initial limit (it was 1 MiB) let a
     * sender put more on the wire at once than an unprivileged receiver's socket buffer holds (the default
     * {@code rmem_max} of 212,992 bytes holds about 220 KB of datagrams) while the receiver's first MAX_DATA,
     * which comes with its first packet, made no difference after the first round trip (the initial congestion
     * window, at most 14,720 bytes, binds until then).
     */
    public static final long INITIAL_MAX_DATA = 64 * 1024;

    /**
     * Protocol constant: bytes of any one message a sender may send before the receiver's MAX_MESSAGE_DATA
     * for it (so messages up to this size never wait for a grant).
     */
    public static final long INITIAL_MAX_MESSAGE_DATA = 64 * 1024;

    /** Sender rule: most messages partly sent (up to their initial limit) while waiting for their grant. */
    public static final int MAX_UNGRANTED_MESSAGES_STARTED = 8;

    /**
     * Bytes a data packet adds around its plaintext, counted against the congestion window: the longest
     * header (1 + 4 + packet number 4) and the AEAD tag (16).
     */
    public static final int PACKET_OVERHEAD = DataPacketDescriptor.MAX_HEADER_LENGTH + DataPacketDescriptor.TAG_LENGTH;

    /** Smallest MAX_DATA window and receive window (a local choice; it was tied to the old 1 MiB INITIAL_MAX_DATA). */
    public static final long MIN_DATA_WINDOW = 1024 * 1024;

    private int maxMessageLength = TransportConfig.MAX_MESSAGE_LENGTH_DEFAULT;
    private long sendBufferLimit = TransportConfig.SEND_BUFFER_LIMIT_DEFAULT;
    private long receiveWindow = TransportConfig.RECEIVE_WINDOW_DEFAULT;
    private int maxDatagramSize = TransportConfig.MIN_DATAGRAM_SIZE_DEFAULT;
    private long idleTimeoutNs = TransportConfig.IDLE_TIMEOUT_NS_DEFAULT;
    private long keepAliveIntervalNs = TransportConfig.KEEP_ALIVE_INTERVAL_NS_DEFAULT;
    private long closeTimeoutNs = TransportConfig.CLOSE_TIMEOUT_NS_DEFAULT;
    private int maxRejectedPackets = TransportConfig.MAX_REJECTED_PACKETS_DEFAULT;
    private boolean ordered = TransportConfig.ORDERED_DEFAULT;
    private CongestionControlAlgorithm congestionControl =
        CongestionControlAlgorithm.fromPropertyValue(TransportConfig.CONGESTION_CONTROL_DEFAULT);

    private int minDatagramSize = TransportConfig.MIN_DATAGRAM_SIZE_DEFAULT;
    private long pmtuReprobeIntervalNs = TransportConfig.PMTU_REPROBE_INTERVAL_NS_DEFAULT;

    private boolean pacing = TransportConfig.PACING_DEFAULT;

    /** @return this, with the largest message length ({@link TransportConfig#MAX_MESSAGE_LENGTH_PROP_NAME}). */
    public ConnectionSettings maxMessageLength(final int bytes)
    {
        maxMessageLength = bytes;
        return this;
    }

    /** @return this, with the send buffer limit ({@link TransportConfig#SEND_BUFFER_LIMIT_PROP_NAME}). */
    public ConnectionSettings sendBufferLimit(final long bytes)
    {
        sendBufferLimit = bytes;
        return this;
    }

    /** @return this, with the receive window ({@link TransportConfig#RECEIVE_WINDOW_PROP_NAME}). */
    public ConnectionSettings receiveWindow(final long bytes)
    {
        receiveWindow = bytes;
        return this;
    }

    /** @return this, with the max datagram size ({@link TransportConfig#MAX_DATAGRAM_SIZE_PROP_NAME}). */
    public ConnectionSettings maxDatagramSize(final int bytes)
    {
        maxDatagramSize = bytes;
        return this;
    }

    /** @return this, with the idle timeout ({@link TransportConfig#IDLE_TIMEOUT_NS_PROP_NAME}). */
    public ConnectionSettings idleTimeoutNs(final long nanos)
    {
        idleTimeoutNs = nanos;
        return this;
    }

    /** @return this, with the idle timeout in milliseconds. */
    public ConnectionSettings idleTimeoutMs(final long ms)
    {
        return idleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    /** @return this, with the keep-alive interval ({@link TransportConfig#KEEP_ALIVE_INTERVAL_NS_PROP_NAME}). */
    public ConnectionSettings keepAliveIntervalNs(final long nanos)
    {
        keepAliveIntervalNs = nanos;
        return this;
    }

    /** @return this, with the graceful-close timeout ({@link TransportConfig#CLOSE_TIMEOUT_NS_PROP_NAME}). */
    public ConnectionSettings closeTimeoutNs(final long nanos)
    {
        closeTimeoutNs = nanos;
        return this;
    }

    /** @return this, with the rejected-packet limit ({@link TransportConfig#MAX_REJECTED_PACKETS_PROP_NAME}). */
    public ConnectionSettings maxRejectedPackets(final int packets)
    {
        maxRejectedPackets = packets;
        return this;
    }

    /** @return this, with the delivery mode of messages sent ({@link TransportConfig#ORDERED_PROP_NAME}). */
    public ConnectionSettings ordered(final boolean ordered)
    {
        this.ordered = ordered;
        return this;
    }

    /** @return this, with pacing on or off ({@link TransportConfig#PACING_PROP_NAME}). */
    public ConnectionSettings pacing(final boolean enabled)
    {
        pacing = enabled;
        return this;
    }

    /** @return the largest message length. */
    public int maxMessageLength()
    {
        return maxMessageLength;
    }

    /** @return the send buffer limit. */
    public long sendBufferLimit()
    {
        return sendBufferLimit;
    }

    /**
     * @return the MAX_DATA window (the first {@link #INITIAL_MAX_MESSAGE_DATA} bytes of every message): a
     * quarter of the receive window, at least {@link #MIN_DATA_WINDOW}.
     */
    public long connectionDataWindow()
    {
        return Math.max(MIN_DATA_WINDOW, receiveWindow() / 4);
    }

    /** @return the effective receive window: at least the largest message and {@link #MIN_DATA_WINDOW}. */
    public long receiveWindow()
    {
        return Math.max(Math.max(receiveWindow, maxMessageLength), MIN_DATA_WINDOW);
    }

    /**
     * @return the max datagram size: the ceiling of path MTU discovery (already resolved: never "auto"); the I/O
     * thread lowers it per connection to what the route's interface carries.
     */
    public int maxDatagramSize()
    {
        return maxDatagramSize;
    }

    /** @return the idle timeout, ns. */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /** @return the keep-alive interval, ns. */
    public long keepAliveIntervalNs()
    {
        return keepAliveIntervalNs;
    }

    /** @return the graceful-close timeout, ns. */
    public long closeTimeoutNs()
    {
        return closeTimeoutNs;
    }

    /** @return rejected packets tolerated before the connection closes with a protocol error. */
    public int maxRejectedPackets()
    {
        return maxRejectedPackets;
    }

    /** @return whether messages sent on the connection are delivered in send order. */
    public boolean ordered()
    {
        return ordered;
    }

    /** @return this, with the congestion controller ({@link TransportConfig#CONGESTION_CONTROL_PROP_NAME}). */
    public ConnectionSettings congestionControl(final CongestionControlAlgorithm algorithm)
    {
        if (null == algorithm)
        {
            throw new NullPointerException("algorithm");
        }
        congestionControl = algorithm;
        return this;
    }

    /** @return the congestion controller. */
    public CongestionControlAlgorithm congestionControl()
    {
        return congestionControl;
    }

    /**
     * @return this, with the base datagram size of path MTU discovery
     * ({@link TransportConfig#MIN_DATAGRAM_SIZE_PROP_NAME}); equal to {@link #maxDatagramSize()}: no probing.
     */
    public ConnectionSettings minDatagramSize(final int bytes)
    {
        minDatagramSize = bytes;
        return this;
    }

    /** @return this, with the re-probe interval ({@link TransportConfig#PMTU_REPROBE_INTERVAL_NS_PROP_NAME}). */
    public ConnectionSettings pmtuReprobeIntervalNs(final long nanos)
    {
        pmtuReprobeIntervalNs = nanos;
        return this;
    }

    /** @return the base datagram size: the start and the black-hole fallback, at most {@link #maxDatagramSize()}. */
    public int minDatagramSize()
    {
        return Math.min(minDatagramSize, maxDatagramSize);
    }

    /** @return how long after a search settled below the maximum path MTU discovery searches again, ns. */
    public long pmtuReprobeIntervalNs()
    {
        return pmtuReprobeIntervalNs;
    }

    /** @return whether new data is paced ({@link dev.salvo.transport.pacing.Pacer}). */
    public boolean pacing()
    {
        return pacing;
    }
}
