/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VarIntTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);

    @Test
    void decodesRfc9000SampleEncodings()
    {
        assertDecodes(151_288_809_941_952_652L, 0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c);
        assertDecodes(494_878_333L, 0x9d, 0x7f, 0x3e, 0x7d);
        assertDecodes(15_293L, 0x7b, 0xbd);
        assertDecodes(37L, 0x25);
        assertDecodes(37L, 0x40, 0x25);
    }

    @Test
    void roundTripsBoundariesInShortestForm()
    {
        final long[] values = {0, 1, 63, 64, 16_383, 16_384, 1_073_741_823, 1_073_741_824, VarInt.MAX_VALUE};
        final int[] lengths = {1, 1, 1, 2, 2, 4, 4, 8, 8};
        for (int i = 0; i < values.length; i++)
        {
            final int written = VarInt.put(buffer, 3, values[i]);
            assertEquals(lengths[i], written, "length of " + values[i]);
            assertEquals(written, VarInt.encodedLength(buffer.getByte(3)));
            assertEquals(values[i], VarInt.get(buffer, 3));
        }
    }

    @Test
    void putFixedPadsToTheRequestedLength()
    {
        VarInt.putFixed(buffer, 0, 5, 4);
        assertEquals(4, VarInt.encodedLength(buffer.getByte(0)));
        assertEquals(5, VarInt.get(buffer, 0));
        assertThrows(IllegalArgumentException.class, () -> VarInt.putFixed(buffer, 0, 64, 1));
    }

    @Test
    void rejectsOutOfRangeValues()
    {
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(-1));
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(VarInt.MAX_VALUE + 1));
    }

    private void assertDecodes(final long expected, final int... bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            buffer.putByte(i, (byte)bytes[i]);
        }
        assertEquals(bytes.length, VarInt.encodedLength(buffer.getByte(0)));
        assertEquals(expected, VarInt.get(buffer, 0));
    }
}
