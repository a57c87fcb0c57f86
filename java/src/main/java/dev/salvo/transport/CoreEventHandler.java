/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.transport.message.MessageAckHandler;
import dev.salvo.transport.message.MessageHandler;
import org.agrona.DirectBuffer;

/** Events of one {@link ReliableConnectionCore}, called on the thread that drives it (the I/O thread). */
public interface CoreEventHandler extends MessageHandler, MessageAckHandler
{
    /**
     * The peer closed the connection with a CLOSE frame.
     *
     * @param reason UTF-8 reason, a view valid only during the call.
     */
    void onPeerClosed(long errorCode, DirectBuffer reason, int offset, int length);
}
