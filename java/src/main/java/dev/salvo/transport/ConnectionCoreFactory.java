/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.CongestionControlAlgorithm;
import dev.salvo.TransportConfig;
import dev.salvo.transport.message.BufferPool;

/**
 * Makes the {@link ConnectionCore} of each new connection ({@link TransportConfig#coreFactory}).
 */
public interface ConnectionCoreFactory
{
    /**
     * @param config    the transport's settings (datagram size, idle timeout, keep-alive interval, ...).
     * @param initiator true on the side that connected; its core must send a packet at once (see
     *                  {@link ConnectionCore}, "Session confirmation").
     * @param listener  where the core reports messages, acknowledgements and closing.
     * @param pool      the I/O thread's message buffers, shared by every core of the transport.
     * @param nowNs     current time.
     * @return a new core.
     */
    ConnectionCore newCore(
        TransportConfig config, boolean initiator, ConnectionCoreListener listener, BufferPool pool, long nowNs);

    /**
     * @param config the transport's settings.
     * @return the longest message the cores made by this factory can carry; sends check it up front.
     */
    long maxMessageLength(TransportConfig config);

    /**
     * A per-connection override chosen at connect time ({@code ConnectOptions#congestionControl}).
     *
     * @param algorithm the congestion controller the connection should run.
     * @return a factory whose cores use {@code algorithm}; this factory itself if it has no such choice.
     */
    default ConnectionCoreFactory withCongestionControl(final CongestionControlAlgorithm algorithm)
    {
        return this;
    }
}
