/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable fallback: the same batches, sent and received one datagram per
 * {@link DatagramChannel} call. GSO trains are sent as their individual segments; there is no GRO.
 * Truncation is detected with the slot's guard byte: a datagram longer than the slot is dropped
 * and counted, never passed up cut short.
 */
public final class NioDatagramEndpoint implements DatagramEndpoint
{
    private final DatagramChannel channel;
    private final Selector selector;
    private final int family;
    private final InetSocketAddress localAddress;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final EndpointStats stats = new EndpointStats();
    private final PeerAddress destination = new PeerAddress();
    private final PeerAddress lastDestination = new PeerAddress();
    private final WakeupState wakeupState = new WakeupState();
    private SendBatch viewBatch;
    private ByteBuffer view;
    private InetSocketAddress lastSocketAddress;
    private final long receiveCoalescingNanos;
    /** Datagrams the previous waiting receive got (0 after a timeout): decides receive coalescing. */
    private int lastWaitingCount;

    private NioDatagramEndpoint(
        final DatagramChannel channel, final Selector selector, final int family, final long receiveCoalescingNanos)
        throws IOException
    {
        this.receiveCoalescingNanos = receiveCoalescingNanos;
        this.channel = channel;
        this.selector = selector;
        this.family = family;
        this.localAddress = (InetSocketAddress)channel.getLocalAddress();
        this.sendBufferSize = channel.getOption(StandardSocketOptions.SO_SNDBUF);
        this.receiveBufferSize = channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /**
     * Opens an NIO endpoint.
     *
     * @param config socket settings (GSO and GRO settings are ignored).
     * @return the endpoint.
     * @throws IOException if the channel cannot be opened, configured or bound.
     */
    public static NioDatagramEndpoint open(final EndpointConfig config) throws IOException
    {
        Objects.requireNonNull(config, "config");
        final PeerAddress bind = PeerAddress.of(config.bindAddress());
        final ProtocolFamily protocolFamily = PeerAddress.FAMILY_IPV4 == bind.family() ?
            StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        final DatagramChannel channel = DatagramChannel.open(protocolFamily);
        Selector selector = null;
        try
        {
            channel.configureBlocking(false);
            if (config.sendBufferSize() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferSize());
            }
            if (config.receiveBufferSize() > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferSize());
            }
            setDontFragment(channel);
            channel.bind(config.bindAddress());
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new NioDatagramEndpoint(channel, selector, bind.family(), config.receiveCoalescingNanos());
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            if (null != selector)
            {
                selector.close();
            }
            throw ex;
        }
    }

    /**
     * {@code jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT} exists from JDK 19; set it when present.
     */
    @SuppressWarnings("unchecked")
    private static void setDontFragment(final DatagramChannel channel)
    {
        try
        {
            final Class<?> options = Class.forName("jdk.net.ExtendedSocketOptions");
            final Field field = options.getField("IP_DONTFRAGMENT");
            final SocketOption<Boolean> option = (SocketOption<Boolean>)field.get(null);
            if (channel.supportedOptions().contains(option))
            {
                channel.setOption(option, Boolean.TRUE);
            }
        }
        catch (final ReflectiveOperationException | IOException | RuntimeException ignore)
        {
            // Not available on this JDK/OS: the host may fragment oversized datagrams.
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
        ensureOpen();
        checkFamilies(batch);

        if (batch != viewBatch)
        {
            // One view per batch, kept: a duplicate per call would allocate on every flush (the sender is one
            // thread, so the cached view is never shared).
            view = batch.byteBuffer().duplicate();
            viewBatch = batch;
        }
        final ByteBuffer view = this.view;
        int entriesDone = 0;
        long syscalls = 0;
        long datagrams = 0;
        long bytes = 0;
        try
        {
            while (!batch.isFullySent())
            {
                final int index = batch.position();
                final int offset = batch.entryOffset(index);
                final int length = batch.entryLength(index);
                final int segmentSize = batch.entrySegmentSize(index);
                final int start = segmentSize == 0 ? 0 : batch.segmentPosition() * segmentSize;
                final int datagramLength = segmentSize == 0 ? length : Math.min(segmentSize, length - start);
                view.limit(offset + start + datagramLength).position(offset + start);
                final int sent;
                try
                {
                    sent = channel.send(view, socketAddress(batch, index));
                }
                catch (final IOException ex)
                {
                    syscalls++;
                    throw tooLarge(ex);
                }
                syscalls++;
                if (0 == sent && datagramLength > 0)
                {
                    break; // socket buffer full
                }
                entriesDone += batch.advance(1, false);
                datagrams++;
                bytes += datagramLength;
            }
        }
        finally
        {
            stats.onSend(syscalls, datagrams, bytes);
        }
        return entriesDone;
    }

    /**
     * The JDK reports EMSGSIZE (a datagram above the route MTU with don't-fragment set) as a plain IOException
     * carrying the system's text, "Message too long" on Linux, macOS and Windows alike; that one becomes a
     * {@link DatagramTooLargeException} so the transport takes it as a path MTU signal.
     */
    private IOException tooLarge(final IOException ex)
    {
        final String message = ex.getMessage();
        if (null != message && message.toLowerCase(java.util.Locale.ROOT).contains("message too long"))
        {
            stats.onSendTooLarge();
            return new DatagramTooLargeException(message, ex);
        }
        return ex;
    }

    private void checkFamilies(final SendBatch batch)
    {
        if (PeerAddress.FAMILY_IPV4 != family)
        {
            return;
        }
        for (int i = batch.position(), count = batch.entryCount(); i < count; i++)
        {
            if (PeerAddress.FAMILY_IPV4 != batch.entryDestination(i, destination).family())
            {
                throw new IllegalArgumentException("entry " + i + ": IPv6 destination on an IPv4 socket");
            }
        }
    }

    private InetSocketAddress socketAddress(final SendBatch batch, final int index)
    {
        batch.entryDestination(index, destination);
        if (null == lastSocketAddress || !lastDestination.equalsAddress(destination))
        {
            lastDestination.set(destination);
            lastSocketAddress = destination.toInetSocketAddress();
        }
        return lastSocketAddress;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receive(final ReceiveBatch batch) throws IOException
    {
        Objects.requireNonNull(batch, "batch");
        batch.reset();
        ensureOpen();
        long syscalls = 0;
        long bytes = 0;
        try
        {
            final int slots = batch.slotCount();
            // Bounded: truncated datagrams are dropped without using a slot, at most one round's worth.
            for (int slot = 0, attempts = 0; slot < slots && attempts < 2 * slots; attempts++)
            {
                final ByteBuffer view = batch.slotView(slot);
                final SocketAddress source = channel.receive(view);
                syscalls++;
                if (null == source)
                {
                    break;
                }
                final int length = view.position();
                if (length > batch.slotCapacity())
                {
                    stats.onTruncated(); // the guard byte was filled: the datagram did not fit
                    continue;
                }
                batch.slotSource(slot).set((InetSocketAddress)source);
                batch.addDatagram(slot, batch.slotOffset(slot), length);
                bytes += length;
                slot++;
            }
        }
        finally
        {
            stats.onReceive(syscalls, batch.datagramCount(), bytes);
        }
        return batch.datagramCount();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: a receive without waiting; if it found nothing, a {@code Selector.select} of up to the
     * timeout (whole milliseconds, rounded up) and a second receive. A {@link #wakeup()} that reached
     * the selector may end the select early (the call then returns what the second receive finds).
     * Receive coalescing, when configured, parks the thread first.
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
        if (lastWaitingCount > 0 && lastWaitingCount < batch.slotCount() && receiveCoalescingNanos > 0)
        {
            LockSupport.parkNanos(receiveCoalescingNanos);
            stats.onReceive(1, 0, 0);
        }
        lastWaitingCount = 0;
        final int received = receive(batch);
        if (received > 0)
        {
            lastWaitingCount = received;
            return received;
        }
        try
        {
            selector.select(selectMillis(timeoutNanos));
            selector.selectedKeys().clear();
        }
        catch (final ClosedSelectorException ex)
        {
            throw new ClosedChannelException(); // close() raced with this wait
        }
        lastWaitingCount = receive(batch); // throws ClosedChannelException if close() ended the wait
        return lastWaitingCount;
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
        ensureOpen();
        int ready = 0;
        try
        {
            if (0 == timeoutNanos)
            {
                ready = selector.selectNow();
            }
            else if (wakeupState.beginPark())
            {
                try
                {
                    ready = selector.select(selectMillis(timeoutNanos));
                }
                finally
                {
                    wakeupState.endPark();
                }
            }
            selector.selectedKeys().clear();
        }
        catch (final ClosedSelectorException ex)
        {
            // close() raced with this wait: report it the way every other call on a closed endpoint does.
            throw new ClosedChannelException();
        }
        ensureOpen();
        return ready > 0;
    }

    /**
     * @return the timeout for {@code Selector.select}: whole milliseconds rounded up, at least 1 (0 would
     * mean "forever"), without overflow for huge timeouts.
     */
    private static long selectMillis(final long timeoutNanos)
    {
        final long millis = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        return Math.max(1, TimeUnit.MILLISECONDS.toNanos(millis) < timeoutNanos ? millis + 1 : millis);
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
            try
            {
                selector.wakeup();
                stats.onWakeupSignal();
            }
            catch (final ClosedSelectorException ignore)
            {
                // Closed: the waiter has been woken by close() already.
            }
        }
    }

    private void ensureOpen() throws ClosedChannelException
    {
        if (!channel.isOpen())
        {
            throw new ClosedChannelException();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public ReceiveBatch newReceiveBatch(final int slotCount, final int maxDatagram)
    {
        return new ReceiveBatch(slotCount, maxDatagram);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public IoCapabilities capabilities()
    {
        return IoCapabilities.NIO;
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
        return !channel.isOpen();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing a datagram channel cannot lose data; nothing to report
        }
        finally
        {
            selector.wakeup();
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // as above
            }
        }
    }

    @Override
    public String toString()
    {
        return "NioDatagramEndpoint{" + localAddress + '}';
    }
}
