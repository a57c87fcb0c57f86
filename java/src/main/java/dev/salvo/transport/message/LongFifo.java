/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

/**
 * A first-in first-out queue of {@code long}s on a power-of-two ring that doubles when full: the waiting lists of
 * {@link OutboundMessages} (message ids waiting for a start slot, a grant or connection credit). It grows only to
 * the most ids ever waiting at once, so in steady state it allocates nothing. Not thread-safe (I/O thread only).
 */
final class LongFifo
{
    private long[] ring;
    private long head;
    private long tail;

    /** @param initialCapacity a power of two. */
    LongFifo(final int initialCapacity)
    {
        if (Integer.bitCount(initialCapacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + initialCapacity);
        }
        ring = new long[initialCapacity];
    }

    /** Appends {@code value} at the tail. */
    void push(final long value)
    {
        if (tail - head == ring.length)
        {
            final long[] grown = new long[ring.length * 2];
            for (long i = head; i < tail; i++)
            {
                grown[(int)(i & (grown.length - 1))] = ring[(int)(i & (ring.length - 1))];
            }
            ring = grown;
        }
        ring[(int)(tail++ & (ring.length - 1))] = value;
    }

    /** @return the value at the head, removed. @throws IllegalStateException if empty. */
    long pop()
    {
        if (head == tail)
        {
            throw new IllegalStateException("empty");
        }
        return ring[(int)(head++ & (ring.length - 1))];
    }

    /** @return whether nothing is queued. */
    boolean isEmpty()
    {
        return head == tail;
    }

    /** @return how many values are queued. */
    int size()
    {
        return (int)(tail - head);
    }

    /** Drops everything queued. */
    void clear()
    {
        head = tail;
    }
}
