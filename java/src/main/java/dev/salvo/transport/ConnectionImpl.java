/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.salvo.CloseReason;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.ConnectionStats;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.packet.PacketOpener;
import dev.salvo.crypto.packet.PacketProtection;
import dev.salvo.crypto.packet.PacketSealer;
import dev.salvo.io.PeerAddress;
import dev.salvo.transport.pmtu.InterfaceMtu;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import static dev.salvo.transport.SendRecordDescriptor.DATA_OFFSET;
import static dev.salvo.transport.SendRecordDescriptor.MESSAGE_ID_OFFSET;
import static dev.salvo.transport.SendRecordDescriptor.MESSAGE_LENGTH_OFFSET;

/**
 * One connection: the application-facing {@link Connection} (any thread) over the I/O thread's state
 * (packet protection, the {@link ConnectionCore}, the handler). Application threads touch only the send
 * ring, the message-id counter, the close flags and the tracked-acknowledgement map.
 *
 * <p>The core is allocated by {@link #activate} — at once for an initiator, but for a responder only when
 * its session is confirmed by the initiator's first authenticated packet, so a flood of handshakes cannot
 * pin core buffers. The application sees a connection only after activation. The send ring is allocated by
 * the first send, on the sending thread: a connection that never sends (most of a large node's idle peers)
 * holds no ring.
 */
final class ConnectionImpl implements Connection, ConnectionCoreListener
{
    private static final int BLOCKING_SPINS = 100;
    private static final int BLOCKING_YIELDS = 10;
    private static final long BLOCKING_MAX_PARK_NS = 1_000_000;

    // Immutable after construction.
    final TransportEngine engine;
    final int localSessionId;
    final PeerAddress peer;
    final boolean initiator;
    final PacketProtection protection;
    final PacketSealer sealer;
    final PacketOpener opener;
    final ConnectionCounters counters = new ConnectionCounters();
    private final InetSocketAddress remoteAddress;
    private final byte[] remoteStaticKey;
    private final ConnectionCoreFactory coreFactory;
    private final int maxRecordPayload;
    private final long maxMessageLength;
    private final ControlledMessageHandler ringReader = this::onRingRecord;

    // Set once by activate() on the I/O thread, before the application can see the connection (published
    // to it through the handler call or the connect future).
    ConnectionCore core;

    // Allocated by the first send (any thread, under ringAllocationLock); read by the I/O thread.
    private volatile ManyToOneRingBuffer ring;
    private final Object ringAllocationLock = new Object();

    // Shared with application threads.
    private final AtomicLong nextMessageId = new AtomicLong();
    private final ReentrantLock chunkedSendLock = new ReentrantLock();
    /**
     * Blocked senders wait on this monitor; the I/O thread notifies it after it took records out of the ring
     * (space freed) and on close. Only touched when {@link #waitingSenders} is non-zero, so trySend and the
     * I/O thread's steady state never take it.
     */
    private final Object ringSpace = new Object();
    private final AtomicInteger waitingSenders = new AtomicInteger();
    /** Times the I/O thread took records out of the ring (or closed): blocked senders wait for a change. */
    private final AtomicLong ringReleases = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> tracked = new ConcurrentHashMap<>();
    private final CompletableFuture<CloseReason> closeFuture = new CompletableFuture<>();
    volatile boolean closeRequested;
    volatile boolean abortRequested;
    volatile boolean receivePaused;
    private volatile boolean closed;

    // I/O thread only.
    ConnectionHandler handler;
    boolean confirmed;
    long confirmDeadlineNs;
    boolean coreCloseIssued;
    boolean corePaused;
    boolean removalScheduled;
    long sendDeficit; // deficit round robin: bytes this connection may still send in its turn
    CloseReason forcedReason;
    CloseReason closeReason;
    private long ringNowNs;
    long closingUntilNs;
    int closingPacketsReceived;
    int closeRepeats;

