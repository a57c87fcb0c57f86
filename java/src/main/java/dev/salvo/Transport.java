/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.salvo.io.IoCapabilities;
import dev.salvo.transport.TransportEngine;

/**
 * One UDP socket with this peer's identity, carrying encrypted connections to and from many peers.
 *
 * <p>A transport runs one I/O thread (docs/ARCHITECTURE.md, "Thread model") that owns the socket, the
 * handshakes and every connection's state; application threads talk to it through lock-free send rings
 * and wake it only when it sleeps. Handlers run on that thread.
 *
 * <pre>{@code
 * Transport transport = Transport.open(new TransportConfig(bindAddress, identity)
 *     .allowPeers(friendKey)
 *     .acceptHandler(connection -> handler));
 * Connection connection = transport.connect(friendAddress, friendKey, handler).get();
 * connection.send(bytes, 1, TimeUnit.SECONDS);
 * }</pre>
 *
 * Inbound connections are accepted only with an {@link TransportConfig#acceptHandler(AcceptHandler)};
 * {@link TransportConfig#peerAuthorizer} decides, during the handshake, which peers may connect.
 */
public final class Transport implements AutoCloseable
{
    private final TransportEngine engine;

    private Transport(final TransportEngine engine)
    {
        this.engine = engine;
    }

    /**
     * Binds the socket (native batch I/O where available, else NIO) and starts the I/O thread.
     *
     * @param config settings.
     * @return the running transport.
     * @throws IOException           if the socket cannot be opened or bound.
     * @throws IllegalStateException if the JVM lacks {@link SalvoRuntime#REQUIRED_JVM_OPTION}.
     */
    public static Transport open(final TransportConfig config) throws IOException
    {
        SalvoRuntime.ensureSupported();
        Objects.requireNonNull(config, "config");
        final TransportEngine engine = new TransportEngine(config);
        engine.start();
        return new Transport(engine);
    }

    /**
     * Connects to a peer: runs the handshake (initiation resent with backoff, cookie replies honoured) until
     * a valid response arrives or {@link TransportConfig#connectTimeoutNs()} passes. The future completes on
     * the I/O thread (use the {@code *Async} stages for blocking follow-up work). Cancelling it abandons the
     * attempt.
     *
     * @param address       the peer's address (resolved).
     * @param peerStaticKey the peer's 32-byte static public key: whom to reach.
     * @param handler       the connection's handler.
     * @return completes with the open connection, or exceptionally with {@link ConnectFailedException}.
     */
    public CompletableFuture<Connection> connect(
        final InetSocketAddress address, final byte[] peerStaticKey, final ConnectionHandler handler)
    {
        return engine.connect(address, peerStaticKey, handler);
    }

    /**
     * As {@link #connect(InetSocketAddress, byte[], ConnectionHandler)}, with per-connection choices (e.g. a
     * congestion controller other than {@link TransportConfig#CONGESTION_CONTROL_PROP_NAME}'s).
     *
     * @param address       the peer's address (resolved).
     * @param peerStaticKey the peer's 32-byte static public key: whom to reach.
     * @param handler       the connection's handler.
     * @param options       this connection's options.
     * @return completes with the open connection, or exceptionally with {@link ConnectFailedException}.
     */
    public CompletableFuture<Connection> connect(
        final InetSocketAddress address,
        final byte[] peerStaticKey,
        final ConnectionHandler handler,
        final ConnectOptions options)
    {
        return engine.connect(address, peerStaticKey, handler, options);
    }

    /** @return the bound local address (with the actual port when bound to port 0). */
    public InetSocketAddress localAddress()
    {
        return engine.localAddress();
    }

    /** @return what the socket does in the kernel (batch system calls, GSO, GRO) or "nio". */
    public IoCapabilities capabilities()
    {
        return engine.endpoint().capabilities();
    }

    /** @return live transport counters. */
    public TransportStats stats()
    {
        return engine.counters();
    }

    /** @return the I/O thread (for monitoring; do not interrupt it). */
    public Thread ioThread()
    {
        return engine.thread();
    }

    /**
     * Closes gracefully: every connection is closed as by {@link Connection#close()} (with
     * {@link CloseReason#TRANSPORT_CLOSED}), those still open after {@link TransportConfig#closeTimeoutNs()}
     * are aborted, pending connects fail, then the socket closes. Blocks until done unless called on the
     * I/O thread (from a handler), where it only starts closing. Idempotent.
     */
    @Override
    public void close()
    {
        engine.close();
    }
}
