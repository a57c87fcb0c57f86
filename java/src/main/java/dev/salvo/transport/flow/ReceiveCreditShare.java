/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.flow;

import dev.salvo.transport.ConnectionSettings;

/**
 * Sizes each connection's receive credit cap from the socket receive buffer the kernel granted, so that the
 * credit the peers may have outstanding at once (sent, not yet read from the socket) fits in that buffer and a
 * stalled reader makes senders wait instead of making the kernel drop datagrams.
 *
 * <p>A connection's cap bounds two kinds of credit separately: MAX_DATA beyond what arrived, and the
 * MAX_MESSAGE_DATA grants of admitted messages beyond what arrived ({@link MessageFlowControl}); so up to twice
 * the cap may be on the way, beside retransmissions and control packets, which need no credit. Linux reports
 * {@code SO_RCVBUF} as twice the request and charges each queued datagram its buffer's true size: a reported
 * 425,984-byte buffer (the default {@code rmem_max} of 212,992) held 220-270 KB of 1200-8972-byte datagrams
 * sent one by one, and about 380 KB of GSO trains received with GRO (measured on loopback). GRO helps only when
 * the peer sends trains (an NIO peer does not), so the share is an eighth of the reported size per connection
 * with GRO or without, shared among the open connections: twice that, a quarter of the reported size, on the
 * way. (A quarter per connection with GRO let a 2 ms-per-message handler overflow a default-sized buffer by
 * 16 datagrams on a loaded machine, ReceiveBackPressureTest; without GRO a quarter overflowed even the
 * buffer of the default 64 MiB request.)
 *
 * <p>The floor is {@link #MIN_SHARE}, one message's initial per-message limit (INITIAL_MAX_MESSAGE_DATA), not
 * more: a sender starts a message only with MAX_DATA credit for its whole counted part (its first 64 KiB, so
 * MAX_DATA is never stranded in parts of messages that cannot complete), so a cap below that part would stop
 * every message of 64 KiB or more for good; at that part exactly, one message at a time still moves (the
 * receiver raises its limit at once when the sender reports DATA_BLOCKED, see
 * {@link ReceiveFlowControl#onPeerBlocked}). The earlier floor of four such parts (256 KiB) was larger than a
 * default-sized buffer can hold at all, so an unprivileged process (where the kernel caps the buffer at
 * {@code rmem_max}) lost datagrams whenever its application was slow. With many connections sending at once
 * into a small buffer, the floor still lets the sum exceed the buffer; losses are then repaired by
 * retransmission (nothing deadlocks) and the transport logs once that the buffer is too small (see
 * {@link #shortfallWarning}).
 */
public final class ReceiveCreditShare
{
    /** Smallest cap: one message's counted part (INITIAL_MAX_MESSAGE_DATA, a protocol constant). */
    public static final long MIN_SHARE = ConnectionSettings.INITIAL_MAX_MESSAGE_DATA;

    /** Divisor of the reported buffer per connection (see the class comment). */
    public static final long DIVISOR = 8;

    private ReceiveCreditShare()
    {
    }

    /**
     * @param grantedReceiveBuffer {@code SO_RCVBUF} as the kernel reports it (with GRO or without: the peer may not
     *                             send trains, see the class comment).
     * @param connections          the open connections sharing the socket.
     * @return each connection's receive credit cap.
     */
    public static long share(final long grantedReceiveBuffer, final int connections)
    {
        return Math.max(MIN_SHARE, (grantedReceiveBuffer / DIVISOR) / Math.max(1, connections));
    }

    /**
     * @param requestedReceiveBuffer the {@code SO_RCVBUF} requested (0: the system default was kept).
     * @param grantedReceiveBuffer   {@code SO_RCVBUF} as the kernel reports it (Linux: twice what it set).
     * @return a warning for the operator if the kernel granted well below the request (it set less than half of
     * it: the request was capped by {@code net.core.rmem_max}), naming the setting and the figure needed;
     * {@code null} if the grant is fine.
     */
    public static String shortfallWarning(final long requestedReceiveBuffer, final long grantedReceiveBuffer)
    {
        if (requestedReceiveBuffer <= 0 || grantedReceiveBuffer >= requestedReceiveBuffer)
        {
            return null;
        }
        return "socket receive buffer is " + grantedReceiveBuffer + " bytes (as reported), far below the " +
            requestedReceiveBuffer + " requested: the kernel capped it at net.core.rmem_max. Receive flow control " +
            "keeps the credit of its connections within it, so each connection moves at most about a quarter " +
            "of it per round trip (less with several connections). To lift the limit, run " +
            "'sysctl -w net.core.rmem_max=" + requestedReceiveBuffer + "' (or more), or grant the process " +
            "CAP_NET_ADMIN so that SO_RCVBUFFORCE can pass the cap (salvo.io.socketBufferForce)";
    }
}
