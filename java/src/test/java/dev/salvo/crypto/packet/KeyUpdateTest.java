/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static dev.salvo.crypto.packet.TestSessions.fillPayload;
import static dev.salvo.crypto.packet.TestSessions.payloadMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyUpdateTest
{
    private static final int SLOT = 128;
    private static final int PAYLOAD = 24;

    private final TestSessions.ManualClock clock = new TestSessions.ManualClock();

    static List<Arguments> implementations()
    {
        return TestSessions.implementations();
    }

    private static int sealOne(final PacketSealer sealer, final ByteBuffer buffer, final int offset)
    {
        final int headerLength = sealer.headerLength(1);
        fillPayload(buffer, offset + headerLength, PAYLOAD, sealer.nextPacketNumber());
        return sealer.seal(buffer, offset, headerLength, PAYLOAD);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void continuousSealingAcrossSeveralUpdatesLosesNothingEvenReorderedAcrossPhases(
        final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = TestSessions.create(
            21, () -> TestSessions.settings(implementation, algorithm, clock).keyUpdatePackets(100));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final Random random = new Random(5);
        final int flight = 40;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(flight * SLOT);
        final int[] lengths = new int[flight];
        final long[] packetNumbers = new long[flight];
        final List<Integer> order = new ArrayList<>();
        int opened = 0;
        final int rounds = 60;
        long lastPhaseSeen = -1;
        int phaseChangesInsideFlight = 0;
        for (int round = 0; round < rounds; round++)
        {
            order.clear();
            final int firstPhase = sealer.keyPhase();
            for (int i = 0; i < flight; i++)
            {
                packetNumbers[i] = sealer.nextPacketNumber();
                lengths[i] = sealOne(sealer, buffer, i * SLOT);
                assertTrue(lengths[i] > 0, "sealed");
                order.add(i);
            }
            if (sealer.keyPhase() != firstPhase)
            {
                phaseChangesInsideFlight++;
            }
            // Deliver the flight shuffled, so packets of the old phase arrive after ones of the new phase.
            Collections.shuffle(order, random);
            for (final int i : order)
            {
                assertEquals(PAYLOAD, opener.open(buffer, i * SLOT, lengths[i]), "round " + round + " packet " + i);
                assertEquals(packetNumbers[i], opener.packetNumber());
                assertTrue(payloadMatches(buffer, opener.payloadOffset(), PAYLOAD, packetNumbers[i]));
                opened++;
            }
            sealer.onAcknowledged(opener.largestPacketNumber());
            lastPhaseSeen = opener.keyGeneration();
        }
        assertEquals(rounds * flight, opened);
        assertEquals(0, opener.totalRejections());
        assertTrue(sealer.keyUpdates() >= 15, "updates: " + sealer.keyUpdates());
        assertTrue(phaseChangesInsideFlight >= 10, "phase changes inside a reordered flight: " + phaseChangesInsideFlight);
        assertEquals(sealer.keyGeneration(), lastPhaseSeen);
        assertEquals(sealer.keyUpdates(), opener.keyUpdates());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void updateWaitsForAcknowledgementOfCurrentPhase(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = TestSessions.create(22, () -> TestSessions.settings(implementation, algorithm, clock));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT);

        sealer.requestKeyUpdate();
        assertFalse(sealer.isKeyUpdateAllowed());
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(0, sealer.keyGeneration());
        sealer.onAcknowledged(0);
        assertTrue(sealer.isKeyUpdateAllowed());
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(1, sealer.keyGeneration());
        assertEquals(1, sealer.keyPhase());
        assertEquals(1, opener.keyGeneration());

        // Acknowledging packet 0 (old phase) again does not allow another update; packet 1 (new phase) does.
        sealer.requestKeyUpdate();
        sealer.onAcknowledged(0);
        assertFalse(sealer.isKeyUpdateAllowed());
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(1, sealer.keyGeneration());
        sealer.onAcknowledged(1);
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(2, sealer.keyGeneration());
        assertEquals(0, sealer.keyPhase());
        assertEquals(2, opener.keyGeneration());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void refusesToSealAtHardLimitUntilUpdateIsAllowed(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = TestSessions.create(23, () -> TestSessions.settings(implementation, algorithm, clock)
            .keyUpdatePackets(40).keyHardLimitPackets(50));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT);
        for (int i = 0; i < 50; i++)
        {
            assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        }
        final byte[] before = new byte[SLOT];
        buffer.get(0, before);
        assertEquals(PacketSealer.SEAL_KEY_EXHAUSTED, sealOne(sealer, buffer, 0));
        assertEquals(PacketSealer.SEAL_KEY_EXHAUSTED, sealer.lastError());
        assertEquals(50, sealer.nextPacketNumber());
        assertEquals(1, sealer.refusals());
        // Batch sealing stops at the refusal too.
        final int headerLength = sealer.headerLength(2);
        assertEquals(0, sealer.sealBatch(buffer, new int[]{ 0, 64 }, new int[]{ 8, 8 }, 2, headerLength));

        sealer.onAcknowledged(10);
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(1, sealer.keyGeneration());
        assertEquals(50, opener.packetNumber());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void updatesAfterTimeLimitOnTheInjectedClock(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = TestSessions.create(24, () -> TestSessions.settings(implementation, algorithm, clock));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT);
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        sealer.onAcknowledged(0);
        clock.nowNs += PacketProtectionSettings.KEY_UPDATE_INTERVAL_DEFAULT_NS - 1;
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(0, sealer.keyGeneration());
        clock.nowNs += 1;
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(1, sealer.keyGeneration());
        assertEquals(1, opener.keyGeneration());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void previousKeyOpensReorderedPacketsOnlyDuringGracePeriod(
        final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = TestSessions.create(25, () -> TestSessions.settings(implementation, algorithm, clock));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(8 * SLOT);
        final int[] lengths = new int[8];
        for (int i = 0; i < 4; i++)
        {
            lengths[i] = sealOne(sealer, buffer, i * SLOT);
        }
        sealer.onAcknowledged(0);
        sealer.requestKeyUpdate();
        for (int i = 4; i < 8; i++)
        {
            lengths[i] = sealOne(sealer, buffer, i * SLOT);
        }
        assertEquals(1, sealer.keyGeneration());

        assertEquals(PAYLOAD, opener.open(buffer, 0, lengths[0]));
        assertEquals(PAYLOAD, opener.open(buffer, 5 * SLOT, lengths[5]));
        assertEquals(1, opener.keyGeneration());
        assertTrue(opener.isPreviousKeyAvailable());
        // Within the grace period: the old phase still opens, the new phase packet below the first seen too.
        clock.nowNs += PacketProtectionSettings.PREVIOUS_KEY_GRACE_DEFAULT_NS;
        assertEquals(PAYLOAD, opener.open(buffer, 1 * SLOT, lengths[1]));
        assertEquals(PAYLOAD, opener.open(buffer, 4 * SLOT, lengths[4]));
        assertEquals(4, opener.packetNumber());
        // After it: the previous key is gone.
        clock.nowNs += 1;
        assertFalse(opener.isPreviousKeyAvailable());
        assertEquals(PacketOpener.REJECT_KEY_UNAVAILABLE, opener.open(buffer, 2 * SLOT, lengths[2]));
        assertEquals(PacketOpener.REJECT_KEY_UNAVAILABLE, opener.open(buffer, 3 * SLOT, lengths[3]));
        assertEquals(PAYLOAD, opener.open(buffer, 6 * SLOT, lengths[6]));
        assertEquals(PAYLOAD, opener.open(buffer, 7 * SLOT, lengths[7]));
        assertEquals(2, opener.rejections(PacketOpener.REJECT_KEY_UNAVAILABLE));
    }

    @Test
    void forgedNextPhasePacketDoesNotMoveTheReceiver()
    {
        final TestSessions sessions = TestSessions.create(
            26, () -> TestSessions.settings(AeadImplementation.JDK, AeadAlgorithm.AES_128_GCM, clock));
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT);
        final int length = sealOne(sealer, buffer, 0);
        buffer.put(0, (byte)(buffer.get(0) ^ DataPacketDescriptor.KEY_PHASE_BIT));
        assertEquals(PacketOpener.REJECT_AUTHENTICATION, opener.open(buffer, 0, length));
        assertEquals(0, opener.keyGeneration());
        assertEquals(-1, opener.largestPacketNumber());
        assertEquals(PAYLOAD, opener.open(buffer, 0, sealOne(sealer, buffer, 0)));
        assertEquals(0, opener.keyGeneration());
        assertEquals(TimeUnit.SECONDS.toNanos(3), PacketProtectionSettings.PREVIOUS_KEY_GRACE_DEFAULT_NS);
    }
}