    ConnectionImpl(
        final TransportEngine engine,
        final int localSessionId,
        final PeerAddress peer,
        final byte[] remoteStaticKey,
        final boolean initiator,
        final PacketProtection protection,
        final ConnectionCoreFactory coreFactory,
        final long nowNs)
    {
        this.engine = engine;
        this.localSessionId = localSessionId;
        this.peer = peer;
        this.remoteAddress = peer.toInetSocketAddress();
        this.remoteStaticKey = remoteStaticKey.clone();
        this.initiator = initiator;
        this.protection = protection;
        this.sealer = protection.sealer();
        this.opener = protection.opener();
        this.coreFactory = coreFactory;
        // ManyToOneRingBuffer.maxMsgLength() is capacity / 8 (the ring is allocated later, see activate).
        this.maxRecordPayload = engine.config.sendRingCapacity() / 8 - DATA_OFFSET;
        this.maxMessageLength = coreFactory.maxMessageLength(engine.config);
        if (initiator)
        {
            activate(nowNs);
        }
    }

    /**
     * Allocates the core (I/O thread): at creation for an initiator, on confirmation for a responder.
     */
    void activate(final long nowNs)
    {
        if (null == core)
        {
            core = coreFactory.newCore(engine.config, initiator, this, engine.bufferPool(), nowNs);
            if (TransportConfig.MAX_DATAGRAM_SIZE_AUTO == engine.config.maxDatagramSize())
            {
                core.limitDatagramSize(InterfaceMtu.maxDatagramSize(remoteAddress)); // a route lookup, no traffic
            }

            engine.attachRateCap(core);
            engine.attachReceiveCreditCap(core);
        }
    }

    /** Application side: the send ring, allocated by the first send that needs it. */
    private ManyToOneRingBuffer sendRing()
    {
        ManyToOneRingBuffer ring = this.ring;
        if (null == ring)
        {
            synchronized (ringAllocationLock)
            {
                ring = this.ring;
                if (null == ring)
                {
                    final int capacity = engine.config.sendRingCapacity();
                    ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                        BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
                    this.ring = ring;
                }
            }
        }
        return ring;
    }

    // ---------------------------------------------------------------- application side

    @Override
    public long trySend(final DirectBuffer buffer, final int offset, final int length)
    {
        Objects.requireNonNull(buffer, "buffer");
        checkTrySendLength(length);
        return isOpen() ? offer(buffer, null, null, offset, length, ConnectionCore.FLAG_BEGIN | ConnectionCore.FLAG_END,
            -1, length, null) : CLOSED;
    }

    @Override
    public long trySend(final ByteBuffer message)
    {
        final int length = message.remaining();
        checkTrySendLength(length);
        return isOpen() ? offer(null, message, null, message.position(), length,
            ConnectionCore.FLAG_BEGIN | ConnectionCore.FLAG_END, -1, length, null) : CLOSED;
    }

    @Override
    public long trySend(final byte[] message)
    {
        checkTrySendLength(message.length);
        return isOpen() ? offer(null, null, message, 0, message.length,
            ConnectionCore.FLAG_BEGIN | ConnectionCore.FLAG_END, -1, message.length, null) : CLOSED;
    }

