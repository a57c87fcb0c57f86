/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.salvo.io.ReceiveSlotDescriptor.ADDRESS_LENGTH_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.ADDRESS_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.MSG_FLAGS_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.RECEIVED_LENGTH_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.SEGMENT_SIZE_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.SLOT_LENGTH;

/**
 * The JNI endpoint: one {@code sendmmsg} per send batch (GSO trains as single messages with a
 * {@code UDP_SEGMENT} cmsg), one {@code recvmmsg} per receive batch (GRO trains split back into
 * datagrams), {@code ppoll} for waiting. The socket is created by the shim: close-on-exec,
 * {@code IP_MTU_DISCOVER}/{@code IPV6_MTU_DISCOVER} = DO, buffers as configured, and blocking: every
 * call that must not sleep passes {@code MSG_DONTWAIT}, and only the waiting receive
 * ({@code MSG_WAITFORONE}, bounded by {@code SO_RCVTIMEO}) sleeps in {@code recvmmsg}.
 *
 * <p>Closing is safe against concurrent calls: the descriptor is released only after the last
 * call in flight returns, so it can never be reused under a running system call.
 */
public final class NativeDatagramEndpoint implements DatagramEndpoint
{
    private static final int CLOSED = 1 << 30;
    private static final int RELEASED = 1 << 29;

    private final int fd;
    private final int wakeupFd;
    private final WakeupState wakeupState = new WakeupState();
    private final int family;
    private final InetSocketAddress localAddress;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final boolean gro;
    private final IoCapabilities initialCapabilities;
    private final long receiveCoalescingNanos;
    private final EndpointStats stats = new EndpointStats();
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean gso;
    private volatile IoCapabilities capabilities;
    /** The {@code SO_RCVTIMEO} in force, in the nanoseconds last asked for; 0 = never set. Receive thread only. */
    private long receiveTimeoutNanos;
    /** Slots the previous waiting receive filled (0 after a timeout): decides receive coalescing. Receive thread only. */
    private int lastWaitingSlots;

    private NativeDatagramEndpoint(
        final int fd,
        final int wakeupFd,
        final int family,
        final InetSocketAddress localAddress,
        final int sendBufferSize,
        final int receiveBufferSize,
        final boolean gso,
        final boolean gro,
        final long receiveCoalescingNanos)
    {
        this.fd = fd;
        this.wakeupFd = wakeupFd;
        this.family = family;
        this.localAddress = localAddress;
        this.sendBufferSize = sendBufferSize;
        this.receiveBufferSize = receiveBufferSize;
        this.gso = gso;
        this.gro = gro;
        this.receiveCoalescingNanos = receiveCoalescingNanos;
        this.capabilities = new IoCapabilities("native", true, gso, gso ? SendEntryDescriptor.MAX_SEGMENTS : 0, gro);
        this.initialCapabilities = capabilities;
    }

    /**
     * Opens a native endpoint.
     *
     * @param config socket settings.
     * @return the endpoint.
     * @throws IOException           if the socket cannot be created, configured or bound.
     * @throws IllegalStateException if the shim is not loaded ({@link NativeLibrary#description()} says why).
     */
    public static NativeDatagramEndpoint open(final EndpointConfig config) throws IOException
    {
        Objects.requireNonNull(config, "config");
        if (!NativeLibrary.isAvailable())
        {
            throw new IllegalStateException("native I/O unavailable: " + NativeLibrary.description());
        }

        final PeerAddress bind = PeerAddress.of(config.bindAddress());
        final int family = bind.family();
        final UnsafeBuffer sockaddr = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        final int sockaddrLength = bind.writeSockaddr(sockaddr, 0, family);
        final int fd = NativeIo.openSocket(
            sockaddr.addressOffset(), sockaddrLength, config.sendBufferSize(), config.receiveBufferSize(),
            config.socketBufferForce());
        if (fd < 0)
        {
            throw IoErrors.exception("socket/bind " + config.bindAddress(), fd);
        }

        try
        {
            final int sndbuf = check("getsockopt(SO_SNDBUF)", NativeIo.getSocketOption(fd, NativeIo.OPTION_SNDBUF));
            final int rcvbuf = check("getsockopt(SO_RCVBUF)", NativeIo.getSocketOption(fd, NativeIo.OPTION_RCVBUF));
            sockaddr.setMemory(0, 64, (byte)0);
            final int localLength = check("getsockname", NativeIo.localAddress(fd, sockaddr.addressOffset(), 64));
            final InetSocketAddress local = new PeerAddress().readSockaddr(sockaddr, 0, localLength).toInetSocketAddress();
            final boolean gso = config.gsoEnabled() && NativeIo.probeGso(fd) == 0;
            final boolean gro = config.groEnabled() && NativeIo.enableGro(fd) == 0;
            final int wakeupFd = check("eventfd", NativeIo.openWakeup());
            return new NativeDatagramEndpoint(
                fd, wakeupFd, family, local, sndbuf, rcvbuf, gso, gro, config.receiveCoalescingNanos());
        }
        catch (final IOException | RuntimeException ex)
        {
            NativeIo.closeSocket(fd);
            throw ex;
        }
    }

