/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.salvo.CloseReason;
import dev.salvo.ConnectFailedException;
import dev.salvo.ConnectOptions;
import dev.salvo.Connection;
import dev.salvo.ConnectionHandler;
import dev.salvo.DropReason;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.handshake.HandshakeDescriptor;
import dev.salvo.crypto.handshake.HandshakeInitiator;
import dev.salvo.crypto.handshake.HandshakeResponder;
import dev.salvo.crypto.handshake.HandshakeStatus;
import dev.salvo.crypto.handshake.InitiatorHandshake;
import dev.salvo.crypto.handshake.ResponderResult;
import dev.salvo.crypto.packet.DataPacketDescriptor;
import dev.salvo.crypto.packet.PacketOpener;
import dev.salvo.crypto.packet.PacketProtection;
import dev.salvo.crypto.packet.PacketSealer;
import dev.salvo.io.DatagramEndpoint;
import dev.salvo.io.DatagramTooLargeException;
import dev.salvo.io.NativeDatagramEndpoint;
import dev.salvo.io.NativeLibrary;
import dev.salvo.io.NioDatagramEndpoint;
import dev.salvo.io.PeerAddress;
import dev.salvo.io.ReceiveBatch;
import dev.salvo.io.ReceiveSlotDescriptor;
import dev.salvo.io.SendBatch;
import dev.salvo.transport.flow.ReceiveCreditShare;
import dev.salvo.transport.message.BufferPool;
import dev.salvo.transport.pmtu.InterfaceMtu;

