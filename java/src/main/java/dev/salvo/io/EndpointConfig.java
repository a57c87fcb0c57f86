/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Settings for opening a {@link DatagramEndpoint}. Defaults come from system properties
 * ({@code *_PROP_NAME}) or the {@code *_DEFAULT} constants.
 */
public final class EndpointConfig
{
    /** Requested {@code SO_SNDBUF} in bytes. */
    public static final String SEND_BUFFER_SIZE_PROP_NAME = "salvo.io.socketSendBufferSize";
    /** Default {@code SO_SNDBUF} request: 16 MiB (the kernel caps it at {@code net.core.wmem_max}). */
    public static final int SEND_BUFFER_SIZE_DEFAULT = 16 * 1024 * 1024;
    /** Requested {@code SO_RCVBUF} in bytes. */
    public static final String RECEIVE_BUFFER_SIZE_PROP_NAME = "salvo.io.socketReceiveBufferSize";
    /**
     * Default {@code SO_RCVBUF} request: 64 MiB (the kernel caps it at {@code net.core.rmem_max} unless the
     * process may force it). The transport's receive credit, what its peers may have in flight, is a share of
     * the granted buffer, so this bounds throughput at high bandwidth-delay products: with 16 MiB two flows at
     * 1 Gbit/s and 37 ms round trips were held to 600 and 375 Mbit/s. The kernel charges memory only for what
     * is queued.
     */
    public static final int RECEIVE_BUFFER_SIZE_DEFAULT = 64 * 1024 * 1024;
    /**
     * Whether the native endpoint asks for its buffer sizes with {@code SO_SNDBUFFORCE}/{@code SO_RCVBUFFORCE},
     * which pass {@code net.core.wmem_max}/{@code rmem_max} for a process with {@code CAP_NET_ADMIN} in the
     * initial user namespace. Without that capability (an unprivileged process, a rootless container) they
     * fail and the capped request is used anyway; false always keeps the system caps, as such a host would.
     */
    public static final String SOCKET_BUFFER_FORCE_PROP_NAME = "salvo.io.socketBufferForce";
    /** Forcing is tried by default. */
    public static final boolean SOCKET_BUFFER_FORCE_DEFAULT = true;
    /** Whether to use UDP GSO ({@code UDP_SEGMENT}) when the kernel supports it. */
    public static final String GSO_ENABLED_PROP_NAME = "salvo.io.gso";
    /** GSO is used by default where supported. */
    public static final boolean GSO_ENABLED_DEFAULT = true;
    /** Whether to enable UDP GRO ({@code UDP_GRO}) when the kernel supports it. */
    public static final String GRO_ENABLED_PROP_NAME = "salvo.io.gro";
    /** GRO is used by default where supported. */
    public static final boolean GRO_ENABLED_DEFAULT = true;
    /**
     * Receive coalescing window of the waiting {@link DatagramEndpoint#receive(ReceiveBatch, long)}, in
     * nanoseconds: while the receiver keeps up (its previous waiting receive got at least one datagram but
     * did not fill the batch), the next one first sleeps this long, off the socket's wait queue, so a batch
     * accumulates. Fewer receive calls per datagram, and the sender's kernel path no longer wakes the
     * receiver for every few datagrams (measured on 2 cores: +30–40% loopback throughput at 1400 B x 64,
     * docs/BENCHMARKS.md), at the price of up to this much added latency per datagram. Never applied after
     * an idle wait that timed out, nor to {@link DatagramEndpoint#receive(ReceiveBatch)} or
     * {@link DatagramEndpoint#awaitReadable(long)}.
     */
    public static final String RECEIVE_COALESCING_NANOS_PROP_NAME = "salvo.io.receiveCoalescingNanos";
    /** Default 0: off, the waiting receive adds no latency. */
    public static final long RECEIVE_COALESCING_NANOS_DEFAULT = 0;
    /** Largest coalescing window accepted (it is a latency cost, not a timer): 100 ms. */
    public static final long RECEIVE_COALESCING_NANOS_MAX = 100_000_000L;

