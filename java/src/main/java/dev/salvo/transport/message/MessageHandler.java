/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import org.agrona.DirectBuffer;

/** Receives whole messages, each exactly once. */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * A message arrived whole.
     *
     * @param buffer a view valid only during this call (it may be the packet buffer itself); copy what
     *               must outlive it.
     */
    void onMessage(long messageId, DirectBuffer buffer, int offset, int length);
}
