/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.util.concurrent.TimeUnit;

/**
 * Thresholds of the handshake and its DoS defences, as documented property-name/default pairs.
 * A new instance reads each value from the system property of that name, falling back to the
 * default; setters override per instance. Durations are in nanoseconds.
 */
public final class HandshakeSettings
{
    /** MAC1-valid initiations per second above which the responder is "under load" and demands cookies. */
    public static final String UNDER_LOAD_INITIATIONS_PER_SECOND_PROP_NAME =
        "salvo.handshake.underLoadInitiationsPerSecond";
    /** Default for {@link #UNDER_LOAD_INITIATIONS_PER_SECOND_PROP_NAME}. */
    public static final int UNDER_LOAD_INITIATIONS_PER_SECOND_DEFAULT = 1000;

    /** How long the responder stays under load after the last time it crossed the threshold. */
    public static final String UNDER_LOAD_HOLD_NS_PROP_NAME = "salvo.handshake.underLoadHoldNs";
    /** Default for {@link #UNDER_LOAD_HOLD_NS_PROP_NAME}: 1 s (WireGuard). */
    public static final long UNDER_LOAD_HOLD_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);

    /** Lifetime of the responder's cookie secret before it is replaced by a fresh random one. */
    public static final String COOKIE_SECRET_LIFETIME_NS_PROP_NAME = "salvo.handshake.cookieSecretLifetimeNs";
    /** Default for {@link #COOKIE_SECRET_LIFETIME_NS_PROP_NAME}: 120 s (WireGuard). */
    public static final long COOKIE_SECRET_LIFETIME_NS_DEFAULT = TimeUnit.SECONDS.toNanos(120);

    /** How long an initiator uses a received cookie for MAC2. */
    public static final String COOKIE_LIFETIME_NS_PROP_NAME = "salvo.handshake.cookieLifetimeNs";
    /** Default for {@link #COOKIE_LIFETIME_NS_PROP_NAME}: 115 s (secret lifetime less 5 s of latency). */
    public static final long COOKIE_LIFETIME_NS_DEFAULT = TimeUnit.SECONDS.toNanos(115);

    /** Sustained initiations per second accepted from one source address (IPv4 /32, IPv6 /64). */
    public static final String RATE_LIMIT_PER_SECOND_PROP_NAME = "salvo.handshake.rateLimitPerSecond";
    /** Default for {@link #RATE_LIMIT_PER_SECOND_PROP_NAME}: 20 (WireGuard). */
    public static final int RATE_LIMIT_PER_SECOND_DEFAULT = 20;

    /** Initiations one source address may send in a burst. */
    public static final String RATE_LIMIT_BURST_PROP_NAME = "salvo.handshake.rateLimitBurst";
    /** Default for {@link #RATE_LIMIT_BURST_PROP_NAME}: 5 (WireGuard). */
    public static final int RATE_LIMIT_BURST_DEFAULT = 5;

    /** Authentication failures from one address within the failure window that get it blocked. */
    public static final String FAILURE_THRESHOLD_PROP_NAME = "salvo.handshake.failureThreshold";
    /** Default for {@link #FAILURE_THRESHOLD_PROP_NAME}. */
    public static final int FAILURE_THRESHOLD_DEFAULT = 10;

    /** Window over which authentication failures are counted. */
    public static final String FAILURE_WINDOW_NS_PROP_NAME = "salvo.handshake.failureWindowNs";
    /** Default for {@link #FAILURE_WINDOW_NS_PROP_NAME}: 10 s. */
    public static final long FAILURE_WINDOW_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);

    /** How long a blocked address is ignored (no MAC2/DH work spent on it). */
    public static final String BLOCK_DURATION_NS_PROP_NAME = "salvo.handshake.blockDurationNs";
    /** Default for {@link #BLOCK_DURATION_NS_PROP_NAME}: 60 s. */
    public static final long BLOCK_DURATION_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);

    /** Entries in the per-address table (rate limits and failure counts); rounded up to a power of two. */
    public static final String ADDRESS_TABLE_CAPACITY_PROP_NAME = "salvo.handshake.addressTableCapacity";
    /** Default for {@link #ADDRESS_TABLE_CAPACITY_PROP_NAME}: 8192 entries (about 400 KiB). */
    public static final int ADDRESS_TABLE_CAPACITY_DEFAULT = 8192;

    /** Entries in the per-initiator replay table (last accepted timestamp); rounded up to a power of two. */
    public static final String REPLAY_TABLE_CAPACITY_PROP_NAME = "salvo.handshake.replayTableCapacity";
    /** Default for {@link #REPLAY_TABLE_CAPACITY_PROP_NAME}: 65536 entries (about 3.5 MiB). */
    public static final int REPLAY_TABLE_CAPACITY_DEFAULT = 65536;

    private int underLoadInitiationsPerSecond =
        Integer.getInteger(UNDER_LOAD_INITIATIONS_PER_SECOND_PROP_NAME, UNDER_LOAD_INITIATIONS_PER_SECOND_DEFAULT);
    private long underLoadHoldNs = Long.getLong(UNDER_LOAD_HOLD_NS_PROP_NAME, UNDER_LOAD_HOLD_NS_DEFAULT);
    private long cookieSecretLifetimeNs =
        Long.getLong(COOKIE_SECRET_LIFETIME_NS_PROP_NAME, COOKIE_SECRET_LIFETIME_NS_DEFAULT);
    private long cookieLifetimeNs = Long.getLong(COOKIE_LIFETIME_NS_PROP_NAME, COOKIE_LIFETIME_NS_DEFAULT);
    private int rateLimitPerSecond = Integer.getInteger(RATE_LIMIT_PER_SECOND_PROP_NAME, RATE_LIMIT_PER_SECOND_DEFAULT);
    private int rateLimitBurst = Integer.getInteger(RATE_LIMIT_BURST_PROP_NAME, RATE_LIMIT_BURST_DEFAULT);
    private int failureThreshold = Integer.getInteger(FAILURE_THRESHOLD_PROP_NAME, FAILURE_THRESHOLD_DEFAULT);
    private long failureWindowNs = Long.getLong(FAILURE_WINDOW_NS_PROP_NAME, FAILURE_WINDOW_NS_DEFAULT);
    private long blockDurationNs = Long.getLong(BLOCK_DURATION_NS_PROP_NAME, BLOCK_DURATION_NS_DEFAULT);
    private int addressTableCapacity =
        Integer.getInteger(ADDRESS_TABLE_CAPACITY_PROP_NAME, ADDRESS_TABLE_CAPACITY_DEFAULT);
    private int replayTableCapacity = Integer.getInteger(REPLAY_TABLE_CAPACITY_PROP_NAME, REPLAY_TABLE_CAPACITY_DEFAULT);

    /** @return see {@link #UNDER_LOAD_INITIATIONS_PER_SECOND_PROP_NAME}. */
    public int underLoadInitiationsPerSecond()
    {
        return underLoadInitiationsPerSecond;
    }

    /** @param value see {@link #UNDER_LOAD_INITIATIONS_PER_SECOND_PROP_NAME}. @return this. */
    public HandshakeSettings underLoadInitiationsPerSecond(final int value)
    {
        underLoadInitiationsPerSecond = positive(value);
        return this;
    }

    /** @return see {@link #UNDER_LOAD_HOLD_NS_PROP_NAME}. */
    public long underLoadHoldNs()
    {
        return underLoadHoldNs;
    }

    /** @param value see {@link #UNDER_LOAD_HOLD_NS_PROP_NAME}. @return this. */
    public HandshakeSettings underLoadHoldNs(final long value)
    {
        underLoadHoldNs = positive(value);
        return this;
    }

    /** @return see {@link #COOKIE_SECRET_LIFETIME_NS_PROP_NAME}. */
    public long cookieSecretLifetimeNs()
    {
        return cookieSecretLifetimeNs;
    }

    /** @param value see {@link #COOKIE_SECRET_LIFETIME_NS_PROP_NAME}. @return this. */
    public HandshakeSettings cookieSecretLifetimeNs(final long value)
    {
        cookieSecretLifetimeNs = positive(value);
        return this;
    }

    /** @return see {@link #COOKIE_LIFETIME_NS_PROP_NAME}. */
    public long cookieLifetimeNs()
    {
        return cookieLifetimeNs;
    }

    /** @param value see {@link #COOKIE_LIFETIME_NS_PROP_NAME}. @return this. */
    public HandshakeSettings cookieLifetimeNs(final long value)
    {
        cookieLifetimeNs = positive(value);
        return this;
    }

    /** @return see {@link #RATE_LIMIT_PER_SECOND_PROP_NAME}. */
    public int rateLimitPerSecond()
    {
        return rateLimitPerSecond;
    }

    /** @param value see {@link #RATE_LIMIT_PER_SECOND_PROP_NAME}. @return this. */
    public HandshakeSettings rateLimitPerSecond(final int value)
    {
        rateLimitPerSecond = positive(value);
        return this;
    }

    /** @return see {@link #RATE_LIMIT_BURST_PROP_NAME}. */
    public int rateLimitBurst()
    {
        return rateLimitBurst;
    }

    /** @param value see {@link #RATE_LIMIT_BURST_PROP_NAME}. @return this. */
    public HandshakeSettings rateLimitBurst(final int value)
    {
        rateLimitBurst = positive(value);
        return this;
    }

    /** @return see {@link #FAILURE_THRESHOLD_PROP_NAME}. */
    public int failureThreshold()
    {
        return failureThreshold;
    }

    /** @param value see {@link #FAILURE_THRESHOLD_PROP_NAME}. @return this. */
    public HandshakeSettings failureThreshold(final int value)
    {
        failureThreshold = positive(value);
        return this;
    }

    /** @return see {@link #FAILURE_WINDOW_NS_PROP_NAME}. */
    public long failureWindowNs()
    {
        return failureWindowNs;
    }

    /** @param value see {@link #FAILURE_WINDOW_NS_PROP_NAME}. @return this. */
    public HandshakeSettings failureWindowNs(final long value)
    {
        failureWindowNs = positive(value);
        return this;
    }

    /** @return see {@link #BLOCK_DURATION_NS_PROP_NAME}. */
    public long blockDurationNs()
    {
        return blockDurationNs;
    }

    /** @param value see {@link #BLOCK_DURATION_NS_PROP_NAME}. @return this. */
    public HandshakeSettings blockDurationNs(final long value)
    {
        blockDurationNs = positive(value);
        return this;
    }

    /** @return see {@link #ADDRESS_TABLE_CAPACITY_PROP_NAME}. */
    public int addressTableCapacity()
    {
        return addressTableCapacity;
    }

    /** @param value see {@link #ADDRESS_TABLE_CAPACITY_PROP_NAME}. @return this. */
    public HandshakeSettings addressTableCapacity(final int value)
    {
        addressTableCapacity = positive(value);
        return this;
    }

    /** @return see {@link #REPLAY_TABLE_CAPACITY_PROP_NAME}. */
    public int replayTableCapacity()
    {
        return replayTableCapacity;
    }

    /** @param value see {@link #REPLAY_TABLE_CAPACITY_PROP_NAME}. @return this. */
    public HandshakeSettings replayTableCapacity(final int value)
    {
        replayTableCapacity = positive(value);
        return this;
    }

    private static int positive(final int value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException("must be positive: " + value);
        }
        return value;
    }

    private static long positive(final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException("must be positive: " + value);
        }
        return value;
    }
}
