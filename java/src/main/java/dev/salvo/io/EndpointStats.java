/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * Counters of one endpoint. The send-side counters are written only by the sending thread and the
 * receive-side ones only by the receiving thread (single writer each); any thread may read them.
 */
public final class EndpointStats
{
    private volatile long datagramsSent;
    private volatile long bytesSent;
    private volatile long sendSyscalls;
    private volatile long gsoFallbacks;
    private volatile long datagramsReceived;
    private volatile long bytesReceived;
    private volatile long receiveSyscalls;
    private volatile long truncated;
    private volatile long sendsTooLarge;
    private final java.util.concurrent.atomic.AtomicLong wakeupSignals = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @return datagrams handed to the kernel (each GSO segment counts).
     */
    public long datagramsSent()
    {
        return datagramsSent;
    }

    /**
     * @return payload bytes handed to the kernel.
     */
    public long bytesSent()
    {
        return bytesSent;
    }

    /**
     * @return send system calls made ({@code sendmmsg}, or {@code send} per datagram on NIO).
     */
    public long sendSyscalls()
    {
        return sendSyscalls;
    }

    /**
     * @return times the kernel rejected GSO at send time and GSO was turned off (0 or 1).
     */
    public long gsoFallbacks()
    {
        return gsoFallbacks;
    }

    /**
     * @return datagrams delivered to the caller (each GRO segment counts).
     */
    public long datagramsReceived()
    {
        return datagramsReceived;
    }

    /**
     * @return payload bytes delivered to the caller.
     */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /**
     * @return receive system calls made, including those that found nothing and the sleeps of receive
     * coalescing ({@link EndpointConfig#RECEIVE_COALESCING_NANOS_PROP_NAME}).
     */
    public long receiveSyscalls()
    {
        return receiveSyscalls;
    }

    /**
     * @return messages dropped because the kernel truncated data or control ({@code MSG_TRUNC},
     * {@code MSG_CTRUNC}) or a datagram overflowed its slot.
     */
    public long truncated()
    {
        return truncated;
    }

    /**
     * @return wake-ups that reached the kernel (eventfd write / {@code Selector.wakeup()}): only those
     * made while the waiter was parked; wake-ups of a busy thread cost none.
     */
    public long wakeupSignals()
    {
        return wakeupSignals.get();
    }

    /**
     * @return send entries (a datagram or a GSO train) the kernel refused as larger than the route's MTU or the
     * path MTU it learnt (EMSGSIZE: the socket sets don't-fragment); each surfaced as a
     * {@link DatagramTooLargeException}.
     */
    public long sendsTooLarge()
    {
        return sendsTooLarge;
    }

    void onGsoFallbackUndone()
    {
        gsoFallbacks--;
    }

    void onSendTooLarge()
    {
        sendsTooLarge++;
    }

    void onWakeupSignal()
    {
        wakeupSignals.incrementAndGet();
    }

    void onSend(final long syscalls, final long datagrams, final long bytes)
    {
        sendSyscalls += syscalls;
        datagramsSent += datagrams;
        bytesSent += bytes;
    }

    void onGsoFallback()
    {
        gsoFallbacks++;
    }

    void onReceive(final long syscalls, final long datagrams, final long bytes)
    {
        receiveSyscalls += syscalls;
        datagramsReceived += datagrams;
        bytesReceived += bytes;
    }

    void onTruncated()
    {
        truncated++;
    }

    @Override
    public String toString()
    {
        return "EndpointStats{sent=" + datagramsSent + " datagrams/" + sendSyscalls + " syscalls, received=" +
            datagramsReceived + " datagrams/" + receiveSyscalls + " syscalls, gsoFallbacks=" + gsoFallbacks +
            ", truncated=" + truncated + ", sendsTooLarge=" + sendsTooLarge +
            ", wakeupSignals=" + wakeupSignals.get() + '}';
    }
}
