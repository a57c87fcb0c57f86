/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One unconnected UDP socket serving many peers, driven in batches.
 *
 * <p>Two implementations share this API so upper layers never know which they have:
 * {@link NativeDatagramEndpoint} (one {@code sendmmsg}/{@code recvmmsg} per batch through the JNI
 * shim, GSO and GRO where the kernel has them) and {@link NioDatagramEndpoint} (a loop of
 * {@code DatagramChannel.send}/{@code receive} over the same batches). {@link #open(EndpointConfig)}
 * picks the native one when {@link NativeLibrary#isAvailable()}.
 *
 * <p>Threading: one thread may send while another receives; each of {@code send},
 * {@code receive} and {@code awaitReadable} must not be called by two threads at once, and the
 * waiting {@link #receive(ReceiveBatch, long)} counts as both a receive and an await.
 * {@link #close()} may be called from any thread and wakes a thread in {@link #awaitReadable(long)}
 * or in the waiting receive; {@link #wakeup()} may be called from any thread and wakes
 * {@link #awaitReadable(long)} only.
 *
 * <p>Waiting: an event loop that has other work (timers, a command queue) parks in
 * {@link #awaitReadable(long)}, which {@link #wakeup()} can end, and then receives without waiting.
 * A thread that only receives uses {@link #receive(ReceiveBatch, long)}: one system call per wake-up
 * on the native path instead of receive (nothing) + poll + receive.
 *
 * <p>Errors: a full socket buffer is not an error (nothing, or less, is sent; nothing is
 * received); a closed endpoint throws {@link java.nio.channels.ClosedChannelException}; other
 * kernel errors throw an {@link IOException} naming the call and the errno text; bad arguments
 * throw {@link IllegalArgumentException} before any system call.
 */
public interface DatagramEndpoint extends AutoCloseable
{
    /**
     * Opens the best endpoint available: native when the shim is loaded, else NIO.
     *
     * @param config socket settings.
     * @return an open endpoint.
     * @throws IOException if the socket cannot be created or bound.
     */
    static DatagramEndpoint open(final EndpointConfig config) throws IOException
    {
        return NativeLibrary.isAvailable() ? NativeDatagramEndpoint.open(config) : NioDatagramEndpoint.open(config);
    }

    /**
     * Sends from the batch's position until the batch is fully sent or the socket buffer is full,
     * advancing the position; call again later to resume. If the kernel rejects GSO, GSO is turned
     * off for this endpoint for good and the same datagrams are sent without it (counted in
     * {@link EndpointStats#gsoFallbacks()}).
     *
     * @param batch the datagrams.
     * @return entries completed by this call (0 when the socket buffer was full).
     * @throws IOException on a kernel error; the batch position is at the entry that failed.
     */
    int send(SendBatch batch) throws IOException;

    /**
     * Receives what is queued, without waiting, into the batch's slots.
     *
     * @param batch the slots; with GRO in force each slot must hold a whole train.
     * @return datagrams received (GRO trains count as their individual datagrams), 0 if none.
     * @throws IOException on a kernel error.
     */
    int receive(ReceiveBatch batch) throws IOException;

    /**
     * Receives, waiting up to {@code timeoutNanos} for at least one datagram, then takes what is
     * queued up to the batch's slot count without waiting further (on the native path one
     * {@code recvmmsg} with {@code MSG_WAITFORONE}, bounded by {@code SO_RCVTIMEO}, which is set only
     * when the timeout differs from the previous call's, so steady state costs that one system call).
     *
     * <p>Not woken by {@link #wakeup()}: that wakes {@link #awaitReadable(long)} only (on the NIO
     * fallback a wake-up may end this wait early; it returns 0 then). A thread needing wake-ups parks
     * in {@link #awaitReadable(long)} and calls {@link #receive(ReceiveBatch)}. {@link #close()} from
     * another thread ends the wait with {@link java.nio.channels.ClosedChannelException}.
     *
     * <p>The timeout is rounded up: on the native path to the kernel's timer tick (1–10 ms depending
     * on {@code CONFIG_HZ}), on NIO to whole milliseconds; it is a bound for idle waits, not a timer.
     * The call may return 0 before the timeout (a signal, a spurious wake-up); callers loop.
     *
     * <p>The default (for other implementations) is receive, {@link #awaitReadable(long)}, receive;
     * both endpoints here override it.
     *
     * @param batch        the slots; with GRO in force each slot must hold a whole train.
     * @param timeoutNanos longest wait for the first datagram, 0 to not wait (as {@link #receive(ReceiveBatch)}).
     * @return datagrams received (GRO trains count as their individual datagrams), 0 on timeout.
     * @throws IOException on a kernel error, or {@link java.nio.channels.ClosedChannelException} when closed.
     */
    default int receive(final ReceiveBatch batch, final long timeoutNanos) throws IOException
    {
        if (timeoutNanos < 0)
        {
            throw new IllegalArgumentException("timeoutNanos < 0: " + timeoutNanos);
        }
        final int received = receive(batch);
        if (received > 0 || 0 == timeoutNanos)
        {
            return received;
        }
        awaitReadable(timeoutNanos);
        return receive(batch);
    }

    /**
     * Sleeps in the kernel until a datagram is queued, {@link #wakeup()} is called, the timeout passes
     * or the endpoint is closed. A {@link #wakeup()} made since the previous call returned makes this
     * call return at once (wake-ups are never lost, and many collapse into one).
     *
     * @param timeoutNanos longest wait, 0 to only check.
     * @return true if a receive may now find something (may be spurious; false after a wake-up alone).
     * @throws IOException on a kernel error or when closed.
     */
    boolean awaitReadable(long timeoutNanos) throws IOException;

    /**
     * Makes a thread in {@link #awaitReadable(long)} return promptly, or the next call return at once if
     * none is waiting. Does not wake {@link #receive(ReceiveBatch, long)}. Cheap when the waiter is not parked (two volatile accesses, no system call): a
     * producer may call it after every item it hands to the I/O thread. Safe from any thread; a no-op
     * on a closed endpoint.
     */
    void wakeup();

    /**
     * A receive batch suited to this endpoint (slots large enough for GRO trains when GRO is on).
     *
     * @param slotCount    slots per receive call.
     * @param maxDatagram  largest datagram expected (ignored with GRO, whose slots hold 64 KiB trains).
     * @return a new batch.
     */
    ReceiveBatch newReceiveBatch(int slotCount, int maxDatagram);

    /**
     * @return what this endpoint does in the kernel right now (GSO may turn off after a rejection).
     */
    IoCapabilities capabilities();

    /**
     * @return the bound local address.
     */
    InetSocketAddress localAddress();

    /**
     * @return the local address as a {@link PeerAddress} (127.0.0.1 / ::1 for a wildcard bind is not substituted).
     */
    default PeerAddress localPeerAddress()
    {
        return PeerAddress.of(localAddress());
    }

    /**
     * @return {@code SO_SNDBUF} as granted (Linux reports twice the request, capped by {@code wmem_max}).
     */
    int sendBufferSize();

    /**
     * @return {@code SO_RCVBUF} as granted (Linux reports twice the request, capped by {@code rmem_max}).
     */
    int receiveBufferSize();

    /**
     * @return the live counters.
     */
    EndpointStats stats();

    /**
     * @return true once {@link #close()} was called.
     */
    boolean isClosed();

    /**
     * Closes the socket; idempotent.
     */
    @Override
    void close();
}
