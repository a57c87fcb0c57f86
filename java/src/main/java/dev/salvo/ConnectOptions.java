/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import java.util.Objects;

/**
 * Per-connection choices made at connect time ({@link Transport#connect(java.net.InetSocketAddress, byte[],
 * ConnectionHandler, ConnectOptions)}); anything not set here comes from the {@link TransportConfig}.
 * Connections a transport accepts use its config alone.
 */
public final class ConnectOptions
{
    private CongestionControlAlgorithm congestionControl;

    /**
     * @param algorithm this connection's congestion controller, overriding
     *                  {@link TransportConfig#CONGESTION_CONTROL_PROP_NAME}.
     * @return this.
     */
    public ConnectOptions congestionControl(final CongestionControlAlgorithm algorithm)
    {
        this.congestionControl = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    /** @return the congestion controller chosen for this connection, or null for the transport's default. */
    public CongestionControlAlgorithm congestionControl()
    {
        return congestionControl;
    }
}
