/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;

/**
 * An encrypted connection to one peer, multiplexed with others on a {@link Transport}'s socket.
 *
 * <p><b>Sending.</b> Any number of application threads may send concurrently. A send copies the message
 * once into the connection's send ring (shared memory the I/O thread reads); the I/O thread frames,
 * seals and batches it. {@code trySend} never blocks: it returns a message id (&ge; 0) or
 * {@link #BACK_PRESSURED} when the ring is full (the peer or the network is slower than the sender), or
 * {@link #CLOSED}. {@code send} waits for room up to a timeout. Message ids are unique and increasing in
 * the order messages enter the ring; {@link ConnectionHandler#onAcknowledged} reports each one the peer
 * acknowledged, and {@link #sendTracked} gives a future for occasional use.
 *
 * <p><b>Message sizes.</b> {@code trySend} takes messages up to {@link #maxTrySendLength()} (one ring
 * record: an eighth of {@link TransportConfig#sendRingCapacity(int)} less a 16-byte header; 256 KiB by
 * default). Larger messages, up to {@link #maxMessageLength()}, go through {@code send}: it hands them over
 * in ring-record-sized chunks, one large message per connection at a time (small messages from other
 * threads still pass between its chunks, so they are not held behind it). Its timeout bounds the wait for
 * the first chunk; once a large message has started, {@code send} keeps handing chunks over until the
 * message is complete or the connection closes.
 *
 * <p><b>Receiving</b> is through the {@link ConnectionHandler}, on the I/O thread. Receiving is
 * flow-controlled end to end: the peer may only send what this side granted, and this side grants more
 * only as the handler consumes messages. An application that cannot keep up calls
 * {@link #pauseReceiving()} (like Netty's {@code autoRead(false)}): the peer's sender then runs out of
 * credit and its {@code trySend} reports {@link #BACK_PRESSURED}, instead of datagrams being dropped.
 *
 * <p><b>Closing.</b> {@link #close()} is graceful: messages already sent are delivered first, then the
 * connection closes ({@link CloseReason#LOCAL_CLOSE}). {@link #abort()} drops everything at once.
 * Both return immediately; {@link #closeFuture()} completes when the connection has ended.
 */
public interface Connection extends AutoCloseable
{
    /** Returned by a send when the send ring has no room: retry later (back-pressure). */
    long BACK_PRESSURED = -1;

    /** Returned by a send when the connection is closing or closed. */
    long CLOSED = -2;

    /**
     * Offers a message without blocking.
     *
     * @param buffer holds the message (copied before return).
     * @param offset index of its first byte.
     * @param length its length, 0..{@link #maxTrySendLength()}.
     * @return the message id (&ge; 0), {@link #BACK_PRESSURED} or {@link #CLOSED}.
     * @throws IllegalArgumentException if the message is longer than {@link #maxTrySendLength()}.
     */
    long trySend(DirectBuffer buffer, int offset, int length);

    /**
     * Offers the bytes between the buffer's position and limit without blocking; the position is unchanged.
     *
     * @param message the message (heap or direct; copied before return).
     * @return as {@link #trySend(DirectBuffer, int, int)}.
     */
    long trySend(ByteBuffer message);

    /**
     * Offers a whole array without blocking.
     *
     * @param message the message (copied before return).
     * @return as {@link #trySend(DirectBuffer, int, int)}.
     */
    long trySend(byte[] message);

    /**
     * Sends a message, waiting for room in the send ring.
     *
     * @param buffer  holds the message (copied before return).
     * @param offset  index of its first byte.
     * @param length  its length, 0..{@link #maxMessageLength()}.
     * @param timeout longest wait for room (for a chunked message: for its first chunk).
     * @param unit    unit of {@code timeout}.
     * @return the message id, {@link #BACK_PRESSURED} if the timeout passed first, or {@link #CLOSED}.
     * @throws InterruptedException     if interrupted while waiting (nothing of the message was sent).
     * @throws IllegalArgumentException if the message is longer than {@link #maxMessageLength()}.
     */
    long send(DirectBuffer buffer, int offset, int length, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #send(DirectBuffer, int, int, long, TimeUnit)} for the bytes between position and limit.
     */
    long send(ByteBuffer message, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * As {@link #send(DirectBuffer, int, int, long, TimeUnit)} for a whole array.
     */
    long send(byte[] message, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Sends a message (waiting for room as {@link #send(byte[], long, TimeUnit)}) and returns a future that
     * completes when the peer acknowledges it, or exceptionally when the connection closes first, the
     * timeout passes before the message could be handed over, or the wait is interrupted. Allocates; meant
     * for occasional messages, not the hot path.
     *
     * @param message the message.
     * @param timeout longest wait for room in the send ring.
     * @param unit    unit of {@code timeout}.
     * @return the acknowledgement future.
     */
    CompletableFuture<Void> sendTracked(byte[] message, long timeout, TimeUnit unit);

    /** @return the longest message {@code trySend} accepts (one send-ring record). */
    int maxTrySendLength();

    /** @return the longest message this connection can send. */
    long maxMessageLength();

    /** @return the peer's address. */
    InetSocketAddress remoteAddress();

    /** @return a copy of the peer's authenticated 32-byte static public key. */
    byte[] remoteStaticKey();

    /** @return true if this side initiated the connection. */
    boolean isInitiator();

    /** @return true until the connection starts closing. */
    boolean isOpen();

    /**
     * Stops delivering messages to the {@link ConnectionHandler} until {@link #resumeReceiving()}: back-pressure
     * on receive. Messages that complete meanwhile are kept (in memory bounded by the receive window) and no
     * further flow-control credit is granted, so the peer's sender is held back ({@code trySend} reports
     * {@link #BACK_PRESSURED}) rather than its datagrams being dropped; acknowledgements, keep-alives and the
     * peer's own receiving carry on. May be called from any thread; called from inside
     * {@link ConnectionHandler#onMessage} it takes effect for the next message (the current one is consumed
     * when the handler returns). Idempotent.
     */
    void pauseReceiving();

    /**
     * Resumes delivery after {@link #pauseReceiving()}: the messages kept meanwhile are delivered on the I/O
     * thread, in the order they became deliverable (ordered messages still in send order), then credit is
     * granted again. May be called from any thread. Idempotent.
     */
    void resumeReceiving();

    /** @return whether {@link #pauseReceiving()} is in effect. */
    boolean isReceivingPaused();

    /** @return live counters. */
    ConnectionStats stats();

    /** @return completes with the reason once the connection has ended. */
    CompletableFuture<CloseReason> closeFuture();

    /**
     * Closes gracefully: messages already sent are delivered, then the connection closes. Returns at once;
     * idempotent. Sends made after this return {@link #CLOSED}.
     */
    @Override
    void close();

    /**
     * Closes at once, dropping unsent and unacknowledged messages; the peer is told when possible.
     * Returns at once; idempotent.
     */
    void abort();
}
