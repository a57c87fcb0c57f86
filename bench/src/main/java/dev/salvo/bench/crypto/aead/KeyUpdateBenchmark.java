/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.crypto.aead;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import dev.salvo.crypto.packet.PacketOpener;
import dev.salvo.crypto.packet.PacketProtection;
import dev.salvo.crypto.packet.PacketProtectionSettings;
import dev.salvo.crypto.packet.PacketSealer;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Key updates under load: seal and open batches of 64 packets of 1,400 bytes with a key update every
 * {@code keyUpdatePackets} packets (the peer acknowledges every batch, so updates are always allowed).
 * 4194304 is the default (2^22); 4096 and 64 update far more often than any real session does, to make the
 * per-update cost visible. The bar: no measurable difference at the default.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyUpdateBenchmark
{
    static final int BATCH = 64;
    static final int SLOT = 1536;
    static final int PAYLOAD = 1400;

    @Param({ "4194304", "4096", "64" })
    public long keyUpdatePackets;

    @Param({ "JDK", "NATIVE" })
    public AeadImplementation implementation;

    @Param({ "AES_128_GCM" })
    public AeadAlgorithm algorithm;

    private PacketSealer sealer;
    private PacketOpener opener;
    private ByteBuffer batch;
    private final int[] offsets = new int[BATCH];
    private final int[] payloadLengths = new int[BATCH];
    private final int[] packetLengths = new int[BATCH];
    private final int[] results = new int[BATCH];
    private final long[] packetNumbers = new long[BATCH];

    @Setup
    public void setup()
    {
        final byte[] a = new byte[32];
        final byte[] b = new byte[32];
        a[0] = 1;
        b[0] = 2;
        final PacketProtectionSettings settings = new PacketProtectionSettings()
            .implementation(implementation).algorithm(algorithm).keyUpdatePackets(keyUpdatePackets);
        sealer = PacketProtection.create(new SessionSecrets(a, b, new byte[32], true), 1, 2, settings).sealer();
        opener = PacketProtection.create(new SessionSecrets(b, a, new byte[32], false), 2, 1, settings).opener();
        batch = ByteBuffer.allocateDirect(BATCH * SLOT);
        for (int i = 0; i < BATCH; i++)
        {
            offsets[i] = i * SLOT;
            payloadLengths[i] = PAYLOAD;
        }
    }

    /** Seal a batch, open it, acknowledge it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sealAndOpenBatch()
    {
        final int headerLength = sealer.headerLength(BATCH);
        sealer.sealBatch(batch, offsets, payloadLengths, BATCH, headerLength);
        final int packetLength = headerLength + PAYLOAD + AeadAlgorithm.TAG_LENGTH;
        for (int i = 0; i < BATCH; i++)
        {
            packetLengths[i] = packetLength;
        }
        final int opened = opener.openBatch(batch, offsets, packetLengths, BATCH, results, packetNumbers);
        if (opened != BATCH)
        {
            throw new IllegalStateException("rejected: " + results[0]);
        }
        sealer.onAcknowledged(opener.largestPacketNumber());
        return opened;
    }

    /** Seal only (the sender's share of a key update); acknowledged by fiat every batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sealBatch()
    {
        final int headerLength = sealer.headerLength(BATCH);
        final int sealed = sealer.sealBatch(batch, offsets, payloadLengths, BATCH, headerLength);
        sealer.onAcknowledged(sealer.nextPacketNumber() - 1);
        return sealed;
    }
}
