/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random mutation of genuine packets, plus pure random bytes, into the opener for a bounded time.
 * Every result must be a documented code, no exception may escape, and nothing but an unmodified genuine
 * packet may be accepted. Reproduce a failure with the seed printed in the assertion message.
 */
class PacketOpenerFuzzTest
{
    private static final long SEED = Long.getLong("salvo.fuzz.seed", 20260101L);
    private static final long BUDGET_NS = Long.getLong("salvo.fuzz.millis", 1500L) * 1_000_000L;
    private static final int MAX_ITERATIONS = 400_000;

    static List<Arguments> implementations()
    {
        return List.of(
            Arguments.of(AeadImplementation.JDK, AeadAlgorithm.AES_128_GCM),
            Arguments.of(AeadImplementation.JDK, AeadAlgorithm.CHACHA20_POLY1305),
            Arguments.of(AeadImplementation.BOUNCY_CASTLE, AeadAlgorithm.AES_256_GCM),
            Arguments.of(AeadImplementation.NATIVE, AeadAlgorithm.AES_128_GCM),
            Arguments.of(AeadImplementation.NATIVE, AeadAlgorithm.CHACHA20_POLY1305));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void arbitraryBytesOnlyEverYieldDocumentedRejections(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions.ManualClock clock = new TestSessions.ManualClock();
        final TestSessions sessions = TestSessions.create(41, () -> TestSessions.settings(implementation, algorithm, clock)
            .keyUpdatePackets(500));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final Random random = new Random(SEED);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        final byte[] genuine = new byte[2048];
        final byte[] mutated = new byte[4096];
        final long deadline = System.nanoTime() + BUDGET_NS;
        int iterations = 0;
        int acceptedGenuine = 0;
        while (iterations < MAX_ITERATIONS && System.nanoTime() < deadline)
        {
            iterations++;
            final int payloadLength = random.nextInt(random.nextBoolean() ? 40 : 1500);
            final int headerLength = sealer.headerLength(1);
            final int offset = random.nextInt(64);
            for (int i = 0; i < payloadLength; i++)
            {
                buffer.put(offset + headerLength + i, (byte)random.nextInt());
            }
            final int length = sealer.seal(buffer, offset, headerLength, payloadLength);
            buffer.get(offset, genuine, 0, length);
            final byte[] plaintext = new byte[payloadLength];
            int mutatedLength = length;
            final int kind = random.nextInt(8);
            switch (kind)
            {
                case 0: // pure random bytes of random length
                    mutatedLength = random.nextInt(200);
                    random.nextBytes(mutated);
                    if (mutatedLength > 0 && random.nextBoolean())
                    {
                        mutated[0] = (byte)(0x40 | (mutated[0] & 0x3F));
                    }
                    break;
                case 1: // truncate
                    System.arraycopy(genuine, 0, mutated, 0, length);
                    mutatedLength = random.nextInt(length);
                    break;
                case 2: // extend with junk
                    System.arraycopy(genuine, 0, mutated, 0, length);
                    mutatedLength = length + 1 + random.nextInt(100);
                    for (int i = length; i < mutatedLength; i++)
                    {
                        mutated[i] = (byte)random.nextInt();
                    }
                    break;
                case 3: // rewrite the flags byte
                    System.arraycopy(genuine, 0, mutated, 0, length);
                    mutated[0] = (byte)random.nextInt();
                    break;
                case 7: // unmodified: must open
                    System.arraycopy(genuine, 0, mutated, 0, length);
                    break;
                default: // flip 1 to 4 random bits
                    System.arraycopy(genuine, 0, mutated, 0, length);
                    for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                    {
                        final int position = random.nextInt(length);
                        mutated[position] ^= (byte)(1 << random.nextInt(8));
                    }
                    break;
            }
            final boolean unmodified = mutatedLength == length &&
                java.util.Arrays.equals(mutated, 0, length, genuine, 0, length);
            buffer.put(offset, mutated, 0, mutatedLength);
            final int result = opener.open(buffer, offset, mutatedLength);
            final int iteration = iterations;
            if (result >= 0)
            {
                assertTrue(unmodified, () -> "accepted a mutated packet; seed " + SEED + " iteration " + iteration);
                buffer.get(opener.payloadOffset(), plaintext);
                acceptedGenuine++;
                sealer.onAcknowledged(opener.largestPacketNumber());
            }
            else
            {
                assertTrue(result >= PacketOpener.REJECT_AUTHENTICATION,
                    () -> "undocumented result " + result + "; seed " + SEED + " iteration " + iteration);
                assertTrue(!unmodified, () -> "rejected a genuine packet: " + result + "; seed " + SEED);
            }
        }
        assertTrue(acceptedGenuine > 0 && iterations > 100, "iterations " + iterations);
        assertArrayEquals(new long[]{ acceptedGenuine }, new long[]{ opener.accepted() });
    }
}
