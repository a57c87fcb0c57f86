/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The endpoint flavours every I/O test runs against. Native flavours skip (with the loader's
 * reason) where the shim is unavailable, so the NIO flavour alone still runs the whole suite.
 */
enum EndpointKind
{
    /** The NIO fallback: one system call per datagram. */
    NIO,
    /** Native batch system calls without GSO/GRO. */
    MMSG,
    /** Native batch system calls with GSO and GRO. */
    GSO_GRO;

    DatagramEndpoint open(final InetSocketAddress bind) throws IOException
    {
        return open(new EndpointConfig(bind));
    }

    /** @return an endpoint of this flavour with {@code config}'s bind address and socket buffers. */
    DatagramEndpoint open(final EndpointConfig config) throws IOException
    {
        if (this == NIO)
        {
            return NioDatagramEndpoint.open(config);
        }
        assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
        final boolean offload = this == GSO_GRO;
        final DatagramEndpoint endpoint = NativeDatagramEndpoint.open(config.gsoEnabled(offload).groEnabled(offload));
        if (offload && !(endpoint.capabilities().gso() && endpoint.capabilities().gro()))
        {
            final String capabilities = endpoint.capabilities().toString();
            endpoint.close();
            assumeTrue(false, () -> "kernel lacks GSO/GRO: " + capabilities);
        }
        return endpoint;
    }
}
