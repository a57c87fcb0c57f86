/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.crypto.aead;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import dev.salvo.crypto.aead.NativeAeadCipher;
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
 * The bar of issue 3: sealing a batch of 64 packets of 1,400 bytes in a direct buffer through
 * {@link PacketSealer#sealBatch} ({@link #sealBatch()}) against the raw AEAD primitive of the same implementation
 * ({@link #rawPrimitive()}), in one run; the bar is sealBatch ≥ 80% of rawPrimitive at 0 B/op ({@code -prof gc}).
 * The raw primitive is the plainest use of the implementation with a precomputed nonce and no header or
 * packet-number logic: for JDK/BOUNCY_CASTLE one cipher call on heap arrays, for NATIVE one JNI seal per packet
 * in place in direct memory. Opening is measured as seal-then-open of the batch (a packet opens once: the replay
 * window rejects it after that), against raw seal-then-open; open cost = round trip minus seal.
 * Scores are packets per microsecond; multiply by 1,400 for MB/s of payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketSealBenchmark
{
    static final int BATCH = 64;

    @Param({ "JDK", "BOUNCY_CASTLE", "NATIVE" })
    public AeadImplementation implementation;

    @Param({ "AES_128_GCM" })
    public AeadAlgorithm algorithm;

    @Param({ "1400" })
    public int payloadLength;

    private PacketSealer sealer;
    private PacketOpener opener;
    private ByteBuffer batch;
    private final int[] offsets = new int[BATCH];
    private final int[] payloadLengths = new int[BATCH];
    private final int[] packetLengths = new int[BATCH];
    private final int[] results = new int[BATCH];
    private final long[] packetNumbers = new long[BATCH];
    private RawAead raw;
    private RawAead rawOpen;
    private byte[] rawIn;
    private byte[] rawOut;
    private byte[] rawBack;
    private long rawCounter;
    private NativeAeadCipher rawNative;
    private ByteBuffer rawDirect;

    @Setup
    public void setup()
    {
        final byte[] a = new byte[32];
        final byte[] b = new byte[32];
        a[0] = 1;
        b[0] = 2;
        final PacketProtectionSettings settings = new PacketProtectionSettings()
            .implementation(implementation).algorithm(algorithm);
        final PacketProtection initiator = PacketProtection.create(new SessionSecrets(a, b, new byte[32], true), 1, 2, settings);
        final PacketProtection responder = PacketProtection.create(new SessionSecrets(b, a, new byte[32], false), 2, 1, settings);
        sealer = initiator.sealer();
        opener = responder.opener();
        final int slot = (payloadLength + 64 + 63) & ~63;
        batch = ByteBuffer.allocateDirect(BATCH * slot);
        for (int i = 0; i < BATCH; i++)
        {
            offsets[i] = i * slot;
            payloadLengths[i] = payloadLength;
        }
        if (AeadImplementation.NATIVE == implementation)
        {
            final byte[] key = new byte[algorithm.keyLength()];
            key[0] = 42;
            rawNative = new NativeAeadCipher(algorithm);
            rawNative.init(key, new byte[AeadAlgorithm.NONCE_LENGTH]);
            rawDirect = ByteBuffer.allocateDirect(AeadImplementationBenchmark.HEADER_LENGTH + payloadLength + AeadAlgorithm.TAG_LENGTH);
            return;
        }
        raw = new RawAead(implementation, algorithm);
        rawOpen = new RawAead(implementation, algorithm);
        rawIn = new byte[AeadImplementationBenchmark.HEADER_LENGTH + payloadLength];
        rawOut = new byte[payloadLength + AeadAlgorithm.TAG_LENGTH + AeadImplementationBenchmark.HEADER_LENGTH];
        rawBack = new byte[payloadLength + AeadAlgorithm.TAG_LENGTH];
    }

    /** 64 packets sealed in place through the packet layer (header, PN, key-update checks, AEAD). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sealBatch()
    {
        final int headerLength = sealer.headerLength(BATCH);
        final int sealed = sealer.sealBatch(batch, offsets, payloadLengths, BATCH, headerLength);
        if (sealed != BATCH)
        {
            throw new IllegalStateException("refused: " + sealer.lastError());
        }
        // The peer acknowledges, as in a running session: without it the key reaches its hard limit (2^23
        // packets, a few seconds here) and sealing is refused.
        sealer.onAcknowledged(sealer.nextPacketNumber() - 1);
        return sealed;
    }

    /** The raw primitive, 64 times: the 100% reference for {@link #sealBatch()}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rawPrimitive()
    {
        int sum = 0;
        if (null != rawNative)
        {
            for (int i = 0; i < BATCH; i++)
            {
                rawNative.seal(rawCounter++, rawDirect, 0, AeadImplementationBenchmark.HEADER_LENGTH, payloadLength);
                sum += rawDirect.get(AeadImplementationBenchmark.HEADER_LENGTH);
            }
            return sum;
        }
        for (int i = 0; i < BATCH; i++)
        {
            sum += raw.seal(rawCounter++, rawIn, AeadImplementationBenchmark.HEADER_LENGTH, payloadLength, rawOut);
        }
        return sum;
    }

    /** 64 packets sealed then opened in place through the packet layer (replay window and all). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sealAndOpenBatch()
    {
        final int headerLength = sealer.headerLength(BATCH);
        sealer.sealBatch(batch, offsets, payloadLengths, BATCH, headerLength);
        final int packetLength = headerLength + payloadLength + AeadAlgorithm.TAG_LENGTH;
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

    /** The raw primitive sealing then opening, 64 times: the reference for {@link #sealAndOpenBatch()}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rawSealAndOpen()
    {
        int sum = 0;
        if (null != rawNative)
        {
            final int ciphertextLength = payloadLength + AeadAlgorithm.TAG_LENGTH;
            for (int i = 0; i < BATCH; i++)
            {
                final long counter = rawCounter++;
                rawNative.seal(counter, rawDirect, 0, AeadImplementationBenchmark.HEADER_LENGTH, payloadLength);
                sum += rawNative.open(counter, rawDirect, 0, AeadImplementationBenchmark.HEADER_LENGTH, ciphertextLength) ? 1 : 0;
            }
            return sum;
        }
        for (int i = 0; i < BATCH; i++)
        {
            final long counter = rawCounter++;
            final int sealed = raw.seal(counter, rawIn, AeadImplementationBenchmark.HEADER_LENGTH, payloadLength, rawOut);
            // Ciphertext follows the AAD in the open call's input, as on the wire.
            System.arraycopy(rawOut, 0, rawBack, 0, sealed);
            System.arraycopy(rawIn, 0, rawOut, 0, AeadImplementationBenchmark.HEADER_LENGTH);
            System.arraycopy(rawBack, 0, rawOut, AeadImplementationBenchmark.HEADER_LENGTH, sealed);
            sum += rawOpen.open(counter, rawOut, AeadImplementationBenchmark.HEADER_LENGTH, sealed, rawBack);
        }
        return sum;
    }
}
