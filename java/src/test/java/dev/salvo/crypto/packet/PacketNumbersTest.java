/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketNumbersTest
{
    @Test
    void rfc9000AppendixA3Example()
    {
        assertEquals(0xa82f9b32L, PacketNumbers.decode(0xa82f30eaL, 0x9b32, 2));
    }

    @Test
    void rfc9000AppendixA2Examples()
    {
        // largest acked 0xabe8b3, sending 0xac5c02 -> 29519 unacked -> 16 bits; 0xace8fe -> 3 bytes.
        assertEquals(2, PacketNumbers.encodedLength(0xac5c02L, 0xabe8b3L));
        assertEquals(3, PacketNumbers.encodedLength(0xace8feL, 0xabe8b3L));
    }

    @Test
    void encodedLengthBoundaries()
    {
        assertEquals(4, PacketNumbers.encodedLength(0, -1));
        assertEquals(4, PacketNumbers.encodedLength((1L << 31) - 1, -1));
        assertEquals(PacketNumbers.GAP_TOO_LARGE, PacketNumbers.encodedLength(1L << 31, -1));
        assertEquals(1, PacketNumbers.encodedLength(127, 0));
        assertEquals(2, PacketNumbers.encodedLength(128, 0));
        assertEquals(2, PacketNumbers.encodedLength(1000 + (1 << 15) - 1, 1000));
        assertEquals(3, PacketNumbers.encodedLength(1000 + (1 << 15), 1000));
        assertEquals(4, PacketNumbers.encodedLength(5 + (1L << 31) - 1, 5));
        assertEquals(PacketNumbers.GAP_TOO_LARGE, PacketNumbers.encodedLength(5 + (1L << 31), 5));
    }

    @Test
    void decodeAroundWrapOfTruncatedSpace()
    {
        // Largest 0xFF, next 0x100 encoded in one byte as 0x00.
        assertEquals(0x100, PacketNumbers.decode(0xFF, 0x00, 1));
        // Reordered packet just below a byte boundary.
        assertEquals(0xFE, PacketNumbers.decode(0x101, 0xFE, 1));
        // Nothing received yet.
        assertEquals(0, PacketNumbers.decode(-1, 0, 1));
        assertEquals(0xFFFFFFFFL, PacketNumbers.decode(-1, 0xFFFFFFFFL, 4));
        // Never below zero: candidate stays when subtracting the window would go negative.
        assertEquals(200, PacketNumbers.decode(10, 200, 1));
    }

    @Test
    void decodeNearTopOfPacketNumberSpace()
    {
        final long max = DataPacketDescriptor.MAX_PACKET_NUMBER;
        assertEquals(max, PacketNumbers.decode(max - 1, max & 0xFF, 1));
        // Would exceed 2^62 if moved up a window: stays below.
        final long decoded = PacketNumbers.decode(max - 2, 0x00, 1);
        assertEquals((max - 2) & ~0xFFL, decoded & ~0xFFL);
    }

    @Test
    void roundTripsWheneverSenderRespectsItsEncodedLength()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 200_000; i++)
        {
            final long largestAcked = random.nextInt(4) == 0 ? random.nextInt(1000) : (random.nextLong() >>> 3);
            final long gap = 1 + (long)(random.nextDouble() * random.nextDouble() * (1L << 31));
            final long packetNumber = largestAcked + gap - 1;
            final int length = PacketNumbers.encodedLength(packetNumber, largestAcked);
            if (length < 0)
            {
                continue;
            }
            // The receiver's largest may be anywhere from the acked packet up to just below this one.
            final long receiverLargest = largestAcked + (long)(random.nextDouble() * (packetNumber - largestAcked));
            final long truncated = packetNumber & ((1L << (8 * length)) - 1);
            assertEquals(packetNumber, PacketNumbers.decode(receiverLargest, truncated, length),
                () -> "pn=" + packetNumber + " acked=" + largestAcked + " len=" + length);
        }
    }
}
