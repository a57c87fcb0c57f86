/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.CloseReason;
import org.agrona.DirectBuffer;

/**
 * What a {@link ConnectionCore} reports to the I/O thread, which turns it into application events. Called
 * from inside the core's methods, on the I/O thread.
 */
public interface ConnectionCoreListener
{
    /**
     * A whole message arrived (reassembled if it came in fragments).
     *
     * @param buffer holds it; valid only during the call (the application gets this view zero-copy).
     * @param offset index of its first byte.
     * @param length its length.
     */
    void onMessage(DirectBuffer buffer, int offset, int length);

    /**
     * The peer acknowledged every byte of a message; the core has released its memory.
     *
     * @param messageId the id given to {@link ConnectionCore#offerMessage}.
     */
    void onMessageAcknowledged(long messageId);

    /**
     * The connection ended (graceful close done, abort, peer close, idle timeout, protocol error). Called
     * once; the I/O thread removes the connection after the current call returns and calls the core no more
     * (except that packets already written in this round are still sent).
     *
     * @param reason why.
     */
    void onClosed(CloseReason reason);
}
