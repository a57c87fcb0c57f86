/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import dev.salvo.crypto.handshake.HandshakeStatus;

/**
 * Live counters of one {@link Transport}, readable from any thread at any time without locks.
 */
public interface TransportStats
{
    /** @return datagrams handed to the kernel (each GSO segment counts). */
    long datagramsSent();

    /** @return send system calls ({@code sendmmsg}, or one per datagram on the NIO fallback). */
    long sendSyscalls();

    /** @return datagrams received. */
    long datagramsReceived();

    /** @return receive system calls, including empty ones. */
    long receiveSyscalls();

    /** @return datagrams per send system call so far (1.0 on NIO; higher with sendmmsg/GSO batches). */
    default double datagramsPerSendSyscall()
    {
        final long syscalls = sendSyscalls();
        return 0 == syscalls ? 0.0 : (double)datagramsSent() / syscalls;
    }

    /** @return times the kernel rejected GSO and the socket fell back to plain sends (0 or 1). */
    long gsoFallbacks();

    /**
     * @param reason a drop reason.
     * @return received datagrams dropped for that reason.
     */
    long drops(DropReason reason);

    /** @return received datagrams dropped for any reason. */
    long totalDrops();

    /**
     * @param status a rejection status of the handshake.
     * @return handshake datagrams rejected with that status (initiations as responder, responses and
     * cookie replies as initiator).
     */
    long handshakeRejections(HandshakeStatus status);

    /** @return exceptions thrown by application handlers (caught; the I/O thread carried on). */
    long handlerExceptions();

    /** @return handshakes completed (both roles). */
    long handshakesCompleted();

    /** @return connections currently held (open, closing, or inbound awaiting confirmation). */
    long openConnections();

    /** @return wake-ups that reached the kernel (application threads waking a parked I/O thread). */
    long wakeupSignals();

    /**
     * @return sends the kernel refused as larger than the route's MTU or a path MTU it learnt (EMSGSIZE: Salvo
     * sets don't-fragment), each a datagram or a train of them; the connections concerned fall back to a smaller
     * datagram size at once and the packets are retransmitted at that size.
     */
    default long sendsTooLarge()
    {
        return 0;
    }
}