    private static int check(final String call, final int result) throws IOException
    {
        if (result < 0)
        {
            throw IoErrors.exception(call, result);
        }
        return result;
    }

    /**
     * Sets an integer socket option on the underlying socket (package-private: tests use it to
     * provoke kernel behaviour such as a GSO rejection).
     */
    int setIntOption(final int level, final int name, final int value) throws IOException
    {
        enter();
        try
        {
            return check("setsockopt(" + level + ", " + name + ")", NativeIo.setIntOption(fd, level, name, value));
        }
        finally
        {
            exit();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int send(final SendBatch batch) throws IOException
    {
        Objects.requireNonNull(batch, "batch");
        if (batch.isFullySent())
        {
            return 0;
        }
        enter();
        try
        {
            prepareAddresses(batch);
            final long scratch = batch.scratchAddress();
            final int scratchMessages = batch.scratchMessages();
            int entriesDone = 0;
            int gsoSuspectEntry = -1;
            long syscalls = 0;
            long datagrams = 0;
            long bytes = 0;
            try
            {
                while (!batch.isFullySent())
                {
                    final boolean useGso = gso;
                    final int result = NativeIo.sendBatch(
                        fd,
                        batch.tableAddress(),
                        batch.position(),
                        batch.segmentPosition(),
                        batch.entryCount(),
                        batch.dataAddress(),
                        batch.dataCapacity(),
                        scratch,
                        scratchMessages,
                        useGso ? NativeIo.SEND_FLAG_GSO : 0);
                    syscalls++;
                    if (result > 0)
                    {
                        entriesDone += batch.advance(result, useGso);
                        datagrams += batch.lastAdvanceDatagrams();
                        bytes += batch.lastAdvanceBytes();
                        if (result < scratchMessages)
                        {
                            break; // the kernel stopped early: the socket buffer is full
                        }
                    }
                    else if (0 == result || IoErrors.isWouldBlock(result))
                    {
                        break;
                    }
                    else if (useGso && batch.positionIsGsoTrain() &&
                        (-result == NativeLibrary.eio || -result == NativeLibrary.einval))
                    {
                        disableGso(); // nothing of this message left; resend it (and the rest) per segment
                        gsoSuspectEntry = batch.position();
                    }
                    else
                    {
                        if (-result == NativeLibrary.emsgsize)
                        {
                            if (gsoSuspectEntry == batch.position() && 0 == batch.segmentPosition())
                            {
                                // Kernels before 6.x refuse a GSO train whose segments exceed the MTU with EINVAL;
                                // the first segment alone now says EMSGSIZE: GSO works, the size did not fit.
                                restoreGso();
                            }
                            stats.onSendTooLarge();
                        }
                        throw IoErrors.exception("sendmmsg", result);
                    }
                }
            }
            finally
            {
                stats.onSend(syscalls, datagrams, bytes);
            }
            return entriesDone;
        }
        finally
        {
            exit();
        }
    }

    private void disableGso()
    {
        gso = false;
        capabilities = capabilities.withoutGso();
        stats.onGsoFallback();
    }

    private void restoreGso()
    {
        gso = true;
        capabilities = initialCapabilities;
        stats.onGsoFallbackUndone();
    }

    /**
     * Validates destinations against the socket family before the kernel sees them: an IPv4 socket
     * cannot reach IPv6 peers; IPv4 peers on an IPv6 socket are rewritten IPv4-mapped (once).
     */
    private void prepareAddresses(final SendBatch batch)
    {
        final UnsafeBuffer table = batch.table();
        for (int i = batch.position(), count = batch.entryCount(); i < count; i++)
        {
            final int entry = i * SendEntryDescriptor.ENTRY_LENGTH;
            final int addressLength = table.getInt(entry + SendEntryDescriptor.ADDRESS_LENGTH_OFFSET);
            if (PeerAddress.FAMILY_IPV4 == family)
            {
                if (SockaddrDescriptor.SOCKADDR_IN_LENGTH != addressLength)
                {
                    throw new IllegalArgumentException("entry " + i + ": IPv6 destination on an IPv4 socket");
                }
            }
            else if (SockaddrDescriptor.SOCKADDR_IN_LENGTH == addressLength)
            {
                final int port = table.getShort(entry + SendEntryDescriptor.ADDRESS_OFFSET + SockaddrDescriptor.PORT_OFFSET);
                final int ipv4 = table.getInt(entry + SendEntryDescriptor.ADDRESS_OFFSET + SockaddrDescriptor.IN_ADDR_OFFSET);
                final int address = entry + SendEntryDescriptor.ADDRESS_OFFSET;
                table.setMemory(address, SockaddrDescriptor.SOCKADDR_RESERVED_LENGTH, (byte)0);
                table.putShort(address + SockaddrDescriptor.FAMILY_OFFSET, (short)SockaddrDescriptor.AF_INET6);
                table.putShort(address + SockaddrDescriptor.PORT_OFFSET, (short)port);
                table.putShort(address + SockaddrDescriptor.IN6_ADDR_OFFSET + 10, (short)0xffff);
                table.putInt(address + SockaddrDescriptor.IN6_ADDR_OFFSET + 12, ipv4);
                table.putInt(entry + SendEntryDescriptor.ADDRESS_LENGTH_OFFSET, SockaddrDescriptor.SOCKADDR_IN6_LENGTH);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receive(final ReceiveBatch batch) throws IOException
    {
        checkReceiveBatch(batch);
        enter();
        try
        {
            final int result = NativeIo.receiveBatch(
                fd,
                batch.slotTableAddress(),
                batch.slotCount(),
                batch.dataAddress(),
                batch.dataCapacity(),
                batch.scratchAddress(),
                batch.slotCount());
            if (result < 0)
            {
                stats.onReceive(1, 0, 0);
                if (IoErrors.isWouldBlock(result))
                {
                    return 0;
                }
                throw IoErrors.exception("recvmmsg", result);
            }
            return collect(batch, result);
        }
        finally
        {
            exit();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receive(final ReceiveBatch batch, final long timeoutNanos) throws IOException
    {
        if (timeoutNanos < 0)
        {
            throw new IllegalArgumentException("timeoutNanos < 0: " + timeoutNanos);
        }
        if (0 == timeoutNanos)
        {
            return receive(batch);
        }
        checkReceiveBatch(batch);
        enter();
        try
        {
            if (timeoutNanos != receiveTimeoutNanos)
            {
                check("setsockopt(SO_RCVTIMEO)", NativeIo.setReceiveTimeout(fd, timeoutNanos));
                receiveTimeoutNanos = timeoutNanos;
            }
            final int slots = batch.slotCount();
            final long delayNanos = lastWaitingSlots > 0 && lastWaitingSlots < slots ? receiveCoalescingNanos : 0;
            final int syscalls = delayNanos > 0 ? 2 : 1;
            lastWaitingSlots = 0;
            final int result = NativeIo.receiveBatchWaiting(
                fd,
                batch.slotTableAddress(),
                slots,
                batch.dataAddress(),
                batch.dataCapacity(),
                batch.scratchAddress(),
                slots,
                delayNanos);
            if (result <= 0)
            {
                stats.onReceive(syscalls, 0, 0);
                if (isClosed())
                {
                    throw new ClosedChannelException(); // close() shut the socket down to end the wait
                }
                if (0 == result || IoErrors.isWouldBlock(result))
                {
                    return 0;
                }
                throw IoErrors.exception("recvmmsg", result);
            }
            lastWaitingSlots = result;
            if (delayNanos > 0)
            {
                stats.onReceive(1, 0, 0); // the coalescing sleep
            }
            return collect(batch, result);
        }
        finally
        {
            exit();
        }
    }

    private void checkReceiveBatch(final ReceiveBatch batch)
    {
        Objects.requireNonNull(batch, "batch");
        batch.reset();
        if (gro && batch.slotCapacity() < ReceiveSlotDescriptor.GRO_SLOT_CAPACITY)
        {
            throw new IllegalArgumentException("GRO is on: slots need " + ReceiveSlotDescriptor.GRO_SLOT_CAPACITY +
                " bytes, batch has " + batch.slotCapacity() + " (use newReceiveBatch or ReceiveBatch.forGro)");
        }
    }

    /**
     * Turns the {@code received} filled slots into datagrams (GRO trains split), counting truncations.
     *
     * <p>A slot without a source address is not a datagram: it is the end-of-stream a socket reports once
     * {@link #close()} has shut it down (every UDP datagram has a source). Nothing follows it.
     *
     * @throws ClosedChannelException if the socket was shut down and no datagram came before that.
     */
    private int collect(final ReceiveBatch batch, final int received) throws ClosedChannelException
    {
        final UnsafeBuffer table = batch.slotTable();
        final int truncationFlags = NativeLibrary.msgTrunc | NativeLibrary.msgCtrunc;
        long bytes = 0;
        boolean shutDown = false;
        for (int slot = 0; slot < received; slot++)
        {
            final int record = slot * SLOT_LENGTH;
            final int flags = table.getInt(record + MSG_FLAGS_OFFSET);
            final int length = table.getInt(record + RECEIVED_LENGTH_OFFSET);
            final int addressLength = table.getInt(record + ADDRESS_LENGTH_OFFSET);
            if (0 == addressLength && 0 == length)
            {
                shutDown = true;
                break;
            }
            if ((flags & truncationFlags) != 0 || length < 0 || length > batch.slotCapacity())
            {
                stats.onTruncated();
                continue;
            }
            batch.slotSource(slot).readSockaddr(table, record + ADDRESS_OFFSET, addressLength);
            final int base = batch.slotOffset(slot);
            final int segmentSize = table.getInt(record + SEGMENT_SIZE_OFFSET);
            if (segmentSize > 0 && length > segmentSize)
            {
                for (int start = 0; start < length; start += segmentSize)
                {
                    batch.addDatagram(slot, base + start, Math.min(segmentSize, length - start));
                }
            }
            else
            {
                batch.addDatagram(slot, base, length);
            }
            bytes += length;
        }
        stats.onReceive(1, batch.datagramCount(), bytes);
        if (shutDown && 0 == batch.datagramCount())
        {
            throw new ClosedChannelException();
        }
        return batch.datagramCount();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IOException
    {
        if (timeoutNanos < 0)
        {
            throw new IllegalArgumentException("timeoutNanos < 0: " + timeoutNanos);
        }
        enter();
        try
        {
            final int result;
            if (0 == timeoutNanos || !wakeupState.beginPark())
            {
                result = NativeIo.pollReadable(fd, -1, 0);
            }
            else
            {
                try
                {
                    result = NativeIo.pollReadable(fd, wakeupFd, timeoutNanos);
                }
                finally
                {
                    wakeupState.endPark();
                }
            }
            if (result < 0)
            {
                throw IoErrors.exception("ppoll", result);
            }
            if (isClosed())
            {
                throw new ClosedChannelException();
            }
            return 1 == result;
        }
        finally
        {
            exit();
        }
    }

    /** @return whether a thread is parked (or about to park) in {@link #awaitReadable(long)}; for tests. */
    boolean isParked()
    {
        return wakeupState.isParked();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void wakeup()
    {
        if (wakeupState.requestWakeup())
        {
            if ((users.incrementAndGet() & RELEASED) == 0)
            {
                NativeIo.signalWakeup(wakeupFd); // closed but not yet released is fine: the fd is still ours
                stats.onWakeupSignal();
            }
            exit();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public ReceiveBatch newReceiveBatch(final int slotCount, final int maxDatagram)
    {
        return gro ? ReceiveBatch.forGro(slotCount) : new ReceiveBatch(slotCount, maxDatagram);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public IoCapabilities capabilities()
    {
        return capabilities;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int sendBufferSize()
    {
        return sendBufferSize;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receiveBufferSize()
    {
        return receiveBufferSize;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public EndpointStats stats()
    {
        return stats;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean isClosed()
    {
        return (users.get() & CLOSED) != 0;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        users.incrementAndGet(); // hold the descriptor while shutting it down
        int state;
        do
        {
            state = users.get();
            if ((state & CLOSED) != 0)
            {
                exit();
                return;
            }
        }
        while (!users.compareAndSet(state, state | CLOSED));
        NativeIo.shutdownSocket(fd); // wakes a thread in awaitReadable or in the waiting receive
        exit();
    }

    private void enter() throws ClosedChannelException
    {
        if ((users.incrementAndGet() & CLOSED) != 0)
        {
            exit();
            throw new ClosedChannelException();
        }
    }

    private void exit()
    {
        if (users.decrementAndGet() == CLOSED && users.compareAndSet(CLOSED, CLOSED | RELEASED))
        {
            NativeIo.closeSocket(fd);
            NativeIo.closeSocket(wakeupFd);
        }
    }

    @Override
    public String toString()
    {
        return "NativeDatagramEndpoint{" + localAddress + ", " + capabilities + '}';
    }
}
