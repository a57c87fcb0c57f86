/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * The JNI shim's entry points: plain static methods taking primitives only, so a call touches no
 * Java object. Every method returns a count, a descriptor or {@code -errno}; values at or below
 * {@link #ERR_BAD_DESCRIPTOR} are the shim's own codes. Callers validate arguments first; the shim
 * re-checks them and never trusts a length. Only usable once {@link NativeLibrary#isAvailable()}.
 */
final class NativeIo
{
    static final int LAYOUT_VERSION = 0;
    static final int LAYOUT_AF_INET = 1;
    static final int LAYOUT_AF_INET6 = 2;
    static final int LAYOUT_SOCKADDR_IN_SIZE = 3;
    static final int LAYOUT_SOCKADDR_IN6_SIZE = 4;
    static final int LAYOUT_SIN_FAMILY_OFFSET = 5;
    static final int LAYOUT_SIN_PORT_OFFSET = 6;
    static final int LAYOUT_SIN_ADDR_OFFSET = 7;
    static final int LAYOUT_SIN6_FAMILY_OFFSET = 8;
    static final int LAYOUT_SIN6_PORT_OFFSET = 9;
    static final int LAYOUT_SIN6_FLOWINFO_OFFSET = 10;
    static final int LAYOUT_SIN6_ADDR_OFFSET = 11;
    static final int LAYOUT_SIN6_SCOPE_ID_OFFSET = 12;
    static final int LAYOUT_SEND_ENTRY_LENGTH = 13;
    static final int LAYOUT_SEND_SCRATCH_PER_MESSAGE = 14;
    static final int LAYOUT_RECV_SLOT_LENGTH = 15;
    static final int LAYOUT_RECV_SCRATCH_PER_SLOT = 16;
    static final int LAYOUT_MAX_MESSAGES_PER_CALL = 17;
    static final int LAYOUT_EAGAIN = 18;
    static final int LAYOUT_EWOULDBLOCK = 19;
    static final int LAYOUT_EBADF = 20;
    static final int LAYOUT_EIO = 21;
    static final int LAYOUT_EINVAL = 22;
    static final int LAYOUT_EINTR = 23;
    static final int LAYOUT_MSG_TRUNC = 24;
    static final int LAYOUT_MSG_CTRUNC = 25;
    static final int LAYOUT_RECV_SLOT_CONTROL = 26;
    static final int LAYOUT_SEND_ENTRY_ADDRESS = 27;
    static final int LAYOUT_RECV_SLOT_ADDRESS = 28;
    static final int LAYOUT_EMSGSIZE = 29;

    /** The layout version this Java code speaks. */
    static final int EXPECTED_LAYOUT_VERSION = 2;

    /** The shim found a malformed record in a descriptor table. */
    static final int ERR_BAD_DESCRIPTOR = -100_001;
    /** The shim rejected a call argument. */
    static final int ERR_BAD_ARGUMENT = -100_002;

    static final int OPTION_SNDBUF = 1;
    static final int OPTION_RCVBUF = 2;

    static final int SEND_FLAG_GSO = 1;

    private NativeIo()
    {
    }

    static native int layout(int key);

    static native String errorText(int errno);

    static native int openSocket(
        long sockaddrAddress, int sockaddrLength, int sendBufferSize, int receiveBufferSize, boolean forceBufferSizes);

    static native int getSocketOption(int fd, int option);

    static native int setIntOption(int fd, int level, int name, int value);

    static native int localAddress(int fd, long sockaddrAddress, int capacity);

    static native int probeGso(int fd);

    static native int enableGro(int fd);

    static native int shutdownSocket(int fd);

    /** Sets {@code SO_RCVTIMEO} (the bound of {@link #receiveBatchWaiting}); timeout &gt; 0, rounded up to µs. */
    static native int setReceiveTimeout(int fd, long timeoutNanos);

    static native int closeSocket(int fd);

    /** @return 1 readable, 2 woken by the eventfd only, 0 timeout/EINTR, or -errno. */
    static native int pollReadable(int fd, int wakeupFd, long timeoutNanos);

    /** @return a non-blocking eventfd for {@link #signalWakeup}, or -errno. */
    static native int openWakeup();

    static native int signalWakeup(int wakeupFd);

    static native int sendBatch(
        int fd,
        long tableAddress,
        int firstEntry,
        int firstSegment,
        int entryCount,
        long dataAddress,
        int dataCapacity,
        long scratchAddress,
        int scratchMessages,
        int flags);

    static native int receiveBatch(
        int fd,
        long slotTableAddress,
        int slotCount,
        long dataAddress,
        long dataCapacity,
        long scratchAddress,
        int scratchSlots);

    /**
     * As {@link #receiveBatch} but with {@code MSG_WAITFORONE} on the blocking socket: sleeps until one
     * datagram is queued or {@code SO_RCVTIMEO} passes ({@code -EAGAIN}), then takes what is queued.
     * With {@code delayNanos} in (0, 1 s) it first sleeps that long (receive coalescing).
     */
    static native int receiveBatchWaiting(
        int fd,
        long slotTableAddress,
        int slotCount,
        long dataAddress,
        long dataCapacity,
        long scratchAddress,
        int scratchSlots,
        long delayNanos);
}
