/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * What an endpoint does in the kernel: batch system calls, GSO (with its segment limit) and GRO.
 */
public final class IoCapabilities
{
    /** The NIO fallback: one system call per datagram, no GSO, no GRO. */
    public static final IoCapabilities NIO = new IoCapabilities("nio", false, false, 0, false);

    private final String implementation;
    private final boolean batchSyscalls;
    private final boolean gso;
    private final int gsoMaxSegments;
    private final boolean gro;

    IoCapabilities(
        final String implementation,
        final boolean batchSyscalls,
        final boolean gso,
        final int gsoMaxSegments,
        final boolean gro)
    {
        this.implementation = implementation;
        this.batchSyscalls = batchSyscalls;
        this.gso = gso;
        this.gsoMaxSegments = gsoMaxSegments;
        this.gro = gro;
    }

    /**
     * @return "native" or "nio".
     */
    public String implementation()
    {
        return implementation;
    }

    /**
     * @return true when a batch goes out in one {@code sendmmsg} and comes in with one {@code recvmmsg}.
     */
    public boolean batchSyscalls()
    {
        return batchSyscalls;
    }

    /**
     * @return true when GSO trains leave as one message with a {@code UDP_SEGMENT} cmsg.
     */
    public boolean gso()
    {
        return gso;
    }

    /**
     * @return segments per GSO train, 0 without GSO.
     */
    public int gsoMaxSegments()
    {
        return gsoMaxSegments;
    }

    /**
     * @return true when received trains are coalesced by the kernel ({@code UDP_GRO}).
     */
    public boolean gro()
    {
        return gro;
    }

    IoCapabilities withoutGso()
    {
        return new IoCapabilities(implementation, batchSyscalls, false, 0, gro);
    }

    @Override
    public String toString()
    {
        return "IoCapabilities{" + implementation + ", batchSyscalls=" + batchSyscalls + ", gso=" + gso +
            (gso ? "(" + gsoMaxSegments + " segments)" : "") + ", gro=" + gro + '}';
    }
}
