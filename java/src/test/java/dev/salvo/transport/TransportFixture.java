/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.io.NativeLibrary;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens transports on 127.0.0.1 and closes them all after the test.
 */
final class TransportFixture implements AutoCloseable
{
    /** The socket flavours transport tests run on. */
    enum Io
    {
        NATIVE, NIO;

        TransportConfig apply(final TransportConfig config)
        {
            if (NATIVE == this)
            {
                assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
            }
            return config.nativeIo(NATIVE == this);
        }
    }

    private final List<Transport> transports = new ArrayList<>();

    static InetSocketAddress loopback()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    static TransportConfig config(final StaticKeyPair identity)
    {
        return new TransportConfig(loopback(), identity)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .handshakeRetryNs(TimeUnit.MILLISECONDS.toNanos(100));
    }

    Transport open(final TransportConfig config) throws IOException
    {
        final Transport transport = Transport.open(config);
        transports.add(transport);
        return transport;
    }

    @Override
    public void close()
    {
        for (final Transport transport : transports)
        {
            transport.close();
        }
    }
}
