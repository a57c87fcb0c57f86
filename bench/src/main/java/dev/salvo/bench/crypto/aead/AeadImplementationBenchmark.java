/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.crypto.aead;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadCipher;
import dev.salvo.crypto.aead.AeadImplementation;
import dev.salvo.crypto.aead.BcAeadCipher;
import dev.salvo.crypto.aead.NativeAeadCipher;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compares the AEAD implementations behind {@link AeadCipher}: seal one packet in place in a direct buffer.
 * Run once with the shaded jar as is (BOUNCY_CASTLE = pure-Java bcprov-jdk18on) and once with
 * bcprov-lts8on first on the class path (BOUNCY_CASTLE = native AES-GCM); see docs/BENCHMARKS.md. NATIVE is
 * OpenSSL's libcrypto through the JNI shim (one JNI call per packet here).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AeadImplementationBenchmark
{
    /** Header length used throughout (flags, session id, 4-byte packet number). */
    static final int HEADER_LENGTH = 9;

    @Param({ "JDK", "BOUNCY_CASTLE", "NATIVE" })
    public AeadImplementation implementation;

    @Param({ "AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305" })
    public AeadAlgorithm algorithm;

    @Param({ "1400", "8192" })
    public int payloadLength;

    private AeadCipher cipher;
    private ByteBuffer buffer;
    private long packetNumber;

    @Setup
    public void setup()
    {
        cipher = implementation.newCipher(algorithm);
        cipher.init(new byte[algorithm.keyLength()], new byte[AeadAlgorithm.NONCE_LENGTH]);
        buffer = ByteBuffer.allocateDirect(HEADER_LENGTH + payloadLength + AeadAlgorithm.TAG_LENGTH);
        if (cipher instanceof NativeAeadCipher)
        {
            System.err.println("Native AEAD: " + NativeAeadCipher.description());
        }
        if (cipher instanceof BcAeadCipher)
        {
            System.err.println("BouncyCastle engine: " + ((BcAeadCipher)cipher).engineDescription());
        }
    }

    /** One packet sealed in place; throughput in packets per microsecond. */
    @Benchmark
    public int seal()
    {
        cipher.seal(packetNumber++, buffer, 0, HEADER_LENGTH, payloadLength);
        return buffer.get(HEADER_LENGTH);
    }
}
