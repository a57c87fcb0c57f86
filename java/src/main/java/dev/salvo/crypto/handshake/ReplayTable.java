/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import org.agrona.BitUtil;

/**
 * The greatest initiation timestamp accepted from each initiator static key, in a fixed-size
 * table (WireGuard keeps the same per peer). An initiation whose timestamp is not greater is a
 * replay and creates no session. Only keys that completed authentication and passed the
 * {@link PeerAuthorizer} are inserted. When all {@link #PROBE_LENGTH} candidate slots are taken,
 * the least recently updated entry is evicted; docs/PROTOCOL.md §2.6 explains why that is safe
 * enough. Allocation-free; not thread-safe.
 */
final class ReplayTable
{
    static final int PROBE_LENGTH = 8;

    private static final int KEY_LENGTH = HandshakeDescriptor.KEY_LENGTH;

    private final int mask;
    private final long seed;
    private final byte[] keys;
    private final boolean[] used;
    private final long[] timestamps;
    private final long[] lastUpdateNs;
    private int size;

    ReplayTable(final int requestedCapacity, final long seed)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(PROBE_LENGTH, requestedCapacity));
        mask = capacity - 1;
        this.seed = seed;
        keys = new byte[capacity * KEY_LENGTH];
        used = new boolean[capacity];
        timestamps = new long[capacity];
        lastUpdateNs = new long[capacity];
    }

    /**
     * @return true if {@code timestamp} is newer than any accepted from {@code staticKey}.
     */
    boolean isFresh(final byte[] staticKey, final long timestamp)
    {
        final int slot = find(staticKey);
        return slot < 0 || Long.compareUnsigned(timestamp, timestamps[slot]) > 0;
    }

    /** Records an accepted timestamp. Call only after {@link #isFresh} returned true. */
    void accept(final byte[] staticKey, final long timestamp, final long nowNs)
    {
        int slot = find(staticKey);
        if (slot < 0)
        {
            slot = insert(staticKey, nowNs);
        }
        timestamps[slot] = timestamp;
        lastUpdateNs[slot] = nowNs;
    }

    int size()
    {
        return size;
    }

    int capacity()
    {
        return used.length;
    }

    private int find(final byte[] staticKey)
    {
        final int start = home(staticKey);
        for (int i = 0; i < PROBE_LENGTH; i++)
        {
            final int slot = (start + i) & mask;
            if (used[slot] && matches(slot, staticKey))
            {
                return slot;
            }
        }
        return -1;
    }

    private boolean matches(final int slot, final byte[] staticKey)
    {
        final int base = slot * KEY_LENGTH;
        for (int i = 0; i < KEY_LENGTH; i++)
        {
            if (keys[base + i] != staticKey[i])
            {
                return false;
            }
        }
        return true;
    }

    private int insert(final byte[] staticKey, final long nowNs)
    {
        final int start = home(staticKey);
        int victim = -1;
        long victimAge = Long.MIN_VALUE;
        for (int i = 0; i < PROBE_LENGTH; i++)
        {
            final int slot = (start + i) & mask;
            if (!used[slot])
            {
                victim = slot;
                size++;
                break;
            }
            final long age = nowNs - lastUpdateNs[slot];
            if (age > victimAge)
            {
                victimAge = age;
                victim = slot;
            }
        }
        used[victim] = true;
        System.arraycopy(staticKey, 0, keys, victim * KEY_LENGTH, KEY_LENGTH);
        return victim;
    }

    private int home(final byte[] staticKey)
    {
        long h = seed;
        for (int i = 0; i < 8; i++)
        {
            h = (h ^ (staticKey[i] & 0xff)) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        h *= 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 32;
        return (int)h & mask;
    }
}
