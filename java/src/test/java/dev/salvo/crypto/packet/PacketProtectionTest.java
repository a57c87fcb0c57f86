/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static dev.salvo.crypto.packet.TestSessions.fillPayload;
import static dev.salvo.crypto.packet.TestSessions.payloadMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadImplementation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PacketProtectionTest
{
    private static final int SLOT = 2048;

    private final TestSessions.ManualClock clock = new TestSessions.ManualClock();

    static List<Arguments> implementations()
    {
        return TestSessions.implementations();
    }

    private TestSessions sessions(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        return TestSessions.create(11, () -> TestSessions.settings(implementation, algorithm, clock));
    }

    /** Seals packet with payload tag {@code tag} into slot {@code slot}; returns its length. */
    private static int seal(final PacketSealer sealer, final ByteBuffer buffer, final int slot, final int payloadLength)
    {
        final int offset = slot * SLOT;
        final int headerLength = sealer.headerLength(1);
        fillPayload(buffer, offset + headerLength, payloadLength, sealer.nextPacketNumber());
        final int length = sealer.seal(buffer, offset, headerLength, payloadLength);
        assertEquals(headerLength + payloadLength + 16, length);
        return length;
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void roundTripBothDirections(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = sessions(implementation, algorithm);
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (final boolean fromInitiator : new boolean[]{ true, false })
        {
            final PacketSealer sealer = (fromInitiator ? sessions.initiator : sessions.responder).sealer();
            final PacketOpener opener = (fromInitiator ? sessions.responder : sessions.initiator).opener();
            for (int i = 0; i < 20; i++)
            {
                final long packetNumber = sealer.nextPacketNumber();
                final int length = seal(sealer, buffer, 0, i * 50);
                final int sessionIdByte = buffer.get(1) & 0xFF;
                assertEquals(
                    (fromInitiator ? TestSessions.RESPONDER_SESSION_ID : TestSessions.INITIATOR_SESSION_ID) >>> 24,
                    sessionIdByte);
                assertEquals(i * 50, opener.open(buffer, 0, length));
                assertEquals(packetNumber, opener.packetNumber());
                assertTrue(payloadMatches(buffer, opener.payloadOffset(), i * 50, packetNumber));
                assertEquals(0, opener.reservedBits());
            }
        }
        // A session's own sealer output does not open with its own opener (directions have distinct keys).
        final int length = seal(sessions.initiator.sealer(), buffer, 0, 10);
        buffer.putInt(1, 0);
        assertTrue(sessions.initiator.opener().open(buffer, 0, length) < 0);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void tamperedTruncatedAndMisaddressedPacketsAreRejected(
        final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = sessions(implementation, algorithm);
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT * 2);
        final int length = seal(sealer, buffer, 0, 100);
        final byte[] sealed = new byte[length];
        buffer.get(0, sealed);

        // Reserved bits, key phase, each session id / packet number / ciphertext / tag byte.
        final int[][] flips = {
            { 0, 0x04 }, { 0, 0x20 }, { 5, 0x01 }, { 8, 0x80 }, { 9, 0x01 }, { 60, 0x10 }, { length - 1, 0x01 }, { length - 16, 0x80 } };
        for (final int[] flip : flips)
        {
            buffer.put(0, sealed);
            buffer.put(flip[0], (byte)(sealed[flip[0]] ^ flip[1]));
            assertEquals(PacketOpener.REJECT_AUTHENTICATION, opener.open(buffer, 0, length), "flip " + flip[0]);
        }
        buffer.put(0, sealed);
        buffer.put(1, (byte)(sealed[1] ^ 1));
        assertEquals(PacketOpener.REJECT_UNKNOWN_SESSION, opener.open(buffer, 0, length));
        buffer.put(0, sealed);
        buffer.put(0, (byte)(sealed[0] & 0x3F));
        assertEquals(PacketOpener.REJECT_MALFORMED, opener.open(buffer, 0, length));
        buffer.put(0, sealed);
        assertEquals(PacketOpener.REJECT_AUTHENTICATION, opener.open(buffer, 0, length - 1));
        assertEquals(PacketOpener.REJECT_MALFORMED, opener.open(buffer, 0, DataPacketDescriptor.MIN_PACKET_LENGTH - 1));
        // Announcing a 1-byte packet number shortens the header: authentication fails.
        buffer.put(0, sealed);
        buffer.put(0, (byte)(sealed[0] & ~0x03));
        assertEquals(PacketOpener.REJECT_AUTHENTICATION, opener.open(buffer, 0, length));
        assertEquals(0, opener.accepted());
        assertEquals(
            flips.length + 2, opener.rejections(PacketOpener.REJECT_AUTHENTICATION));

        // Nothing above changed the state: the genuine packet still opens.
        buffer.put(0, sealed);
        assertEquals(100, opener.open(buffer, 0, length));
        assertEquals(0, opener.totalRejections() - opener.rejections(PacketOpener.REJECT_AUTHENTICATION) - 3);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void replayedReorderedAndTooOldPackets(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = sessions(implementation, algorithm);
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final int count = ReplayWindow.WINDOW_SIZE + 200;
        final int slotLength = 64;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(count * slotLength);
        final int[] lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            final int headerLength = sealer.headerLength(1);
            fillPayload(buffer, i * slotLength + headerLength, 8, i);
            lengths[i] = sealer.seal(buffer, i * slotLength, headerLength, 8);
        }
        final byte[] copy = new byte[slotLength];
        final ByteBuffer replay = ByteBuffer.allocateDirect(slotLength);

        // Reordered: the newest first, then older ones within the window, each accepted exactly once.
        assertEquals(8, opener.open(buffer, (count - 1) * slotLength, lengths[count - 1]));
        for (int i = count - 2; i > count - 1 - ReplayWindow.WINDOW_SIZE; i -= 97)
        {
            buffer.get(i * slotLength, copy);
            replay.put(0, copy);
            assertEquals(8, opener.open(buffer, i * slotLength, lengths[i]), "packet " + i);
            assertEquals(i, opener.packetNumber());
            assertTrue(payloadMatches(buffer, opener.payloadOffset(), 8, i));
            assertEquals(PacketOpener.REJECT_DUPLICATE, opener.open(replay, 0, lengths[i]), "replay " + i);
        }
        // Too old: more than the window below the largest.
        final int old = count - 1 - ReplayWindow.WINDOW_SIZE;
        assertEquals(PacketOpener.REJECT_TOO_OLD, opener.open(buffer, old * slotLength, lengths[old]));
        assertEquals(PacketOpener.REJECT_TOO_OLD, opener.open(buffer, 0, lengths[0]));
        assertTrue(opener.rejections(PacketOpener.REJECT_DUPLICATE) > 50);
        assertEquals(2, opener.rejections(PacketOpener.REJECT_TOO_OLD));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void shortPacketNumbersAfterAcknowledgementsStillDecode(
        final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = sessions(implementation, algorithm);
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(SLOT);
        assertEquals(9, sealer.headerLength(1));
        for (int i = 0; i < 3000; i++)
        {
            if (i > 0 && i % 5 == 0)
            {
                sealer.onAcknowledged(opener.largestPacketNumber());
            }
            final int length = seal(sealer, buffer, 0, 20);
            assertEquals(20, opener.open(buffer, 0, length));
            assertEquals(i, opener.packetNumber());
        }
        assertEquals(6, sealer.headerLength(1));
        assertEquals(7, sealer.headerLength(200));
        // A header reserved too short for the unacknowledged range is refused without using a packet number.
        final long next = sealer.nextPacketNumber();
        for (int i = 0; i < 200; i++)
        {
            seal(sealer, buffer, 0, 1);
        }
        assertEquals(PacketSealer.SEAL_HEADER_TOO_SHORT, sealer.seal(buffer, 0, 6, 1));
        assertEquals(next + 200, sealer.nextPacketNumber());
        assertThrows(IllegalArgumentException.class, () -> sealer.onAcknowledged(next + 200));
        assertThrows(IllegalArgumentException.class, () -> sealer.seal(buffer, 0, 10, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> sealer.seal(buffer, SLOT - 20, 9, 1));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void batchSealAndOpen(final AeadImplementation implementation, final AeadAlgorithm algorithm)
    {
        final TestSessions sessions = sessions(implementation, algorithm);
        final PacketSealer sealer = sessions.initiator.sealer();
        final PacketOpener opener = sessions.responder.opener();
        final int count = 64;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(count * 1500);
        final int[] offsets = new int[count];
        final int[] payloadLengths = new int[count];
        final int[] lengths = new int[count];
        final int headerLength = sealer.headerLength(count);
        for (int i = 0; i < count; i++)
        {
            offsets[i] = i * 1500;
            payloadLengths[i] = 1400 - i;
            lengths[i] = headerLength + payloadLengths[i] + 16;
            fillPayload(buffer, offsets[i] + headerLength, payloadLengths[i], i);
        }
        assertEquals(count, sealer.sealBatch(buffer, offsets, payloadLengths, count, headerLength));
        // Corrupt one packet: the batch result says which.
        buffer.put(offsets[10] + 40, (byte)(buffer.get(offsets[10] + 40) ^ 1));
        final int[] results = new int[count];
        final long[] packetNumbers = new long[count];
        assertEquals(count - 1, opener.openBatch(buffer, offsets, lengths, count, results, packetNumbers));
        for (int i = 0; i < count; i++)
        {
            if (i == 10)
            {
                assertEquals(PacketOpener.REJECT_AUTHENTICATION, results[i]);
                assertEquals(-1, packetNumbers[i]);
            }
            else
            {
                assertEquals(payloadLengths[i], results[i]);
                assertEquals(i, packetNumbers[i]);
                assertTrue(payloadMatches(
                    buffer, offsets[i] + PacketOpener.headerLength(buffer, offsets[i]), payloadLengths[i], i));
            }
        }
    }

    @Test
    void heapBuffersWorkToo()
    {
        final TestSessions sessions = sessions(AeadImplementation.BOUNCY_CASTLE, AeadAlgorithm.AES_128_GCM);
        final ByteBuffer buffer = ByteBuffer.allocate(SLOT);
        final int length = seal(sessions.responder.sealer(), buffer, 0, 33);
        assertEquals(33, sessions.initiator.opener().open(buffer, 0, length));
        assertTrue(payloadMatches(buffer, sessions.initiator.opener().payloadOffset(), 33, 0));
        assertFalse(sessions.initiator.opener().isPreviousKeyAvailable());
    }
}
