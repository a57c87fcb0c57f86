/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

/** Told when every byte of a sent message has been acknowledged by the peer. */
@FunctionalInterface
public interface MessageAckHandler
{
    /** @param messageId the id {@link OutboundMessages#send} returned. */
    void onMessageAcked(long messageId);
}