import dev.salvo.transport.pacing.Pacer;
import dev.salvo.transport.pacing.TokenBucket;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The I/O thread of one transport: owns the socket, every session and every connection core, and runs the
 * duty cycle described in docs/ARCHITECTURE.md ("Thread model"):
 * <ol>
 * <li>run commands from application threads (connect);</li>
 * <li>receive one batch; route each datagram by byte 0 — handshake types to the responder or the pending
 *     connect named by the receiver index, data packets by their 4-byte receiver session id — and open runs
 *     of consecutive packets of one session in place with {@link PacketOpener#openBatch}; hand plaintext to
 *     the cores;</li>
 * <li>per connection: apply close/abort requests, move queued message chunks from the send ring into the
 *     core, run due timers;</li>
 * <li>deficit round robin (by bytes, quantum {@code connectionBurst} full-size datagrams) over connections
 *     with something to send (each core paces its new data, within the optional transport-wide rate cap):
 *     the core writes plaintext straight into the send batch behind a reserved header, the connection's
 *     packets are sealed in place with {@link PacketSealer#sealBatch}, consecutive equal-size packets to
 *     one peer coalesce into GSO trains, and the batch goes out in one system call whenever it fills and
 *     when nothing more is ready (natural batching: a lone message is not delayed);</li>
 * <li>with no work done: sleep in the kernel until a datagram, a wake-up from an application thread, or
 *     the earliest timer ({@code PARK}), or spin ({@code SPIN}).</li>
 * </ol>
 * Nothing thrown while processing one datagram or one connection escapes: it is counted and the loop goes
 * on. Internal; the public API is {@link dev.salvo.Transport}.
 */
public final class TransportEngine implements Runnable
{
    private static final System.Logger LOGGER = System.getLogger("dev.salvo.transport");
    private static final long MAX_PARK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long SEND_BLOCKED_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    /**
     * How long a connection that sent a close frame still answers the peer's packets with it (RFC 9000
     * §10.2.1 suggests three PTOs; a fixed bound keeps the state simple and short-lived).
     */
    private static final long CLOSING_PERIOD_NS = TimeUnit.SECONDS.toNanos(2);
    /** Most close frames repeated per closed connection: sent for the 1st, 2nd, 4th, ... packet received. */
    private static final int MAX_CLOSE_REPEATS = 8;
    private static final int RING_RECORDS_PER_TURN = 64;
    private static final int BATCHES_PER_CYCLE = 4;
    private static final int MAX_RETRY_BACKOFF = 8;

    final TransportConfig config;
    private final DatagramEndpoint endpoint;
    private final TransportCounters counters;
    private final NanoClock clock = SystemNanoClock.INSTANCE;
    private final SecureRandom random = new SecureRandom();
    private final HandshakeInitiator initiator;
    private final HandshakeResponder responder;
    private final ResponderResult responderResult = new ResponderResult();
    private final Int2ObjectHashMap<ConnectionImpl> sessions = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<PendingConnect> pendingConnects = new Int2ObjectHashMap<>();
    private final ArrayList<ConnectionImpl> connections = new ArrayList<>();
    private final ArrayList<ConnectionImpl> closedConnections = new ArrayList<>();
    /** Connections that closed with a close frame of ours, kept briefly to repeat it (see answerClosed). */
    private final Int2ObjectHashMap<ConnectionImpl> closingSessions = new Int2ObjectHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ReceiveBatch receiveBatch;
    private final SendBatch sendBatch;
    private final SendBatch controlBatch = new SendBatch(1, 256);
    private final BufferPool bufferPool;
    private final int maxDatagramSize;
    private final int baseDatagramSize;
    private final int[] openOffsets;
    private final int[] openLengths;
    private final int[] openResults;
    private final long[] openPacketNumbers;
    private final int[] sealOffsets;
    private final int[] sealLengths;
    private final byte[] ipv4Address = new byte[4];
    private final byte[] ipv6Address = new byte[16];
    private final boolean spin;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private volatile boolean closeRequested;
    private boolean closing;
    private long closeDeadlineNs;
    private boolean sendBlocked;
    private final TokenBucket rateCap;
    private final ConnectionImpl[] batchRunConnections;
    private final long[] batchRunFirstPackets;
    private final int[] batchRunFirstEntries;
    private final int[] batchRunLastEntries;
    private int batchRuns;
    private final long sendQuantum;
    private int nextTurn;
    private boolean turnInterrupted;
    private boolean handlerExceptionLogged;
    private Thread thread;

    /**
     * Opens the socket and prepares the thread (not started).
     *
     * @param config settings.
     * @throws IOException if the socket cannot be opened.
     */
    public TransportEngine(final TransportConfig config) throws IOException
    {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = config.nativeIo() && NativeLibrary.isAvailable() ?
            NativeDatagramEndpoint.open(config.endpointConfig()) : NioDatagramEndpoint.open(config.endpointConfig());
        this.counters = new TransportCounters(endpoint.stats());
        final String bufferWarning = ReceiveCreditShare.shortfallWarning(
            config.endpointConfig().receiveBufferSize(), endpoint.receiveBufferSize());
        if (null != bufferWarning)
        {
            LOGGER.log(System.Logger.Level.WARNING, bufferWarning); // once per transport: its socket is opened once
        }
        this.maxDatagramSize = config.resolvedMaxDatagramSize();
        this.baseDatagramSize = config.baseDatagramSize();
        this.spin = TransportConfig.IdleStrategy.SPIN == config.idleStrategy();
        this.initiator = new HandshakeInitiator(
            config.identity(), config.handshakeSettings(), clock, new SystemEpochNanoClock(), random);
        this.responder = new HandshakeResponder(
            config.identity(),
            (key) -> null != config.acceptHandler() && config.peerAuthorizer().isAuthorized(key),
            config.handshakeSettings(),
            clock,
            random);
        // Slots take the largest datagram any peer's path MTU discovery may send (its probes), whatever our own maximum.
        this.receiveBatch = endpoint.newReceiveBatch(
            config.receiveBatchSlots(), Math.max(maxDatagramSize, InterfaceMtu.MAX_DATAGRAM_SIZE));
        final int maxDatagrams = receiveBatch.slotCapacity() >= ReceiveSlotDescriptor.GRO_SLOT_CAPACITY ?
            receiveBatch.slotCount() * ReceiveSlotDescriptor.MAX_GRO_SEGMENTS : receiveBatch.slotCount();
        this.openOffsets = new int[maxDatagrams];
        this.openLengths = new int[maxDatagrams];
        this.openResults = new int[maxDatagrams];
        this.openPacketNumbers = new long[maxDatagrams];
        this.sendBatch = new SendBatch(config.sendBatchDatagrams(), config.sendBatchDatagrams() * maxDatagramSize);
        this.sealOffsets = new int[config.connectionBurst()];
        this.bufferPool = new BufferPool(Math.max(BufferPool.DEFAULT_MAX_RETAINED_BYTES, 2 * config.sendBufferLimit()));
        this.sealLengths = new int[config.connectionBurst()];
        this.sendQuantum = (long)config.connectionBurst() * maxDatagramSize;
        this.batchRunConnections = new ConnectionImpl[config.sendBatchDatagrams()];
        this.batchRunFirstPackets = new long[config.sendBatchDatagrams()];
        this.batchRunFirstEntries = new int[config.sendBatchDatagrams()];
        this.batchRunLastEntries = new int[config.sendBatchDatagrams()];
        final long cap = config.rateLimitBytesPerSecond();
        this.rateCap = cap > 0 ?
            new TokenBucket(cap, Pacer.burstBytes(Long.MAX_VALUE, cap, maxDatagramSize), clock.nanoTime()) : null;
    }

    /**
     * Starts the I/O thread.
     */
    public void start()
    {
        final String name = null != config.threadName() ? config.threadName() : "salvo-io-" + endpoint.localAddress().getPort();
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** @return the bound address. */
    public InetSocketAddress localAddress()
    {
        return endpoint.localAddress();
    }

    /** @return the socket's capabilities (native batching, GSO, GRO). */
    public DatagramEndpoint endpoint()
    {
        return endpoint;
    }

    /** @return the transport counters. */
    public TransportCounters counters()
    {
        return counters;
    }

    /** @return the I/O thread (null before {@link #start()}). */
    public Thread thread()
    {
        return thread;
    }

    /**
     * Makes a new core's new data take tokens from the transport-wide rate cap, if one is set (reliable
     * cores only: the cap lives in their pacer). I/O thread.
     */
    void attachRateCap(final ConnectionCore core)
    {
        if (null != rateCap && core instanceof ReliableConnectionCore)
        {
            ((ReliableConnectionCore)core).pacer().transportLimit(rateCap);
        }
    }

    /** @return the message buffers shared by the connection cores (I/O thread only). */
    BufferPool bufferPool()
    {
        return bufferPool;
    }

    /** @return the live connections; I/O thread only (tests inspect them through {@link #execute}). */
    java.util.List<ConnectionImpl> connections()
    {
        return connections;
    }

    /** Runs {@code task} on the I/O thread at its next duty cycle (tests that act as a hostile peer). */
    void execute(final Runnable task)
    {
        commands.add(task);
        wakeup();
    }

    /** Wakes the I/O thread if it sleeps; cheap when it is busy. Any thread. */
    void wakeup()
    {
        endpoint.wakeup();
    }

    /**
     * Starts a handshake (any thread).
     *
     * @param address peer address (resolved).
     * @param peerStaticKey the peer's 32-byte static public key.
     * @param handler the new connection's handler.
     * @return completes with the connection, or exceptionally with {@link ConnectFailedException}.
     */
    public CompletableFuture<Connection> connect(
        final InetSocketAddress address, final byte[] peerStaticKey, final ConnectionHandler handler)
    {
        return connect(address, peerStaticKey, handler, null);
    }

    /**
     * Starts a handshake (any thread) with per-connection options.
     *
     * @param address peer address (resolved).
     * @param peerStaticKey the peer's 32-byte static public key.
     * @param handler the new connection's handler.
     * @param options per-connection choices, or null for the config's.
     * @return completes with the connection, or exceptionally with {@link ConnectFailedException}.
     */
    public CompletableFuture<Connection> connect(
        final InetSocketAddress address,
        final byte[] peerStaticKey,
        final ConnectionHandler handler,
        final ConnectOptions options)
    {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        if (null == peerStaticKey || HandshakeDescriptor.KEY_LENGTH != peerStaticKey.length)
        {
            throw new IllegalArgumentException("a static public key is 32 bytes");
        }
        final CompletableFuture<Connection> future = new CompletableFuture<>();
        if (closeRequested)
        {
            future.completeExceptionally(new ConnectFailedException("transport closed"));
            return future;
        }
        final byte[] key = peerStaticKey.clone();
        final ConnectionCoreFactory coreFactory = null == options || null == options.congestionControl() ?
            config.coreFactory() : config.coreFactory().withCongestionControl(options.congestionControl());
        commands.add(() -> startConnect(address, key, handler, future, coreFactory));
        wakeup();
        return future;
    }

    /**
     * Asks the I/O thread to close every connection gracefully (bounded by the close timeout), then stop
     * and close the socket; waits for that unless called on the I/O thread itself.
     */
    public void close()
    {
        closeRequested = true;
        wakeup();
        if (null != thread && Thread.currentThread() != thread)
        {
            try
            {
                final long timeoutNs = config.closeTimeoutNs() + TimeUnit.SECONDS.toNanos(5);
                terminated.get(timeoutNs, TimeUnit.NANOSECONDS);
                // The future completes just before the thread's last instructions: join so that, once
                // close() returns, the I/O thread is really gone.
                thread.join(TimeUnit.NANOSECONDS.toMillis(timeoutNs));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final Exception ex)
            {
                LOGGER.log(System.Logger.Level.WARNING, "I/O thread did not stop in time", ex);
            }
        }
        else if (null == thread)
        {
            endpoint.close();
        }
    }

    /** @return completes when the I/O thread has stopped and the socket is closed. */
    public CompletableFuture<Void> terminated()
    {
        return terminated;
    }

    // ================================================================ the I/O thread

    @Override
    public void run()
    {
        try
        {
            while (true)
            {
                try
                {
                    if (dutyCycle())
                    {
                        break;
                    }
                }
                catch (final VirtualMachineError error)
                {
                    throw error;
                }
                catch (final Throwable ex)
                {
                    if (endpoint.isClosed())
                    {
                        break;
                    }
                    counters.onDrop(DropReason.INTERNAL_ERROR);
                    LOGGER.log(System.Logger.Level.ERROR, "I/O thread caught an unexpected exception; carrying on", ex);
                }
            }
        }
        finally
        {
            shutdown();
        }
    }

    /**
     * @return true when the transport has finished closing.
     */
    private boolean dutyCycle() throws IOException
    {
        long nowNs = clock.nanoTime();
        int work = runCommands();
        if (closeRequested && !closing)
        {
            beginClose(nowNs);
        }
        work += receive(nowNs);
        nowNs = clock.nanoTime();
        work += serviceConnections(nowNs);
        work += runHandshakeTimers(nowNs);
        work += sendPackets();
        removeClosedConnections();
        expireClosingSessions(nowNs);
        if (closing && (connections.isEmpty() || nowNs - closeDeadlineNs >= 0))
        {
            finishClose();
            return true;
        }
        if (0 == work)
        {
            idle(clock.nanoTime()); // a fresh time: a pacing release is slept to precisely
        }
        return false;
    }

    private void idle(final long nowNs) throws IOException
    {
        if (spin)
        {
            Thread.onSpinWait();
            return;
        }
        final long timeoutNs;
        if (sendBlocked)
        {
            timeoutNs = SEND_BLOCKED_PARK_NS;
        }
        else
        {
            timeoutNs = Math.max(0, Math.min(MAX_PARK_NS, earliestDeadline(nowNs) - nowNs));
        }
        if (timeoutNs > 0)
        {
            endpoint.awaitReadable(timeoutNs);
        }
    }

    private long earliestDeadline(final long nowNs)
    {
        long deadline = nowNs + MAX_PARK_NS;
        for (int i = 0, size = connections.size(); i < size; i++)
        {
            final ConnectionImpl connection = connections.get(i);
            if (connection.isClosed())
            {
                continue;
            }
            if (!connection.confirmed)
            {
                deadline = Math.min(deadline, connection.confirmDeadlineNs);
            }
            else
            {
                deadline = Math.min(deadline, connection.core.nextTimerDeadlineNs());
            }
        }
        for (final PendingConnect pending : pendingConnects.values())
        {
            deadline = Math.min(deadline, Math.min(pending.nextRetryNs, pending.giveUpAtNs));
        }
        if (closing)
        {
            deadline = Math.min(deadline, closeDeadlineNs);
        }
        return deadline;
    }

    private int runCommands()
    {
        int work = 0;
        Runnable command;
        while (null != (command = commands.poll()))
        {
            command.run();
            work++;
        }
        return work;
    }

    // ---------------------------------------------------------------- receive path

    private int receive(final long nowNs) throws IOException
    {
        final int count = endpoint.receive(receiveBatch);
        if (0 == count)
        {
            return 0;
        }
        final UnsafeBuffer buffer = receiveBatch.buffer();
        int i = 0;
        while (i < count)
        {
            final int offset = receiveBatch.offset(i);
            final int length = receiveBatch.length(i);
            try
            {
                if (length >= 1 && (buffer.getByte(offset) & DataPacketDescriptor.TYPE_MASK) == DataPacketDescriptor.TYPE_DATA)
                {
                    i = receiveDataRun(buffer, i, count, nowNs);
                    continue;
                }
                onHandshakeDatagram(buffer, offset, length, receiveBatch.source(i), nowNs);
            }
            catch (final VirtualMachineError error)
            {
                throw error;
            }
            catch (final Throwable ex)
            {
                counters.onDrop(DropReason.INTERNAL_ERROR);
                LOGGER.log(System.Logger.Level.DEBUG, "datagram processing failed", ex);
            }
            i++;
        }
        return count;
    }

    /**
     * Opens the run of consecutive data packets for the session of datagram {@code first} in one
     * {@link PacketOpener#openBatch} and hands them to the core.
     *
     * @return index of the first datagram after the run.
     */
    private int receiveDataRun(final UnsafeBuffer buffer, final int first, final int count, final long nowNs)
        throws IOException
    {
        final int firstOffset = receiveBatch.offset(first);
        if (receiveBatch.length(first) < DataPacketDescriptor.MIN_PACKET_LENGTH)
        {
            counters.onDrop(DropReason.MALFORMED);
            return first + 1;
        }
        final int sessionId = buffer.getInt(firstOffset + DataPacketDescriptor.SESSION_ID_OFFSET, ByteOrder.BIG_ENDIAN);
        final ConnectionImpl connection = sessions.get(sessionId);
        if (null == connection || connection.isClosed())
        {
            counters.onDrop(DropReason.UNKNOWN_SESSION);
            final ConnectionImpl closing = null == connection ? closingSessions.get(sessionId) : null;
            if (null != closing)
            {
                answerClosed(closing, buffer, firstOffset, receiveBatch.length(first), nowNs);
            }
            return first + 1;
        }

        int runLength = 0;
        int next = first;
        while (next < count && runLength < openOffsets.length)
        {
            final int offset = receiveBatch.offset(next);
            final int length = receiveBatch.length(next);
            if (length < DataPacketDescriptor.MIN_PACKET_LENGTH ||
                (buffer.getByte(offset) & DataPacketDescriptor.TYPE_MASK) != DataPacketDescriptor.TYPE_DATA ||
                buffer.getInt(offset + DataPacketDescriptor.SESSION_ID_OFFSET, ByteOrder.BIG_ENDIAN) != sessionId)
            {
                break;
            }
            openOffsets[runLength] = offset;
            openLengths[runLength] = length;
            runLength++;
            next++;
        }

        final ByteBuffer byteBuffer = buffer.byteBuffer();
        connection.opener.openBatch(byteBuffer, openOffsets, openLengths, runLength, openResults, openPacketNumbers);
        for (int k = 0; k < runLength; k++)
        {
            final int result = openResults[k];
            if (result < 0)
            {
                onOpenRejected(connection, result);
                if (PacketOpener.REJECT_DUPLICATE == result && null != connection.core && !connection.isClosed())
                {
                    // Authenticated earlier, so our ACK for it may have been lost: acknowledge again at once.
                    connection.core.onDuplicatePacket(nowNs);
                }
                continue;
            }
            if (connection.isClosed())
            {
                break;
            }
            if (!connection.confirmed && !confirm(connection, nowNs))
            {
                break;
            }
            connection.counters.onPacketReceived(openLengths[k]);
            final int payloadOffset = openOffsets[k] + PacketOpener.headerLength(byteBuffer, openOffsets[k]);
            try
            {
                connection.core.onPacket(buffer, payloadOffset, result, openPacketNumbers[k], nowNs);
            }
            catch (final VirtualMachineError error)
            {
                throw error;
            }
            catch (final Throwable ex)
            {
                counters.onDrop(DropReason.INTERNAL_ERROR);
                LOGGER.log(System.Logger.Level.WARNING, "connection core failed on a packet", ex);
            }
        }
        feedAcknowledgements(connection);
        return next;
    }

    private void onOpenRejected(final ConnectionImpl connection, final int code)
    {
        connection.counters.onPacketRejected();
        switch (code)
        {
            case PacketOpener.REJECT_MALFORMED:
                counters.onDrop(DropReason.MALFORMED);
                break;
            case PacketOpener.REJECT_UNKNOWN_SESSION:
                counters.onDrop(DropReason.UNKNOWN_SESSION);
                break;
            case PacketOpener.REJECT_DUPLICATE:
                counters.onDrop(DropReason.DUPLICATE);
                break;
            case PacketOpener.REJECT_TOO_OLD:
                counters.onDrop(DropReason.TOO_OLD);
                break;
            case PacketOpener.REJECT_KEY_UNAVAILABLE:
                counters.onDrop(DropReason.KEY_UNAVAILABLE);
                break;
            default:
                counters.onDrop(DropReason.AUTHENTICATION);
                break;
        }
    }

    private void feedAcknowledgements(final ConnectionImpl connection)
    {
        if (null == connection.core)
        {
            return;
        }
        final long acknowledged = connection.core.largestAcknowledgedPacket();
        final PacketSealer sealer = connection.sealer;
        if (acknowledged > sealer.largestAcknowledged() && acknowledged < sealer.nextPacketNumber())
        {
            sealer.onAcknowledged(acknowledged);
        }
    }

    /**
     * The responder's session is confirmed by the initiator's first authenticated data packet: only now is
     * the application asked to accept it.
     *
     * @return true if accepted.
     */
    private boolean confirm(final ConnectionImpl connection, final long nowNs)
    {
        connection.confirmed = true;
        connection.activate(nowNs); // send ring and core only now: unconfirmed sessions hold no buffers
        ConnectionHandler handler = null;
        try
        {
            handler = null != config.acceptHandler() ? config.acceptHandler().onAccept(connection) : null;
        }
        catch (final VirtualMachineError error)
        {
            throw error;
        }
        catch (final Throwable ex)
        {
            onHandlerException(ex);
        }
        if (null == handler)
        {
            connection.forcedReason = CloseReason.REJECTED;
            connection.abortRequested = true;
            connection.coreCloseIssued = true;
            connection.core.close(true, nowNs); // tells the peer; the core reports the close
            return false;
        }
        connection.handler = handler;
        counters.onHandshakeCompleted();
        notifyConnected(connection);
        return true;
    }

    private void notifyConnected(final ConnectionImpl connection)
    {
        try
        {
            connection.handler.onConnected(connection);
        }
        catch (final VirtualMachineError error)
        {
            throw error;
        }
        catch (final Throwable ex)
        {
            onHandlerException(ex);
        }
    }

    // ---------------------------------------------------------------- handshakes

    private void onHandshakeDatagram(
        final UnsafeBuffer buffer, final int offset, final int length, final PeerAddress source, final long nowNs)
        throws IOException
    {
        final int type = HandshakeDescriptor.handshakeType(buffer, offset, length);
        if (type < 0)
        {
            counters.onDrop(DropReason.MALFORMED);
            return;
        }
        if (HandshakeDescriptor.TYPE_INITIATION == type)
        {
            onInitiation(buffer, offset, length, source, nowNs);
            return;
        }
        final PendingConnect pending = pendingConnects.get(HandshakeDescriptor.receiverIndex(buffer, offset, type));
        if (null == pending)
        {
            counters.onDrop(DropReason.UNEXPECTED_HANDSHAKE);
            return;
        }
        final HandshakeStatus status = HandshakeDescriptor.TYPE_RESPONSE == type ?
            pending.handshake.onResponse(buffer, offset, length) : pending.handshake.onCookieReply(buffer, offset, length);
        if (HandshakeStatus.ACCEPTED == status)
        {
            completeConnect(pending, nowNs);
        }
        else if (status.isRejection())
        {
            counters.onHandshakeRejected(status);
        }
    }

    private void onInitiation(
        final UnsafeBuffer buffer, final int offset, final int length, final PeerAddress source, final long nowNs)
        throws IOException
    {
        if (closing)
        {
            counters.onDrop(DropReason.HANDSHAKE);
            return;
        }
        final byte[] address = addressBytes(source);
        final int localIndex = newSessionIndex();
        controlBatch.clear();
        final HandshakeStatus status = responder.onInitiation(
            buffer, offset, length, address, source.port(), localIndex, controlBatch.buffer(), 0, responderResult);
        if (status.isRejection())
        {
            counters.onHandshakeRejected(status);
            return;
        }
        if (HandshakeStatus.ACCEPTED == status)
        {
            final SessionSecrets secrets = responderResult.secrets();
            final PacketProtection protection = PacketProtection.create(
                secrets, localIndex, responderResult.peerIndex(), config.packetProtectionSettings());
            secrets.destroy();
            final ConnectionImpl connection = new ConnectionImpl(
                this, localIndex, source.copy(), responderResult.peerStaticKey(), false, protection,
                config.coreFactory(), nowNs);
            connection.confirmDeadlineNs = nowNs + config.connectTimeoutNs();
            sessions.put(localIndex, connection);
            connections.add(connection);
            counters.openConnections(connections.size());
        }
        sendControl(source, responderResult.replyLength());
    }

    private void startConnect(
        final InetSocketAddress address,
        final byte[] peerStaticKey,
        final ConnectionHandler handler,
        final CompletableFuture<Connection> future,
        final ConnectionCoreFactory coreFactory)
    {
        if (closing || closeRequested)
        {
            future.completeExceptionally(new ConnectFailedException("transport closed"));
            return;
        }
        try
        {
            final long nowNs = clock.nanoTime();
            final int localIndex = newSessionIndex();
            final PendingConnect pending = new PendingConnect(
                initiator.newHandshake(peerStaticKey, localIndex, 0), PeerAddress.of(address), address, peerStaticKey,
                handler, future, nowNs + config.connectTimeoutNs(), config.handshakeRetryNs());
            pending.coreFactory = coreFactory;
            pendingConnects.put(localIndex, pending);
            sendInitiation(pending, nowNs);
        }
        catch (final RuntimeException | IOException ex)
        {
            future.completeExceptionally(ex);
        }
    }

    private void sendInitiation(final PendingConnect pending, final long nowNs) throws IOException
    {
        controlBatch.clear();
        final int length = pending.handshake.writeInitiation(controlBatch.buffer(), 0);
        pending.attempts++;
        pending.nextRetryNs = nowNs + pending.retryIntervalNs;
        pending.retryIntervalNs = Math.min(pending.retryIntervalNs * 2, config.handshakeRetryNs() * MAX_RETRY_BACKOFF);
        sendControl(pending.peer, length);
    }

    private void sendControl(final PeerAddress destination, final int length) throws IOException
    {
        if (length <= 0)
        {
            return;
        }
        controlBatch.add(destination, length); // payload already written at offset 0 (dataLength() was 0)
        try
        {
            endpoint.send(controlBatch); // a full socket buffer loses it; the handshake retry covers that
        }
        catch (final IOException ex)
        {
            if (endpoint.isClosed())
            {
                throw ex;
            }
            LOGGER.log(System.Logger.Level.DEBUG, "handshake datagram to " + destination + " failed", ex);
        }
        controlBatch.clear();
    }

    private void completeConnect(final PendingConnect pending, final long nowNs)
    {
        final InitiatorHandshake handshake = pending.handshake;
        pendingConnects.remove(handshake.localIndex());
        final SessionSecrets secrets = handshake.secrets();
        final PacketProtection protection = PacketProtection.create(
            secrets, handshake.localIndex(), handshake.remoteIndex(), config.packetProtectionSettings());
        secrets.destroy();
        final ConnectionImpl connection = new ConnectionImpl(
            this, handshake.localIndex(), pending.peer, pending.peerStaticKey, true, protection, pending.coreFactory, nowNs);
        connection.confirmed = true;
        connection.handler = pending.handler;
        sessions.put(handshake.localIndex(), connection);
        connections.add(connection);
        counters.openConnections(connections.size());
        counters.onHandshakeCompleted();
        notifyConnected(connection);
        if (!pending.future.complete(connection))
        {
            connection.abort(); // the caller gave up (cancelled the future)
        }
    }

    private int runHandshakeTimers(final long nowNs)
    {
        if (pendingConnects.isEmpty())
        {
            return 0;
        }
        int work = 0;
        final Iterator<PendingConnect> iterator = pendingConnects.values().iterator();
        while (iterator.hasNext())
        {
            final PendingConnect pending = iterator.next();
            if (pending.future.isDone())
            {
                iterator.remove();
                work++;
            }
            else if (nowNs - pending.giveUpAtNs >= 0)
            {
                iterator.remove();
                pending.future.completeExceptionally(new ConnectFailedException(
                    "no valid handshake response from " + pending.address + " within " +
                    TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNs()) + " ms after " + pending.attempts +
                    " initiations (peer down or unreachable, wrong peer key, or this peer not authorized there)"));
                work++;
            }
            else if (nowNs - pending.nextRetryNs >= 0)
            {
                try
                {
                    sendInitiation(pending, nowNs);
                }
                catch (final IOException | RuntimeException ex)
                {
                    LOGGER.log(System.Logger.Level.DEBUG, "handshake retry failed", ex);
                }
                work++;
            }
        }
        return work;
    }

    private int newSessionIndex()
    {
        while (true)
        {
            final int index = random.nextInt();
            if (0 != index && !sessions.containsKey(index) && !pendingConnects.containsKey(index))
            {
                return index;
            }
        }
    }

    private byte[] addressBytes(final PeerAddress address)
    {
        final byte[] bytes = PeerAddress.FAMILY_IPV4 == address.family() ? ipv4Address : ipv6Address;
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = address.addressByte(i);
        }
        return bytes;
    }

    // ---------------------------------------------------------------- per-connection service

    private int serviceConnections(final long nowNs)
    {
        int work = 0;
        final long creditCap = receiveCreditShare();
        for (int i = 0, size = connections.size(); i < size; i++)
        {
            final ConnectionImpl connection = connections.get(i);
            if (connection.isClosed())
            {
                continue;
            }
            try
            {
                if (null != connection.core)
                {
                    connection.core.receiveCreditCap(creditCap);
                    work += connection.applyReceivePaused(nowNs); // a resume delivers the messages kept
                }
                work += serviceConnection(connection, nowNs);
            }
            catch (final VirtualMachineError error)
            {
                throw error;
            }
            catch (final Throwable ex)
            {
                LOGGER.log(System.Logger.Level.WARNING, "connection core failed; aborting " + connection, ex);
                connection.terminate(CloseReason.INTERNAL_ERROR);
            }
        }
        return work;
    }

    /**
     * Caps a new core's receive credit at once, before it writes its first packet: its first MAX_DATA would
     * otherwise go out uncapped (its whole MAX_DATA window, 16 MiB by default) when the core wrote a packet
     * before the next service pass, and that credit cannot be taken back (a default-sized socket buffer
     * overflowed by up to 150 datagrams in ReceiveBackPressureTest on a loaded machine).
     */
    void attachReceiveCreditCap(final ConnectionCore core)
    {
        core.receiveCreditCap(receiveCreditShare());
    }

    /**
     * @return each connection's cap on outstanding receive credit: {@link TransportConfig#receiveCreditLimit()}
     * if set, else its share of the granted {@code SO_RCVBUF} ({@link ReceiveCreditShare}: an eighth of it shared
     * among the open connections, at least one message's counted part).
     */
    private long receiveCreditShare()
    {
        final long configured = config.receiveCreditLimit();
        if (configured != 0)
        {
            return configured < 0 ? Long.MAX_VALUE : configured;
        }
        return ReceiveCreditShare.share(endpoint.receiveBufferSize(), connections.size());
    }

    private int serviceConnection(final ConnectionImpl connection, final long nowNs)
    {
        int work = 0;
        if (!connection.confirmed)
        {
            if (nowNs - connection.confirmDeadlineNs >= 0)
            {
                connection.terminate(CloseReason.IDLE_TIMEOUT); // never confirmed: the application never saw it
                return 1;
            }
            return 0;
        }
        if (!connection.coreCloseIssued)
        {
            if (connection.abortRequested)
            {
                connection.coreCloseIssued = true;
                connection.core.close(true, nowNs);
                work++;
            }
            else
            {
                work += connection.drainRing(nowNs, RING_RECORDS_PER_TURN);
                if (connection.closeRequested && connection.isRingEmpty())
                {
                    connection.coreCloseIssued = true;
                    connection.core.close(false, nowNs);
                    work++;
                }
            }
        }
        if (!connection.isClosed() && nowNs - connection.core.nextTimerDeadlineNs() >= 0)
        {
            connection.core.onTimer(nowNs);
            work++;
        }
        if (!connection.isClosed())
        {
            connection.core.snapshotStats(connection.counters);
        }
        return work;
    }

    // ---------------------------------------------------------------- send path

    /**
     * Deficit round robin over the connections (Shreedhar and Varghese): each turn adds one quantum of bytes
     * to the connection's deficit and lets it write packets while the deficit is positive, so backlogged
     * connections get equal bytes whatever their packet sizes; a connection with nothing to send loses its
     * credit (it banks none while idle). A turn cut short by a full batch goes on after the flush, or in
     * the next cycle when this one has flushed {@code BATCHES_PER_CYCLE} batches or the socket is full.
     * The transport-wide rate cap is a bucket the cores' pacers share ({@link #attachRateCap}): when it is
     * spent, every core holds its new data and reports the release as its next deadline.
     */
    private int sendPackets() throws IOException
    {
        if (!flush())
        {
            return 0;
        }
        final int count = connections.size();
        if (0 == count)
        {
            return 0;
        }
        int produced = 0;
        int flushes = 0;
        int idleTurns = 0;
        int index = nextTurn < count ? nextTurn : 0;
        boolean newTurn = !turnInterrupted;
        turnInterrupted = false;
        while (idleTurns < count)
        {
            final ConnectionImpl connection = connections.get(index);
            int written = 0;
            if (connection.confirmed && !connection.isClosed())
            {
                if (newTurn)
                {
                    connection.sendDeficit = Math.min(connection.sendDeficit + sendQuantum, sendQuantum);
                }
                written = writeConnection(connection, clock.nanoTime()); // the send time of this turn's packets
                produced += written;
            }
            final boolean turnGoesOn = written > 0 && connection.sendDeficit > 0 && !connection.isClosed();
            if (isSendBatchFull())
            {
                flushes++;
                if (!flush() || flushes >= BATCHES_PER_CYCLE)
                {
                    nextTurn = turnGoesOn ? index : (index + 1) % count;
                    turnInterrupted = turnGoesOn;
                    return produced;
                }
            }
            if (turnGoesOn)
            {
                newTurn = false; // the batch was full and is flushed: the same turn goes on
                continue;
            }
            newTurn = true;
            idleTurns = written > 0 ? 0 : idleTurns + 1;
            index = (index + 1) % count;
        }
        nextTurn = index;
        flush();
        return produced;
    }

    private boolean isSendBatchFull()
    {
        return sendBatch.entryCount() >= sendBatch.maxEntries() ||
            sendBatch.datagramCount() >= config.sendBatchDatagrams() ||
            sendBatch.remainingData() < maxDatagramSize;
    }

    /**
     * One connection's turn: runs of up to {@code connectionBurst} packets, each sealed in place, while its
     * deficit lasts and the batch has room.
     *
     * @return packets written.
     */
    private int writeConnection(final ConnectionImpl connection, final long nowNs)
    {
        int total = 0;
        while (connection.sendDeficit > 0 && !isSendBatchFull() && !connection.isClosed())
        {
            final int written = connection.core.hasDataToSend(nowNs) ? writeRun(connection, nowNs) : 0;
            if (0 == written)
            {
                connection.sendDeficit = Math.min(connection.sendDeficit, 0); // nothing to send: no credit banked
                break;
            }
            total += written;
        }
        return total;
    }

    /**
     * Lets one connection write up to {@code connectionBurst} packets into the send batch, then seals them
     * in place.
     *
     * @return packets written.
     */
    private int writeRun(final ConnectionImpl connection, final long nowNs)
    {
        final ConnectionCore core = connection.core;
        final PacketSealer sealer = connection.sealer;
        final int burst = sealOffsets.length;
        final int headerLength = sealer.headerLength(burst);
        if (headerLength < 0)
        {
            connection.terminate(CloseReason.SESSION_EXHAUSTED);
            return 0;
        }
        final int currentSize = 0 == core.datagramSize() ? baseDatagramSize : core.datagramSize();
        final UnsafeBuffer buffer = sendBatch.buffer();
        final long firstPacketNumber = sealer.nextPacketNumber();
        int count = 0;
        int firstEntry = 0;
        long bytes = 0;
        while (count < burst && !isSendBatchFull() && !connection.isClosed() && connection.sendDeficit > 0)
        {
            final int offset = sendBatch.dataLength();
            final int nextSize = core.nextDatagramSize(nowNs);
            final int datagramSize = Math.min(0 == nextSize ? baseDatagramSize : nextSize, maxDatagramSize);
            final int maxPlaintext = datagramSize - headerLength - DataPacketDescriptor.TAG_LENGTH;
            final int plaintext = core.writePacket(buffer, offset + headerLength, maxPlaintext, firstPacketNumber + count, nowNs);
            if (plaintext <= 0)
            {
                break;
            }
            if (plaintext > maxPlaintext)
            {
                throw new IllegalStateException("core wrote " + plaintext + " bytes, more than " + maxPlaintext);
            }
            final int packetLength = headerLength + plaintext + DataPacketDescriptor.TAG_LENGTH;
            sendBatch.addCoalescing(connection.peer, packetLength);
            if (0 == count)
            {
                firstEntry = sendBatch.entryCount() - 1;
            }
            if (datagramSize > currentSize)
            {
                sendBatch.endTrain(); // a path MTU probe travels alone: nothing of the current size joins its train
            }
            sealOffsets[count] = offset;
            sealLengths[count] = plaintext;
            bytes += packetLength;
            connection.sendDeficit -= packetLength;
            count++;
        }
        if (0 == count)
        {
            return 0;
        }
        final int sealed = sealer.sealBatch(sendBatch.byteBuffer(), sealOffsets, sealLengths, count, headerLength);
        if (sealed < count)
        {
            // Never let plaintext out: blank what could not be sealed (the peer drops it as malformed).
            for (int k = sealed; k < count; k++)
            {
                buffer.setMemory(sealOffsets[k], headerLength + sealLengths[k] + DataPacketDescriptor.TAG_LENGTH, (byte)0);
            }
            connection.terminate(CloseReason.SESSION_EXHAUSTED);
        }
        connection.counters.onPacketsSent(sealed, bytes);
        if (0 == batchRuns || batchRunConnections[batchRuns - 1] != connection)
        {
            batchRunConnections[batchRuns] = connection; // a run per datagram at most: the arrays are large enough
            batchRunFirstPackets[batchRuns] = firstPacketNumber;
            batchRunFirstEntries[batchRuns] = firstEntry;
            batchRuns++;
        }
        batchRunLastEntries[batchRuns - 1] = sendBatch.entryCount() - 1;
        return count;
    }

    /**
     * Sends what the batch holds.
     *
     * @return true if the batch is now empty; false if the socket buffer filled (the rest stays queued).
     */
    private boolean flush() throws IOException
    {
        if (0 == sendBatch.entryCount())
        {
            return true;
        }
        for (int attempts = sendBatch.entryCount(); attempts >= 0 && !sendBatch.isFullySent(); attempts--)
        {
            try
            {
                if (0 == endpoint.send(sendBatch) && !sendBatch.isFullySent())
                {
                    break;
                }
            }
            catch (final DatagramTooLargeException ex)
            {
                onEntryTooLarge(sendBatch.position());
                sendBatch.skipEntry(); // its packets count as lost and go again at the size the signal left
            }
            catch (final IOException ex)
            {
                if (endpoint.isClosed())
                {
                    throw ex;
                }
                // One destination failed (e.g. unreachable network): skip its entry, keep the others.
                LOGGER.log(System.Logger.Level.DEBUG, "send failed; skipping one entry", ex);
                sendBatch.skipEntry();
            }
        }
        if (sendBatch.isFullySent())
        {
            sendBatch.clear();
            sendBlocked = false;
            onBatchTransmitted();
            return true;
        }
        sendBlocked = true;
        return false;
    }

    /**
     * The kernel refused the batch's entry {@code entry} as larger than the path MTU (EMSGSIZE): a path MTU signal
     * for the connection(s) whose packets were in it (a run covers the entries from its first packet's to its
     * last packet's; two runs share an entry only when their packets coalesced into one train).
     */
    private void onEntryTooLarge(final int entry)
    {
        final int segmentSize = sendBatch.entrySegmentSize(entry);
        final int datagramSize = 0 == segmentSize ? sendBatch.entryLength(entry) : segmentSize;
        final long nowNs = clock.nanoTime();
        for (int i = 0; i < batchRuns; i++)
        {
            final ConnectionImpl connection = batchRunConnections[i];
            if (batchRunFirstEntries[i] <= entry && entry <= batchRunLastEntries[i] && !connection.isClosed())
            {
                try
                {
                    connection.core.onDatagramTooLarge(datagramSize, nowNs);
                }
                catch (final VirtualMachineError error)
                {
                    throw error;
                }
                catch (final Throwable ex)
                {
                    LOGGER.log(System.Logger.Level.WARNING, "path MTU signal failed", ex);
                    counters.onDrop(DropReason.INTERNAL_ERROR);
                }
            }
        }
    }

    /** Tells each connection with packets in the batch just sent when it left (their real send time). */
    private void onBatchTransmitted()
    {
        if (0 == batchRuns)
        {
            return;
        }
        final long sentNs = clock.nanoTime();
        for (int i = 0; i < batchRuns; i++)
        {
            final ConnectionImpl connection = batchRunConnections[i];
            batchRunConnections[i] = null;
            if (!connection.isClosed())
            {
                connection.core.onPacketsTransmitted(batchRunFirstPackets[i], sentNs);
            }
        }
        batchRuns = 0;
    }

    // ---------------------------------------------------------------- closing

    void onConnectionClosed(final ConnectionImpl connection)
    {
        if (!connection.removalScheduled)
        {
            connection.removalScheduled = true;
            closedConnections.add(connection);
        }
    }

    private void removeClosedConnections()
    {
        if (closedConnections.isEmpty())
        {
            return;
        }
        for (int i = 0, size = closedConnections.size(); i < size; i++)
        {
            final ConnectionImpl connection = closedConnections.get(i);
            sessions.remove(connection.localSessionId);
            connections.remove(connection);
            if (null != connection.core && connection.confirmed && !closing)
            {
                connection.closingUntilNs = clock.nanoTime() + CLOSING_PERIOD_NS;
                closingSessions.put(connection.localSessionId, connection);
            }
        }
        counters.openConnections(connections.size()); // before the events, so handlers see the new count
        for (int i = 0, size = closedConnections.size(); i < size; i++)
        {
            final ConnectionImpl connection = closedConnections.get(i);
            connection.completeClose(closingSessions.get(connection.localSessionId) == connection);
        }
        closedConnections.clear();
    }

    /**
     * A packet arrived for a connection that closed with a close frame of ours: the peer has not seen it
     * (lost), so if the packet authenticates, send the close frame again in a new packet — for the 1st, 2nd,
     * 4th, ... such packet, at most {@link #MAX_CLOSE_REPEATS} times, within {@link #CLOSING_PERIOD_NS}.
     * Without this a lost close frame leaves the peer to find out by idle timeout.
     */
    private void answerClosed(
        final ConnectionImpl connection, final UnsafeBuffer buffer, final int offset, final int length, final long nowNs)
        throws IOException
    {
        if (nowNs - connection.closingUntilNs >= 0 || connection.closeRepeats >= MAX_CLOSE_REPEATS)
        {
            endClosing(connection);
            return;
        }
        openOffsets[0] = offset;
        openLengths[0] = length;
        connection.opener.openBatch(buffer.byteBuffer(), openOffsets, openLengths, 1, openResults, openPacketNumbers);
        if (openResults[0] < 0)
        {
            return; // forged or replayed: never answered
        }
        final int received = ++connection.closingPacketsReceived;
        if ((received & (received - 1)) != 0)
        {
            return; // not a power of two
        }
        final PacketSealer sealer = connection.sealer;
        final int headerLength = sealer.headerLength(1);
        if (headerLength < 0)
        {
            return;
        }
        final int capacity = controlBatch.remainingData() - headerLength - DataPacketDescriptor.TAG_LENGTH;
        final int plaintext = connection.core.writeCloseAgain(controlBatch.buffer(), headerLength, capacity);
        if (plaintext <= 0)
        {
            endClosing(connection);
            return;
        }
        sealOffsets[0] = 0;
        sealLengths[0] = plaintext;
        if (sealer.sealBatch(controlBatch.byteBuffer(), sealOffsets, sealLengths, 1, headerLength) == 1)
        {
            connection.closeRepeats++;
            sendControl(connection.peer, headerLength + plaintext + DataPacketDescriptor.TAG_LENGTH);
        }
    }

    /** Forgets closed connections whose closing period is over. */
    private void expireClosingSessions(final long nowNs)
    {
        if (closingSessions.isEmpty())
        {
            return;
        }
        final Iterator<ConnectionImpl> iterator = closingSessions.values().iterator();
        while (iterator.hasNext())
        {
            final ConnectionImpl connection = iterator.next();
            if (nowNs - connection.closingUntilNs >= 0)
            {
                iterator.remove();
                connection.destroyKeys();
            }
        }
    }

    private void endClosing(final ConnectionImpl connection)
    {
        closingSessions.remove(connection.localSessionId);
        connection.destroyKeys();
    }

    private void beginClose(final long nowNs)
    {
        closing = true;
        closeDeadlineNs = nowNs + config.closeTimeoutNs();
        for (final PendingConnect pending : pendingConnects.values())
        {
            pending.future.completeExceptionally(new ConnectFailedException("transport closed"));
        }
        pendingConnects.clear();
        for (int i = 0, size = connections.size(); i < size; i++)
        {
            final ConnectionImpl connection = connections.get(i);
            connection.forcedReason = CloseReason.TRANSPORT_CLOSED;
            if (!connection.confirmed)
            {
                connection.terminate(CloseReason.TRANSPORT_CLOSED);
            }
            else
            {
                connection.closeRequested = true;
            }
        }
    }

    private void finishClose() throws IOException
    {
        for (int i = 0, size = connections.size(); i < size; i++)
        {
            connections.get(i).terminate(CloseReason.TRANSPORT_CLOSED);
        }
        flush();
        removeClosedConnections();
    }

    private void shutdown()
    {
        closeRequested = true;
        try
        {
            for (int i = 0, size = connections.size(); i < size; i++)
            {
                connections.get(i).terminate(CloseReason.TRANSPORT_CLOSED);
            }
            removeClosedConnections();
            for (final ConnectionImpl closingConnection : closingSessions.values())
            {
                closingConnection.destroyKeys();
            }
            closingSessions.clear();
            for (final PendingConnect pending : pendingConnects.values())
            {
                pending.future.completeExceptionally(new ConnectFailedException("transport closed"));
            }
            pendingConnects.clear();
            Runnable command;
            while (null != (command = commands.poll()))
            {
                command.run(); // connects fail fast now that closing is set
            }
        }
        finally
        {
            endpoint.close();
            terminated.complete(null);
        }
    }

    void onHandlerException(final Throwable ex)
    {
        if (ex instanceof VirtualMachineError)
        {
            throw (VirtualMachineError)ex;
        }
        counters.onHandlerException();
        if (!handlerExceptionLogged)
        {
            handlerExceptionLogged = true;
            LOGGER.log(System.Logger.Level.WARNING, "an application handler threw; counted and ignored " +
                "(later ones are logged at DEBUG)", ex);
        }
        else
        {
            LOGGER.log(System.Logger.Level.DEBUG, "an application handler threw", ex);
        }
    }

    /** A connect in progress: one initiator handshake, retried with backoff until the connect timeout. */
    private static final class PendingConnect
    {
        final InitiatorHandshake handshake;
        final PeerAddress peer;
        final InetSocketAddress address;
        final byte[] peerStaticKey;
        final ConnectionHandler handler;
        final CompletableFuture<Connection> future;
        final long giveUpAtNs;
        ConnectionCoreFactory coreFactory;
        long retryIntervalNs;
        long nextRetryNs;
        int attempts;

        PendingConnect(
            final InitiatorHandshake handshake,
            final PeerAddress peer,
            final InetSocketAddress address,
            final byte[] peerStaticKey,
            final ConnectionHandler handler,
            final CompletableFuture<Connection> future,
            final long giveUpAtNs,
            final long retryIntervalNs)
        {
            this.handshake = handshake;
            this.peer = peer;
            this.address = address;
            this.peerStaticKey = peerStaticKey;
            this.handler = handler;
            this.future = future;
            this.giveUpAtNs = giveUpAtNs;
            this.retryIntervalNs = retryIntervalNs;
        }
    }
}
