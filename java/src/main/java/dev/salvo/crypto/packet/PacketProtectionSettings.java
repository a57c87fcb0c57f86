/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadCipherFactory;
import dev.salvo.crypto.aead.AeadImplementation;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of packet protection. Defaults come from system properties (name/default pairs below);
 * setters override them per session.
 */
public final class PacketProtectionSettings
{
    /** AEAD algorithm: {@code AES_128_GCM}, {@code AES_256_GCM} or {@code CHACHA20_POLY1305}. */
    public static final String ALGORITHM_PROP_NAME = "salvo.crypto.aead.algorithm";

    /** Default AEAD algorithm (chosen by benchmark, docs/BENCHMARKS.md "AEAD implementations"). */
    public static final String ALGORITHM_DEFAULT = "AES_128_GCM";

    /** Packets sealed under one key after which the sender updates keys. */
    public static final String KEY_UPDATE_PACKETS_PROP_NAME = "salvo.crypto.keyUpdate.packets";

    /** Default for {@link #KEY_UPDATE_PACKETS_PROP_NAME}: 2^22, half the AES-GCM limit of RFC 9001 §6.6. */
    public static final long KEY_UPDATE_PACKETS_DEFAULT = 1L << 22;

    /** Age of a key in nanoseconds after which the sender updates keys. */
    public static final String KEY_UPDATE_INTERVAL_PROP_NAME = "salvo.crypto.keyUpdate.intervalNs";

    /** Default for {@link #KEY_UPDATE_INTERVAL_PROP_NAME}: 120 s, as WireGuard's rekey time. */
    public static final long KEY_UPDATE_INTERVAL_DEFAULT_NS = TimeUnit.SECONDS.toNanos(120);

    /** How long, in nanoseconds, a receiver keeps the previous key for reordered packets after an update. */
    public static final String PREVIOUS_KEY_GRACE_PROP_NAME = "salvo.crypto.keyUpdate.graceNs";

    /** Default for {@link #PREVIOUS_KEY_GRACE_PROP_NAME}: 3 s (QUIC uses 3 PTO). */
    public static final long PREVIOUS_KEY_GRACE_DEFAULT_NS = TimeUnit.SECONDS.toNanos(3);

    private AeadAlgorithm algorithm =
        AeadAlgorithm.valueOf(System.getProperty(ALGORITHM_PROP_NAME, ALGORITHM_DEFAULT));
    private AeadCipherFactory implementation;
    private long keyUpdatePackets = Long.getLong(KEY_UPDATE_PACKETS_PROP_NAME, KEY_UPDATE_PACKETS_DEFAULT);
    private long keyUpdateIntervalNs = Long.getLong(KEY_UPDATE_INTERVAL_PROP_NAME, KEY_UPDATE_INTERVAL_DEFAULT_NS);
    private long previousKeyGraceNs = Long.getLong(PREVIOUS_KEY_GRACE_PROP_NAME, PREVIOUS_KEY_GRACE_DEFAULT_NS);
    private long keyHardLimitPackets;
    private NanoClock clock = SystemNanoClock.INSTANCE;

    /** @return the AEAD algorithm. */
    public AeadAlgorithm algorithm()
    {
        return algorithm;
    }

    /**
     * @param algorithm the AEAD algorithm both peers agreed on.
     * @return this.
     */
    public PacketProtectionSettings algorithm(final AeadAlgorithm algorithm)
    {
        this.algorithm = algorithm;
        return this;
    }

    /** @return the implementation, or by default {@link AeadImplementation#configured(AeadAlgorithm)}. */
    public AeadCipherFactory implementation()
    {
        return null != implementation ? implementation : AeadImplementation.configured(algorithm);
    }

    /**
     * @param implementation the library performing the AEAD, usually an {@link AeadImplementation}.
     * @return this.
     */
    public PacketProtectionSettings implementation(final AeadCipherFactory implementation)
    {
        this.implementation = implementation;
        return this;
    }

    /** @return packets per key before the sender updates. */
    public long keyUpdatePackets()
    {
        return keyUpdatePackets;
    }

    /**
     * @param packets packets per key before the sender updates; at least 1.
     * @return this.
     */
    public PacketProtectionSettings keyUpdatePackets(final long packets)
    {
        this.keyUpdatePackets = packets;
        return this;
    }

    /** @return key age in nanoseconds before the sender updates. */
    public long keyUpdateIntervalNs()
    {
        return keyUpdateIntervalNs;
    }

    /**
     * @param intervalNs key age in nanoseconds before the sender updates.
     * @return this.
     */
    public PacketProtectionSettings keyUpdateIntervalNs(final long intervalNs)
    {
        this.keyUpdateIntervalNs = intervalNs;
        return this;
    }

    /** @return how long the receiver keeps the previous key after an update. */
    public long previousKeyGraceNs()
    {
        return previousKeyGraceNs;
    }

    /**
     * @param graceNs how long the receiver keeps the previous key after an update.
     * @return this.
     */
    public PacketProtectionSettings previousKeyGraceNs(final long graceNs)
    {
        this.previousKeyGraceNs = graceNs;
        return this;
    }

    /**
     * @return the most packets one key may seal; the sender refuses to seal beyond it. Defaults to the
     * algorithm's {@link AeadAlgorithm#confidentialityLimit()}.
     */
    public long keyHardLimitPackets()
    {
        return keyHardLimitPackets > 0 ? keyHardLimitPackets : algorithm.confidentialityLimit();
    }

    /**
     * @param packets the most packets one key may seal; lower only (tests), never above the algorithm's limit.
     * @return this.
     */
    public PacketProtectionSettings keyHardLimitPackets(final long packets)
    {
        this.keyHardLimitPackets = packets;
        return this;
    }

    /** @return the clock key ages are measured with. */
    public NanoClock clock()
    {
        return clock;
    }

    /**
     * @param clock the clock key ages are measured with (tests pass a manual one).
     * @return this.
     */
    public PacketProtectionSettings clock(final NanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    void validate()
    {
        if (keyUpdatePackets < 1)
        {
            throw new IllegalArgumentException("keyUpdatePackets must be >= 1: " + keyUpdatePackets);
        }
        if (keyHardLimitPackets() > algorithm.confidentialityLimit() || keyHardLimitPackets() < 1)
        {
            throw new IllegalArgumentException("keyHardLimitPackets must be 1.." + algorithm.confidentialityLimit());
        }
        if (keyUpdateIntervalNs < 1 || previousKeyGraceNs < 0)
        {
            throw new IllegalArgumentException("key update interval must be > 0 and grace >= 0");
        }
        if (null == clock)
        {
            throw new IllegalArgumentException("clock must not be null");
        }
    }
}
