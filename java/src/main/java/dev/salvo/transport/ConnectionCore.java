/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The socket-independent protocol state of one connection — framing, acknowledgements, loss recovery,
 * congestion control, message fragmentation and reassembly, keep-alives and the idle timeout — as the I/O
 * thread drives it. Implementations never touch sockets, threads, clocks or crypto: the I/O thread
 * ({@link TransportEngine}) passes the time in, seals and opens packets around the plaintext the core
 * writes and reads, and turns the core's {@link ConnectionCoreListener} callbacks into application events.
 *
 * <p><b>Threading.</b> Every method is called on the transport's I/O thread only; implementations need no
 * synchronisation. Nothing may block.
 *
 * <p><b>A duty cycle</b> of the I/O thread, per connection:
 * <ol>
 * <li>{@link #onPacket} for each authenticated packet received (in arrival order), then
 *     {@link #largestAcknowledgedPacket()} is read and fed to the packet sealer;</li>
 * <li>{@link #offerMessage} for message chunks the application queued, until one returns
 *     {@link #OFFER_FULL} (the chunk is offered again later, unchanged);</li>
 * <li>{@link #onTimer} when {@link #nextTimerDeadlineNs()} has passed;</li>
 * <li>while {@link #hasDataToSend} and the connection's turn lasts: {@link #writePacket} into the send
 *     batch, which the I/O thread then seals and sends;</li>
 * <li>{@link #snapshotStats} to publish statistics.</li>
 * </ol>
 *
 * <p><b>Packet numbers</b> are assigned by the I/O thread (they are the AEAD nonce): {@link #writePacket}
 * receives the number the packet will carry, consecutive within a connection; every packet written is
 * sent (a packet that cannot be sealed ends the connection, so no number is ever reused for other
 * content). {@link #onPacket} receives the authenticated number of each received packet; duplicates are
 * filtered by the replay window and reported with {@link #onDuplicatePacket} instead.
 *
 * <p><b>Session confirmation.</b> A responder's session is confirmed only by the initiator's first
 * authenticated data packet, so a core created with {@code initiator = true} must have a packet to send
 * straight away ({@link #hasDataToSend} true after creation, e.g. a PING).
 *
 * <p><b>Memory.</b> The core bounds what it holds: {@link #offerMessage} returns {@link #OFFER_FULL}
 * rather than buffer beyond its unacknowledged-bytes limit; that back-pressure reaches the application
 * as a full send ring.
 */
public interface ConnectionCore
{
    /** {@link #offerMessage} flag: the chunk is the first of its message. */
    int FLAG_BEGIN = 1;

    /** {@link #offerMessage} flag: the chunk is the last of its message (both flags: a whole message). */
    int FLAG_END = 2;

    /** {@link #offerMessage} result: the chunk was taken (copied); its bytes may be reused. */
    int OFFER_ACCEPTED = 0;

    /** {@link #offerMessage} result: no room now; offer the same chunk again later. */
    int OFFER_FULL = 1;

    /**
     * Takes a chunk of an outgoing message from the application. Chunks of one message arrive in order and
     * back to back in the message; chunks of different messages may interleave (a small message may pass
     * between the chunks of a large one), but at most one message at a time arrives in several chunks.
     *
     * @param messageId     the application's id of the message (report it in
     *                      {@link ConnectionCoreListener#onMessageAcknowledged}); unique per connection.
     * @param buffer        holds the chunk; valid only during the call.
     * @param offset        index of the chunk's first byte.
     * @param length        chunk length (0 or more).
     * @param messageLength length of the whole message (same on every chunk).
     * @param flags         {@link #FLAG_BEGIN} and/or {@link #FLAG_END}.
     * @param nowNs         current time.
     * @return {@link #OFFER_ACCEPTED} or {@link #OFFER_FULL}.
     */
    int offerMessage(long messageId, DirectBuffer buffer, int offset, int length, long messageLength, int flags, long nowNs);

    /**
     * @param nowNs current time.
     * @return true if {@link #writePacket} would write something now (data allowed by the congestion window,
     * acknowledgements, probes, pings, close frames).
     */
    boolean hasDataToSend(long nowNs);

    /**
     * Writes the plaintext of the next packet.
     *
     * @param buffer       the send batch's memory; write only inside {@code [offset, offset + maxLength)}.
     * @param offset       where the plaintext starts (the header is reserved before it, the tag after).
     * @param maxLength    most plaintext bytes (datagram size less header and tag).
     * @param packetNumber the number this packet will be sealed with.
     * @param nowNs        current time (the send time to record for RTT samples).
     * @return plaintext length written; 0 when there is nothing to send (then nothing is sent and
     * {@code packetNumber} is not used).
     */
    int writePacket(MutableDirectBuffer buffer, int offset, int maxLength, long packetNumber, long nowNs);

    /**
     * Processes the plaintext of an authenticated packet. Malformed frames are the core's to count and
     * answer (e.g. close with a protocol error via {@link ConnectionCoreListener#onClosed}); it must not throw
     * for any content.
     *
     * @param buffer       holds the plaintext; valid only during the call.
     * @param offset       index of its first byte.
     * @param length       plaintext length (0 or more).
     * @param packetNumber the packet's authenticated packet number.
     * @param nowNs        current time.
     */
    void onPacket(DirectBuffer buffer, int offset, int length, long packetNumber, long nowNs);

    /**
     * A packet of this connection authenticated but was a duplicate (the replay window already held its
     * number) and was dropped: the core acknowledges again at once, so an ACK the peer lost is repaired.
     *
     * @param nowNs current time.
     */
    void onDuplicatePacket(long nowNs);

    /**
     * @return the largest of this side's packet numbers the peer has acknowledged, or -1; never a number
     * not yet passed to {@link #writePacket} (the sealer uses it to shorten packet numbers and pace key
     * updates).
     */
    long largestAcknowledgedPacket();

    /**
     * @return the earliest time {@link #onTimer} must run (loss detection, PTO, delayed ACK, keep-alive,
     * idle timeout), or {@link Long#MAX_VALUE} for none. The idle I/O thread sleeps until the earliest
     * deadline of all connections.
     */
    long nextTimerDeadlineNs();

    /**
     * Runs the timers that are due.
     *
     * @param nowNs current time.
     */
    void onTimer(long nowNs);

    /**
     * Starts closing. Graceful ({@code abort == false}): deliver every message already offered, then send a
     * close frame, then report {@link ConnectionCoreListener#onClosed} ({@code LOCAL_CLOSE}). Abort: drop
     * everything, send a close frame if one can go in the next packet, then report {@code LOCAL_ABORT}.
     * No {@link #offerMessage} follows a close.
     *
     * @param abort whether to abort rather than close gracefully.
     * @param nowNs current time.
     */
    void close(boolean abort, long nowNs);

    /**
     * After the core closed having sent a close frame of its own, writes that close frame again: the answer to
     * a packet the peer sent before it learned of the close (its copy of the frame may have been lost; RFC
     * 9000 §10.2.1 closing state). Called on the I/O thread for a short while after the close.
     *
     * @param buffer    where to write the plaintext.
     * @param offset    where it starts.
     * @param maxLength most bytes to write.
     * @return bytes written; 0 if this side sent no close frame (idle timeout, the peer closed first).
     */
    default int writeCloseAgain(final MutableDirectBuffer buffer, final int offset, final int maxLength)
    {
        return 0;
    }

    /**
     * Publishes statistics the core keeps (RTT, congestion window, bytes in flight, losses,
     * retransmissions) with the setters of {@code counters}. Called after the I/O thread serviced the
     * connection, not per packet.
     *
     * @param counters the connection's public counters.
     */
    void snapshotStats(ConnectionCounters counters);

    /**
     * Path MTU discovery: the datagram size (UDP payload bytes) this connection's ordinary packets use now. The
     * I/O thread sizes each packet's plaintext by it, so GSO trains follow the current size.
     *
     * @return the current datagram size, or 0 for the transport's base size (a core without path MTU discovery).
     */
    default int datagramSize()
    {
        return 0;
    }

    /**
     * Path MTU discovery: the size of the datagram the next {@link #writePacket} should fill — a probe's size
     * when a probe is due (the core then writes a probe filling exactly {@code maxLength}), else
     * {@link #datagramSize()}.
     *
     * @param nowNs current time.
     * @return the next datagram's size, or 0 for the transport's base size.
     */
    default int nextDatagramSize(final long nowNs)
    {
        return datagramSize();
    }

    /**
     * Path MTU discovery: the largest datagram the local interface on the route to the peer carries (told once,
     * after creation, when the transport's maximum is "auto"); the core never probes beyond it.
     *
     * @param bytes the route's limit.
     */
    default void limitDatagramSize(final int bytes)
    {
    }

    /**
     * Path MTU discovery: the kernel refused to send a datagram of this connection as larger than the route's MTU
     * or a path MTU it learnt (EMSGSIZE). The datagram (and the rest of its GSO train) never left; its packets
     * are declared lost as usual and their data sent again at the size this call leaves.
     *
     * @param datagramSize the refused datagram's size (UDP payload bytes).
     * @param nowNs        current time.
     */
    default void onDatagramTooLarge(final int datagramSize, final long nowNs)
    {
    }

    /**
     * The application paused ({@code true}) or resumed receiving: while paused no message is delivered and
     * no flow-control credit is granted, so the peer's sender is held back; on resume the messages kept
     * meanwhile are delivered (from inside this call). Cores without flow control may ignore it.
     *
     * @param paused whether receiving is paused.
     * @param nowNs  current time.
     */
    default void receivePaused(final boolean paused, final long nowNs)
    {
    }

    /**
     * Bounds the flow-control credit this side keeps outstanding (bytes the peer may send beyond what was
     * read), so that a reader that stalls cannot overflow the socket's receive buffer; the I/O thread
     * passes each connection its share of the granted {@code SO_RCVBUF}. Cores without flow control may
     * ignore it.
     *
     * @param bytes the cap, {@link Long#MAX_VALUE} for none.
     */
    default void receiveCreditCap(final long bytes)
    {
    }

    /**
     * The send batch holding this connection's packets from {@code fromPacketNumber} to the last one written
     * was handed to the kernel at {@code sendNs} (later than the {@code nowNs} they were written with: other
     * connections' packets were sealed into the same batch first). A core that samples RTT or delivery rate
     * records this as their send time. Default: nothing.
     *
     * @param fromPacketNumber the first of the packets.
     * @param sendNs           when the batch was sent.
     */
    default void onPacketsTransmitted(final long fromPacketNumber, final long sendNs)
    {
    }
}
