/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.message;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Heap buffers for message bodies, pooled in power-of-two size classes from
 * {@value #MIN_POOLED} bytes to {@value #MAX_POOLED} bytes so that messages up to 64 KiB cost no
 * allocation in steady state. Larger buffers are allocated at their exact size and left to the GC
 * on release (large messages are rare and their copy dominates). Single-threaded.
 */
public final class BufferPool
{
    /** Smallest pooled buffer. */
    public static final int MIN_POOLED = 256;

    /** Largest pooled buffer. */
    public static final int MAX_POOLED = 64 * 1024;

    /** Buffers kept per size class. */
    public static final int MAX_PER_CLASS = 64;

    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_POOLED);
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_POOLED) - MIN_SHIFT + 1;

    private final UnsafeBuffer[][] free = new UnsafeBuffer[CLASSES][MAX_PER_CLASS];
    private final int[] freeCount = new int[CLASSES];
    private long allocations;

    /**
     * @param capacity bytes needed.
     * @return a buffer of at least {@code capacity} bytes (exactly {@code capacity} above {@link #MAX_POOLED}).
     */
    public UnsafeBuffer acquire(final int capacity)
    {
        if (capacity > MAX_POOLED)
        {
            allocations++;
            return new UnsafeBuffer(new byte[capacity]);
        }
        final int sizeClass = sizeClass(capacity);
        if (freeCount[sizeClass] > 0)
        {
            final UnsafeBuffer buffer = free[sizeClass][--freeCount[sizeClass]];
            free[sizeClass][freeCount[sizeClass]] = null;
            return buffer;
        }
        allocations++;
        return new UnsafeBuffer(new byte[1 << (sizeClass + MIN_SHIFT)]);
    }

    /** Returns a buffer obtained from {@link #acquire}. */
    public void release(final UnsafeBuffer buffer)
    {
        final int capacity = buffer.capacity();
        if (capacity > MAX_POOLED || Integer.bitCount(capacity) != 1 || capacity < MIN_POOLED)
        {
            return;
        }
        final int sizeClass = sizeClass(capacity);
        if (freeCount[sizeClass] < MAX_PER_CLASS)
        {
            free[sizeClass][freeCount[sizeClass]++] = buffer;
        }
    }

    /** @return buffers allocated so far (a steady-state allocation check for tests and stats). */
    public long allocations()
    {
        return allocations;
    }

    private static int sizeClass(final int capacity)
    {
        if (capacity <= MIN_POOLED)
        {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(capacity - 1) - MIN_SHIFT;
    }
}
