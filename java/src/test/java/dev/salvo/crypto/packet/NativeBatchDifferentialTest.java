/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native batch paths of {@link PacketSealer#sealBatch} and {@link PacketOpener#openBatch} against the JDK
 * strategy, packet for packet: the same secrets give the same keys, so sealed bytes must be identical, and an
 * opener fed the same hostile batches (reordered, duplicated, tampered, forged key phases, packets across key
 * updates) must give the same results, packet numbers, plaintexts and counters.
 */
class NativeBatchDifferentialTest
{
    private static final int SLOT = 1600;
    private static final int MAX_BATCH = 48;
    private static final int ROUNDS = 400;

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void nativeBatchesBehaveExactlyLikeTheJdkPacketByPacket(final AeadAlgorithm algorithm)
    {
        TestSessions.assumeNativeIfNamed(AeadImplementation.NATIVE);
        final TestSessions.ManualClock clock = new TestSessions.ManualClock();
        final TestSessions jdk = TestSessions.create(51, () -> TestSessions.settings(AeadImplementation.JDK, algorithm, clock)
            .keyUpdatePackets(97).previousKeyGraceNs(1_000_000));
        final TestSessions nat = TestSessions.create(51, () -> TestSessions.settings(AeadImplementation.NATIVE, algorithm, clock)
            .keyUpdatePackets(97).previousKeyGraceNs(1_000_000));
        final PacketSealer jdkSealer = jdk.initiator.sealer();
        final PacketSealer natSealer = nat.initiator.sealer();
        final PacketOpener jdkOpener = jdk.responder.opener();
        final PacketOpener natOpener = nat.responder.opener();

        final Random random = new Random(algorithm.ordinal() + 99L);
        final ByteBuffer jdkBuffer = ByteBuffer.allocateDirect(MAX_BATCH * SLOT);
        final ByteBuffer natBuffer = ByteBuffer.allocateDirect(MAX_BATCH * SLOT);
        final ByteBuffer history = ByteBuffer.allocateDirect(256 * SLOT); // sealed packets kept for replays
        final int[] historyLengths = new int[256];
        int historyCount = 0;
        final int[] offsets = new int[MAX_BATCH];
        final int[] payloadLengths = new int[MAX_BATCH];
        final int[] lengths = new int[MAX_BATCH];
        final int[] jdkResults = new int[MAX_BATCH];
        final int[] natResults = new int[MAX_BATCH];
        final long[] jdkNumbers = new long[MAX_BATCH];
        final long[] natNumbers = new long[MAX_BATCH];
        long accepted = 0;
        long rejected = 0;

        for (int round = 0; round < ROUNDS; round++)
        {
            // Seal the same batch both ways; the native sealer's batch runs through one JNI call (two across an update).
            final int count = 1 + random.nextInt(MAX_BATCH);
            final int headerLength = jdkSealer.headerLength(count);
            assertEquals(headerLength, natSealer.headerLength(count));
            for (int i = 0; i < count; i++)
            {
                offsets[i] = i * SLOT + random.nextInt(8);
                payloadLengths[i] = random.nextInt(SLOT - 8 - 9 - 16);
                final byte[] payload = new byte[payloadLengths[i]];
                random.nextBytes(payload);
                jdkBuffer.put(offsets[i] + headerLength, payload);
                natBuffer.put(offsets[i] + headerLength, payload);
            }
            if (random.nextInt(10) == 0)
            {
                jdkSealer.requestKeyUpdate();
                natSealer.requestKeyUpdate();
            }
            final int sealed = jdkSealer.sealBatch(jdkBuffer, offsets, payloadLengths, count, headerLength);
            assertEquals(sealed, natSealer.sealBatch(natBuffer, offsets, payloadLengths, count, headerLength));
            assertEquals(jdkSealer.keyGeneration(), natSealer.keyGeneration());
            for (int i = 0; i < sealed; i++)
            {
                lengths[i] = headerLength + payloadLengths[i] + 16;
                assertArrayEquals(bytes(jdkBuffer, offsets[i], lengths[i]), bytes(natBuffer, offsets[i], lengths[i]),
                    "round " + round + " packet " + i);
                if (random.nextInt(4) == 0)
                {
                    final int slot = historyCount < historyLengths.length ? historyCount++ : random.nextInt(historyLengths.length);
                    history.put(slot * SLOT, jdkBuffer, offsets[i], lengths[i]);
                    historyLengths[slot] = lengths[i];
                }
            }

            // Make the batch hostile: swap, replay old packets, tamper bytes (incl. the key phase bit), truncate.
            int n = sealed;
            for (int i = 0; i < n; i++)
            {
                final int kind = random.nextInt(14);
                if (kind == 0 && n > 1)
                {
                    swap(jdkBuffer, offsets, lengths, i, random.nextInt(n));
                }
                else if (kind == 1 && historyCount > 0)
                {
                    final int from = random.nextInt(historyCount);
                    jdkBuffer.put(offsets[i], history, from * SLOT, historyLengths[from]);
                    lengths[i] = historyLengths[from];
                }
                else if (kind == 2)
                {
                    final int at = offsets[i] + random.nextInt(lengths[i]);
                    jdkBuffer.put(at, (byte)(jdkBuffer.get(at) ^ (1 << random.nextInt(8))));
                }
                else if (kind == 3)
                {
                    jdkBuffer.put(offsets[i], (byte)(jdkBuffer.get(offsets[i]) ^ DataPacketDescriptor.KEY_PHASE_BIT));
                }
                else if (kind == 4 && i > 0)
                {
                    jdkBuffer.put(offsets[i], jdkBuffer, offsets[i - 1], lengths[i - 1]); // duplicate inside the batch
                    lengths[i] = lengths[i - 1];
                }
                else if (kind == 5)
                {
                    lengths[i] = random.nextInt(lengths[i] + 1);
                }
            }
            natBuffer.put(0, jdkBuffer, 0, n == 0 ? 0 : MAX_BATCH * SLOT);
            if (random.nextInt(20) == 0)
            {
                clock.nowNs += 2_000_000; // past the grace period of the previous key
            }

            final int jdkAccepted = jdkOpener.openBatch(jdkBuffer, offsets, lengths, n, jdkResults, jdkNumbers);
            final int natAccepted = natOpener.openBatch(natBuffer, offsets, lengths, n, natResults, natNumbers);
            assertEquals(jdkAccepted, natAccepted, "round " + round);
            for (int i = 0; i < n; i++)
            {
                final String what = "round " + round + " packet " + i;
                assertEquals(jdkResults[i], natResults[i], what);
                assertEquals(jdkNumbers[i], natNumbers[i], what);
                if (jdkResults[i] >= 0)
                {
                    final int payloadOffset = offsets[i] + PacketOpener.headerLength(jdkBuffer, offsets[i]);
                    assertArrayEquals(bytes(jdkBuffer, payloadOffset, jdkResults[i]), bytes(natBuffer, payloadOffset, natResults[i]), what);
                }
            }
            accepted += jdkAccepted;
            rejected += n - jdkAccepted;
            assertEquals(jdkOpener.accepted(), natOpener.accepted());
            for (int code = PacketOpener.REJECT_MALFORMED; code >= PacketOpener.REJECT_AUTHENTICATION; code--)
            {
                assertEquals(jdkOpener.rejections(code), natOpener.rejections(code), "round " + round + " code " + code);
            }
            assertEquals(jdkOpener.keyGeneration(), natOpener.keyGeneration());
            assertEquals(jdkOpener.largestPacketNumber(), natOpener.largestPacketNumber());
            if (jdkOpener.largestPacketNumber() >= 0)
            {
                jdkSealer.onAcknowledged(jdkOpener.largestPacketNumber());
                natSealer.onAcknowledged(natOpener.largestPacketNumber());
            }
        }
        assertTrue(accepted > ROUNDS * 5L, "accepted " + accepted);
        assertTrue(rejected > ROUNDS, "rejected " + rejected);
        assertTrue(jdkOpener.keyUpdates() > 10, "key updates " + jdkOpener.keyUpdates());
        assertTrue(jdkOpener.rejections(PacketOpener.REJECT_AUTHENTICATION) > 100);
        assertTrue(jdkOpener.rejections(PacketOpener.REJECT_DUPLICATE) > 10);
    }

    private static void swap(final ByteBuffer buffer, final int[] offsets, final int[] lengths, final int a, final int b)
    {
        final int t = offsets[a];
        offsets[a] = offsets[b];
        offsets[b] = t;
        final int l = lengths[a];
        lengths[a] = lengths[b];
        lengths[b] = l;
    }

    private static byte[] bytes(final ByteBuffer buffer, final int offset, final int length)
    {
        final byte[] value = new byte[length];
        buffer.get(offset, value);
        return value;
    }
}
