/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.crypto.handshake;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.handshake.HandshakeDescriptor;
import dev.salvo.crypto.handshake.HandshakeInitiator;
import dev.salvo.crypto.handshake.HandshakeResponder;
import dev.salvo.crypto.handshake.HandshakeSettings;
import dev.salvo.crypto.handshake.HandshakeStatus;
import dev.salvo.crypto.handshake.InitiatorHandshake;
import dev.salvo.crypto.handshake.PeerAuthorizer;
import dev.salvo.crypto.handshake.ResponderResult;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handshake cost on one thread: a full Salvo IK round trip (initiator writes, responder answers,
 * initiator completes), and the responder's cost per forged initiation (bad MAC1), the figure
 * that bounds what a flood can cost.
 *
 * <pre>
 * java -jar bench/target/salvo-bench.jar 'dev.salvo.bench.crypto.handshake.*' -prof gc
 * </pre>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandshakeBenchmark
{
    private static final byte[] ADDRESS = { 127, 0, 0, 1 };
    private static final int FORGED_COUNT = 1024;

    private HandshakeResponder responder;
    private HandshakeInitiator initiator;
    private byte[] responderKey;
    private final ResponderResult result = new ResponderResult();
    private final UnsafeBuffer wire = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[256]);
    private UnsafeBuffer[] forged;
    private int next;

    @Setup(Level.Trial)
    public void setup()
    {
        final SecureRandom random = new SecureRandom();
        final StaticKeyPair responderIdentity = StaticKeyPair.generate(random);
        responderKey = responderIdentity.publicKey();
        // Limits out of the way: this measures the cryptography, not the DoS policy.
        final HandshakeSettings settings = new HandshakeSettings()
            .rateLimitPerSecond(Integer.MAX_VALUE / 2).rateLimitBurst(2)
            .underLoadInitiationsPerSecond(Integer.MAX_VALUE);
        responder = new HandshakeResponder(
            responderIdentity, PeerAuthorizer.ALLOW_ALL, settings, new SystemNanoClock(), random);
        initiator = new HandshakeInitiator(
            StaticKeyPair.generate(random), settings, new SystemNanoClock(), new SystemEpochNanoClock(), random);

        final Random bytes = new Random(1);
        forged = new UnsafeBuffer[FORGED_COUNT];
        for (int i = 0; i < FORGED_COUNT; i++)
        {
            final byte[] packet = new byte[HandshakeDescriptor.INITIATION_LENGTH];
            bytes.nextBytes(packet);
            packet[0] = HandshakeDescriptor.TYPE_INITIATION;
            packet[1] = 0;
            packet[2] = 0;
            packet[3] = 0;
            forged[i] = new UnsafeBuffer(packet);
        }
    }

    /** Full round trip: initiation, response, completion. Score = handshakes per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Object fullHandshake()
    {
        final InitiatorHandshake handshake = initiator.newHandshake(responderKey, next++, 0);
        final int length = handshake.writeInitiation(wire, 0);
        if (HandshakeStatus.ACCEPTED != responder.onInitiation(wire, 0, length, ADDRESS, 1, next, reply, 0, result))
        {
            throw new IllegalStateException(result.status().toString());
        }
        if (HandshakeStatus.ACCEPTED != handshake.onResponse(reply, 0, result.replyLength()))
        {
            throw new IllegalStateException("response rejected");
        }
        return handshake.secrets();
    }

    /** Responder cost of one forged initiation (fails MAC1). Score = ns per packet. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public HandshakeStatus forgedInitiation()
    {
        final UnsafeBuffer packet = forged[next++ & (FORGED_COUNT - 1)];
        return responder.onInitiation(packet, 0, HandshakeDescriptor.INITIATION_LENGTH, ADDRESS, 1, 0, reply, 0, result);
    }
}
