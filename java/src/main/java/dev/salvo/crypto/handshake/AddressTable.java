/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;

/**
 * Per-source-address state of the responder's DoS defences, in a fixed-size table so memory stays
 * bounded under a flood from any number of addresses: a token bucket limiting initiations per
 * address, and a failure counter that blocks an address after repeated authentication failures.
 *
 * <p>An address is an IPv4 /32 or an IPv6 /64 (one host can trivially own a /64); the port is not
 * part of it. Open addressing over {@link #PROBE_LENGTH} slots from a seeded hash; when all are
 * taken, the least recently seen entry of those slots is evicted. Eviction can only forget a
 * rate-limit or failure history early, never grow memory. Allocation-free; not thread-safe.
 */
final class AddressTable
{
    /** Slots examined per lookup. */
    static final int PROBE_LENGTH = 8;

    private static final long EMPTY = 0;
    private static final long IPV4_TAG = 4L << 56;
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int mask;
    private final long seed;
    private final long[] keys;
    private final long[] lastSeenNs;
    private final long[] tokens;
    private final long[] lastRefillNs;
    private final int[] failures;
    private final long[] failureWindowStartNs;
    private final long[] blockedUntilNs;
    private final long packetCost;
    private final long maxTokens;
    private final int failureThreshold;
    private final long failureWindowNs;
    private final long blockDurationNs;
    private int size;

    AddressTable(final HandshakeSettings settings, final long seed)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(PROBE_LENGTH, settings.addressTableCapacity()));
        this.mask = capacity - 1;
        this.seed = seed;
        keys = new long[capacity];
        lastSeenNs = new long[capacity];
        tokens = new long[capacity];
        lastRefillNs = new long[capacity];
        failures = new int[capacity];
        failureWindowStartNs = new long[capacity];
        blockedUntilNs = new long[capacity];
        packetCost = NANOS_PER_SECOND / settings.rateLimitPerSecond();
        maxTokens = packetCost * settings.rateLimitBurst();
        failureThreshold = settings.failureThreshold();
        failureWindowNs = settings.failureWindowNs();
        blockDurationNs = settings.blockDurationNs();
    }

    /**
     * Maps an address to its table key: IPv4 /32, or the /64 prefix of IPv6 (IPv4-mapped IPv6
     * addresses count as IPv4). Never returns {@link #EMPTY}.
     *
     * @param address 4 or 16 address bytes.
     * @return the key, or 0 (never valid) if {@code address} has another length.
     */
    static long addressKey(final byte[] address)
    {
        if (null == address)
        {
            return EMPTY;
        }
        if (4 == address.length)
        {
            return ipv4Key(address, 0);
        }
        if (16 == address.length)
        {
            boolean mapped = address[10] == (byte)0xff && address[11] == (byte)0xff;
            for (int i = 0; i < 10 && mapped; i++)
            {
                mapped = 0 == address[i];
            }
            if (mapped)
            {
                return ipv4Key(address, 12);
            }
            long prefix = 0;
            for (int i = 0; i < 8; i++)
            {
                prefix = prefix << 8 | (address[i] & 0xff);
            }
            return EMPTY == prefix ? 1 : prefix;
        }
        return EMPTY;
    }

    private static long ipv4Key(final byte[] address, final int offset)
    {
        return IPV4_TAG | (address[offset] & 0xffL) << 24 | (address[offset + 1] & 0xffL) << 16 |
            (address[offset + 2] & 0xffL) << 8 | (address[offset + 3] & 0xffL);
    }

    /** @return true if the address is currently blocked; does not create an entry. */
    boolean isBlocked(final long key, final long nowNs)
    {
        final int slot = find(key);
        if (slot < 0)
        {
            return false;
        }
        lastSeenNs[slot] = nowNs;
        return blockedUntilNs[slot] - nowNs > 0;
    }

    /** Takes one token from the address's bucket. @return false if the address is over its rate. */
    boolean tryAcquire(final long key, final long nowNs)
    {
        int slot = find(key);
        if (slot < 0)
        {
            slot = insert(key, nowNs);
            tokens[slot] = maxTokens - packetCost;
            return true;
        }
        final long elapsed = Math.max(0, nowNs - lastRefillNs[slot]);
        lastSeenNs[slot] = nowNs;
        lastRefillNs[slot] = nowNs;
        long available = tokens[slot] + Math.min(elapsed, maxTokens);
        if (available > maxTokens)
        {
            available = maxTokens;
        }
        if (available >= packetCost)
        {
            tokens[slot] = available - packetCost;
            return true;
        }
        tokens[slot] = available;
        return false;
    }

    /** Counts an authentication failure; blocks the address once the threshold is reached in the window. */
    void recordFailure(final long key, final long nowNs)
    {
        int slot = find(key);
        if (slot < 0)
        {
            slot = insert(key, nowNs);
            tokens[slot] = maxTokens;
        }
        lastSeenNs[slot] = nowNs;
        if (0 == failures[slot] || nowNs - failureWindowStartNs[slot] > failureWindowNs)
        {
            failures[slot] = 0;
            failureWindowStartNs[slot] = nowNs;
        }
        if (++failures[slot] >= failureThreshold)
        {
            blockedUntilNs[slot] = nowNs + blockDurationNs;
            failures[slot] = 0;
        }
    }

    /** @return entries in use. */
    int size()
    {
        return size;
    }

    /** @return the fixed number of slots. */
    int capacity()
    {
        return keys.length;
    }

    private int find(final long key)
    {
        final int start = home(key);
        for (int i = 0; i < PROBE_LENGTH; i++)
        {
            final int slot = (start + i) & mask;
            if (keys[slot] == key)
            {
                return slot;
            }
        }
        return -1;
    }

    private int insert(final long key, final long nowNs)
    {
        final int start = home(key);
        int victim = -1;
        long victimAge = Long.MIN_VALUE;
        for (int i = 0; i < PROBE_LENGTH; i++)
        {
            final int slot = (start + i) & mask;
            if (EMPTY == keys[slot])
            {
                victim = slot;
                size++;
                break;
            }
            final long age = nowNs - lastSeenNs[slot];
            if (age > victimAge)
            {
                victimAge = age;
                victim = slot;
            }
        }
        keys[victim] = key;
        lastSeenNs[victim] = nowNs;
        tokens[victim] = 0;
        lastRefillNs[victim] = nowNs;
        failures[victim] = 0;
        failureWindowStartNs[victim] = nowNs;
        blockedUntilNs[victim] = nowNs;
        return victim;
    }

    private int home(final long key)
    {
        long h = (key ^ seed) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        h *= 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return (int)h & mask;
    }
}