    private InetSocketAddress bindAddress;
    private int sendBufferSize = Integer.getInteger(SEND_BUFFER_SIZE_PROP_NAME, SEND_BUFFER_SIZE_DEFAULT);
    private int receiveBufferSize = Integer.getInteger(RECEIVE_BUFFER_SIZE_PROP_NAME, RECEIVE_BUFFER_SIZE_DEFAULT);
    private boolean socketBufferForce = booleanProperty(SOCKET_BUFFER_FORCE_PROP_NAME, SOCKET_BUFFER_FORCE_DEFAULT);
    private boolean gsoEnabled = booleanProperty(GSO_ENABLED_PROP_NAME, GSO_ENABLED_DEFAULT);
    private boolean groEnabled = booleanProperty(GRO_ENABLED_PROP_NAME, GRO_ENABLED_DEFAULT);
    private long receiveCoalescingNanos = checkCoalescing(
        Long.getLong(RECEIVE_COALESCING_NANOS_PROP_NAME, RECEIVE_COALESCING_NANOS_DEFAULT));

    /**
     * @param bindAddress the resolved local address to bind (port 0 for any).
     */
    public EndpointConfig(final InetSocketAddress bindAddress)
    {
        bindAddress(bindAddress);
    }

    private static boolean booleanProperty(final String name, final boolean defaultValue)
    {
        final String value = System.getProperty(name);
        return null == value ? defaultValue : Boolean.parseBoolean(value);
    }

    /**
     * @param bindAddress the resolved local address to bind.
     * @return this.
     */
    public EndpointConfig bindAddress(final InetSocketAddress bindAddress)
    {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (bindAddress.isUnresolved())
        {
            throw new IllegalArgumentException("unresolved bind address: " + bindAddress);
        }
        this.bindAddress = bindAddress;
        return this;
    }

    /**
     * @param bytes requested {@code SO_SNDBUF}, 0 to keep the system default.
     * @return this.
     */
    public EndpointConfig sendBufferSize(final int bytes)
    {
        if (bytes < 0)
        {
            throw new IllegalArgumentException("sendBufferSize < 0: " + bytes);
        }
        this.sendBufferSize = bytes;
        return this;
    }

    /**
     * @param bytes requested {@code SO_RCVBUF}, 0 to keep the system default.
     * @return this.
     */
    public EndpointConfig receiveBufferSize(final int bytes)
    {
        if (bytes < 0)
        {
            throw new IllegalArgumentException("receiveBufferSize < 0: " + bytes);
        }
        this.receiveBufferSize = bytes;
        return this;
    }

    /**
     * @param force whether to try passing the system's buffer caps (see {@link #SOCKET_BUFFER_FORCE_PROP_NAME}).
     * @return this.
     */
    public EndpointConfig socketBufferForce(final boolean force)
    {
        this.socketBufferForce = force;
        return this;
    }

    /**
     * @param enabled whether to use GSO where supported.
     * @return this.
     */
    public EndpointConfig gsoEnabled(final boolean enabled)
    {
        this.gsoEnabled = enabled;
        return this;
    }

    /**
     * @param enabled whether to use GRO where supported.
     * @return this.
     */
    public EndpointConfig groEnabled(final boolean enabled)
    {
        this.groEnabled = enabled;
        return this;
    }

    /**
     * @param nanos receive coalescing window (see {@link #RECEIVE_COALESCING_NANOS_PROP_NAME}), 0 for none.
     * @return this.
     */
    public EndpointConfig receiveCoalescingNanos(final long nanos)
    {
        this.receiveCoalescingNanos = checkCoalescing(nanos);
        return this;
    }

    private static long checkCoalescing(final long nanos)
    {
        if (nanos < 0 || nanos > RECEIVE_COALESCING_NANOS_MAX)
        {
            throw new IllegalArgumentException(
                "receiveCoalescingNanos must be in [0, " + RECEIVE_COALESCING_NANOS_MAX + "]: " + nanos);
        }
        return nanos;
    }

    /**
     * @return the local address to bind.
     */
    public InetSocketAddress bindAddress()
    {
        return bindAddress;
    }

    /**
     * @return requested {@code SO_SNDBUF}.
     */
    public int sendBufferSize()
    {
        return sendBufferSize;
    }

    /**
     * @return requested {@code SO_RCVBUF}.
     */
    public int receiveBufferSize()
    {
        return receiveBufferSize;
    }

    /**
     * @return whether the native endpoint tries to pass the system's buffer caps.
     */
    public boolean socketBufferForce()
    {
        return socketBufferForce;
    }

    /**
     * @return whether GSO is wanted.
     */
    public boolean gsoEnabled()
    {
        return gsoEnabled;
    }

    /**
     * @return whether GRO is wanted.
     */
    public boolean groEnabled()
    {
        return groEnabled;
    }

    /**
     * @return the receive coalescing window in nanoseconds, 0 for none.
     */
    public long receiveCoalescingNanos()
    {
        return receiveCoalescingNanos;
    }
}