    @Override
    public long send(final DirectBuffer buffer, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        Objects.requireNonNull(buffer, "buffer");
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IndexOutOfBoundsException("message [" + offset + ", +" + length + ") outside buffer");
        }
        return blockingSend(buffer, null, null, offset, length, deadline(timeout, unit), null);
    }

    @Override
    public long send(final ByteBuffer message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return blockingSend(null, message, null, message.position(), message.remaining(), deadline(timeout, unit), null);
    }

    @Override
    public long send(final byte[] message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return blockingSend(null, null, message, 0, message.length, deadline(timeout, unit), null);
    }

    @Override
    public CompletableFuture<Void> sendTracked(final byte[] message, final long timeout, final TimeUnit unit)
    {
        final CompletableFuture<Void> future = new CompletableFuture<>();
        try
        {
            final long result = blockingSend(null, null, message, 0, message.length, deadline(timeout, unit), future);
            if (CLOSED == result)
            {
                future.completeExceptionally(new IllegalStateException("connection closed"));
            }
            else if (BACK_PRESSURED == result)
            {
                future.completeExceptionally(new TimeoutException("no room in the send ring within " + timeout + " " + unit));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            future.completeExceptionally(ex);
        }
        return future;
    }

    private static long deadline(final long timeout, final TimeUnit unit)
    {
        return System.nanoTime() + Math.max(0, unit.toNanos(timeout));
    }

    private void checkTrySendLength(final int length)
    {
        if (length < 0 || length > maxRecordPayload || length > maxMessageLength)
        {
            throw new IllegalArgumentException("trySend takes messages of 0.." + maxTrySendLength() +
                " bytes (use send for up to " + maxMessageLength + "): " + length);
        }
    }

    private long blockingSend(
        final DirectBuffer directSource,
        final ByteBuffer byteBufferSource,
        final byte[] arraySource,
        final int offset,
        final int length,
        final long deadlineNs,
        final CompletableFuture<Void> trackedFuture) throws InterruptedException
    {
        if (length < 0 || length > maxMessageLength)
        {
            throw new IllegalArgumentException("message length must be 0.." + maxMessageLength + ": " + length);
        }
        final int both = ConnectionCore.FLAG_BEGIN | ConnectionCore.FLAG_END;
        if (length <= maxRecordPayload)
        {
            return awaitOffer(directSource, byteBufferSource, arraySource, offset, length, both, -1, length,
                trackedFuture, deadlineNs, true);
        }

        if (!chunkedSendLock.tryLock(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS))
        {
            return BACK_PRESSURED;
        }
        boolean interrupted = false;
        try
        {
            long messageId = -1;
            int sent = 0;
            while (sent < length)
            {
                final int chunk = Math.min(maxRecordPayload, length - sent);
                final int flags = (0 == sent ? ConnectionCore.FLAG_BEGIN : 0) |
                    (sent + chunk == length ? ConnectionCore.FLAG_END : 0);
                final long result = awaitOffer(directSource, byteBufferSource, arraySource, offset + sent, chunk, flags,
                    messageId, length, 0 == sent ? trackedFuture : null, 0 == sent ? deadlineNs : Long.MAX_VALUE, 0 == sent);
                if (result < 0)
                {
                    return result; // BACK_PRESSURED only before the first chunk; CLOSED at any point
                }
                messageId = result;
                sent += chunk;
                interrupted |= Thread.interrupted(); // later chunks ignore interrupts: the message has started
            }
            return messageId;
        }
        finally
        {
            chunkedSendLock.unlock();
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long awaitOffer(
        final DirectBuffer directSource,
        final ByteBuffer byteBufferSource,
        final byte[] arraySource,
        final int offset,
        final int length,
        final int flags,
        final long messageId,
        final long messageLength,
        final CompletableFuture<Void> trackedFuture,
        final long deadlineNs,
        final boolean interruptible) throws InterruptedException
    {
        int attempts = 0;
        while (true)
        {
            final long releases = ringReleases.get(); // before the offer: a release after it changes the count
            if (!isOpen())
            {
                return CLOSED;
            }
            final long result = offer(directSource, byteBufferSource, arraySource, offset, length, flags, messageId,
                messageLength, trackedFuture);
            if (BACK_PRESSURED != result)
            {
                return result;
            }
            if (Long.MAX_VALUE != deadlineNs && System.nanoTime() - deadlineNs >= 0)
            {
                return BACK_PRESSURED;
            }
            if (interruptible && Thread.interrupted())
            {
                throw new InterruptedException();
            }
            attempts++;
            if (attempts <= BLOCKING_SPINS)
            {
                Thread.onSpinWait();
            }
            else if (attempts <= BLOCKING_SPINS + BLOCKING_YIELDS)
            {
                Thread.yield();
            }
            else
            {
                awaitRingSpace(releases, deadlineNs);
            }
        }
    }

    /**
     * Sleeps until the I/O thread takes records out of the ring (or the connection closes), the deadline
     * passes, or at most {@link #BLOCKING_MAX_PARK_NS}. The sender registers as a waiter and then compares the
     * release count it saw before its failed offer, under the monitor the I/O thread notifies under, so a
     * release between the failed offer and the wait is never slept through.
     */
    private void awaitRingSpace(final long releasesBeforeOffer, final long deadlineNs) throws InterruptedException
    {
        waitingSenders.incrementAndGet();
        try
        {
            synchronized (ringSpace)
            {
                if (ringReleases.get() != releasesBeforeOffer || !isOpen())
                {
                    return;
                }
                long waitNs = BLOCKING_MAX_PARK_NS;
                if (Long.MAX_VALUE != deadlineNs)
                {
                    waitNs = Math.min(waitNs, Math.max(1, deadlineNs - System.nanoTime()));
                }
                ringSpace.wait(waitNs / 1_000_000, (int)(waitNs % 1_000_000));
            }
        }
        finally
        {
            waitingSenders.decrementAndGet();
        }
    }

    /** I/O thread: wakes blocked senders if there are any (after the ring gave up records, or on close). */
    void signalRingSpace()
    {
        ringReleases.incrementAndGet(); // an atomic update: also orders the ring's head store before the read below
        if (waitingSenders.get() > 0)
        {
            synchronized (ringSpace)
            {
                ringSpace.notifyAll();
            }
        }
    }

    private long offer(
        final DirectBuffer directSource,
        final ByteBuffer byteBufferSource,
        final byte[] arraySource,
        final int offset,
        final int length,
        final int flags,
        final long existingMessageId,
        final long messageLength,
        final CompletableFuture<Void> trackedFuture)
    {
        final ManyToOneRingBuffer ring = sendRing();
        final int index = ring.tryClaim(SendRecordDescriptor.TYPE_CHUNK | flags, DATA_OFFSET + length);
        if (index < 0)
        {
            return BACK_PRESSURED; // RingBuffer.INSUFFICIENT_CAPACITY
        }
        final long messageId = existingMessageId >= 0 ? existingMessageId : nextMessageId.getAndIncrement();
        final AtomicBuffer buffer = ring.buffer();
        buffer.putLong(index + MESSAGE_ID_OFFSET, messageId);
        buffer.putLong(index + MESSAGE_LENGTH_OFFSET, messageLength);
        if (null != directSource)
        {
            buffer.putBytes(index + DATA_OFFSET, directSource, offset, length);
        }
        else if (null != byteBufferSource)
        {
            buffer.putBytes(index + DATA_OFFSET, byteBufferSource, offset, length);
        }
        else
        {
            buffer.putBytes(index + DATA_OFFSET, arraySource, offset, length);
        }
        if (null != trackedFuture)
        {
            tracked.put(messageId, trackedFuture); // before commit: the acknowledgement cannot come earlier
        }
        ring.commit(index);
        engine.wakeup();
        if (null != trackedFuture && closed && tracked.remove(messageId) != null)
        {
            trackedFuture.completeExceptionally(new IllegalStateException("connection closed"));
        }
        return messageId;
    }

    @Override
    public int maxTrySendLength()
    {
        return (int)Math.min(maxRecordPayload, maxMessageLength);
    }

    @Override
    public long maxMessageLength()
    {
        return maxMessageLength;
    }

    @Override
    public InetSocketAddress remoteAddress()
    {
        return remoteAddress;
    }

    @Override
    public byte[] remoteStaticKey()
    {
        return remoteStaticKey.clone();
    }

    @Override
    public boolean isInitiator()
    {
        return initiator;
    }

    @Override
    public boolean isOpen()
    {
        return !closed && !closeRequested && !abortRequested;
    }

    @Override
    public ConnectionStats stats()
    {
        return counters;
    }

    @Override
    public CompletableFuture<CloseReason> closeFuture()
    {
        return closeFuture;
    }

    @Override
    public void close()
    {
        if (!closeRequested)
        {
            closeRequested = true;
            engine.wakeup();
        }
    }

    @Override
    public void pauseReceiving()
    {
        if (!receivePaused)
        {
            receivePaused = true;
            engine.wakeup();
        }
    }

    @Override
    public void resumeReceiving()
    {
        if (receivePaused)
        {
            receivePaused = false;
            engine.wakeup();
        }
    }

    @Override
    public boolean isReceivingPaused()
    {
        return receivePaused;
    }

    /** I/O thread: passes a change of {@link #pauseReceiving()}/{@link #resumeReceiving()} to the core. */
    int applyReceivePaused(final long nowNs)
    {
        final boolean paused = receivePaused;
        if (paused == corePaused || null == core)
        {
            return 0;
        }
        corePaused = paused;
        core.receivePaused(paused, nowNs);
        return 1;
    }

    @Override
    public void abort()
    {
        if (!abortRequested)
        {
            abortRequested = true;
            engine.wakeup();
        }
    }

    /** Wipes the packet keys kept for the closing state. */
    void destroyKeys()
    {
        protection.destroy();
    }

    boolean isClosed()
    {
        return closed;
    }

    // ---------------------------------------------------------------- I/O thread side

    /**
     * Hands queued message chunks to the core until it is full or {@code limit} records were taken.
     */
    int drainRing(final long nowNs, final int limit)
    {
        if (null == ring)
        {
            return 0;
        }
        ringNowNs = nowNs;
        final int taken = ring.controlledRead(ringReader, limit);
        if (taken > 0)
        {
            signalRingSpace();
        }
        return taken;
    }

    boolean isRingEmpty()
    {
        return null == ring || 0 == ring.size();
    }

    private ControlledMessageHandler.Action onRingRecord(
        final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        if (closed)
        {
            return ControlledMessageHandler.Action.CONTINUE;
        }
        final long messageId = buffer.getLong(index + MESSAGE_ID_OFFSET);
        final long messageLength = buffer.getLong(index + MESSAGE_LENGTH_OFFSET);
        final int flags = msgTypeId & SendRecordDescriptor.FLAGS_MASK;
        final int result = core.offerMessage(
            messageId, buffer, index + DATA_OFFSET, length - DATA_OFFSET, messageLength, flags, ringNowNs);
        if (ConnectionCore.OFFER_FULL == result)
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        if ((flags & ConnectionCore.FLAG_END) != 0)
        {
            counters.onMessageSent();
        }
        return ControlledMessageHandler.Action.CONTINUE;
    }

    @Override
    public void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        counters.onMessageReceived(length);
        final ConnectionHandler handler = this.handler;
        if (null != handler && !closed)
        {
            try
            {
                handler.onMessage(this, buffer, offset, length);
            }
            catch (final Throwable ex)
            {
                engine.onHandlerException(ex);
            }
            if (receivePaused && !corePaused)
            {
                corePaused = true;
                core.receivePaused(true, ringNowNs); // the handler paused: hold the next message already
            }
        }
    }

    @Override
    public void onMessageAcknowledged(final long messageId)
    {
        counters.onMessageAcknowledged();
        final ConnectionHandler handler = this.handler;
        if (null != handler)
        {
            try
            {
                handler.onAcknowledged(this, messageId);
            }
            catch (final Throwable ex)
            {
                engine.onHandlerException(ex);
            }
        }
        if (!tracked.isEmpty())
        {
            final CompletableFuture<Void> future = tracked.remove(messageId);
            if (null != future)
            {
                future.complete(null);
            }
        }
    }

    @Override
    public void onClosed(final CloseReason reason)
    {
        if (null == closeReason)
        {
            closeReason = null != forcedReason ? forcedReason : reason;
            closed = true;
            signalRingSpace(); // blocked senders return CLOSED now rather than at their next bounded wake-up
            if (null != core)
            {
                core.snapshotStats(counters); // the final figures: nothing in flight, buffers released
            }
            engine.onConnectionClosed(this);
        }
    }

    /**
     * Ends the connection without the core (sealing failure, transport shutdown, refused or expired session).
     */
    void terminate(final CloseReason reason)
    {
        forcedReason = null != forcedReason ? forcedReason : reason;
        onClosed(reason);
    }

    /**
     * Called by the engine after removal: events, futures, key material.
     */
    /**
     * Reports the close to the application.
     *
     * @param keepKeys whether the packet keys stay for the closing state (then {@link #destroyKeys} follows).
     */
    void completeClose(final boolean keepKeys)
    {
        if (!keepKeys)
        {
            protection.destroy();
        }
        final CloseReason reason = closeReason;
        final ConnectionHandler handler = this.handler;
        if (confirmed && null != handler)
        {
            try
            {
                handler.onClosed(this, reason);
            }
            catch (final Throwable ex)
            {
                engine.onHandlerException(ex);
            }
        }
        final IllegalStateException failure = new IllegalStateException("connection closed: " + reason);
        tracked.values().forEach((future) -> future.completeExceptionally(failure));
        tracked.clear();
        closeFuture.complete(reason);
    }

    @Override
    public String toString()
    {
        return "Connection{" + remoteAddress + ", session=" + Integer.toUnsignedString(localSessionId, 16) +
            (initiator ? ", initiator" : ", responder") + (closed ? ", closed " + closeReason : "") + '}';
    }
}
