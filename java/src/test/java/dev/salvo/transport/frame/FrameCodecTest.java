/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.frame;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private final FrameReader reader = new FrameReader();

    @Test
    void roundTripsEveryFrameTypeInOnePacket()
    {
        int p = 0;
        p += FrameWriter.putPing(buffer, p);
        final long[] largest = {100, 90, 10};
        final long[] smallest = {95, 50, 0};
        p += FrameWriter.putAck(buffer, p, 100, largest, smallest, 3, 1234);
        p += FrameWriter.putMaxData(buffer, p, 64L << 20);
        p += FrameWriter.putDataBlocked(buffer, p, 1 << 20);
        p += FrameWriter.putCancel(buffer, p, 77, 4096);
        final byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
        p += FrameWriter.putClose(buffer, p, ErrorCode.APPLICATION_BASE + 1, new UnsafeBuffer(reason), 0, reason.length);
        final int flags = FrameType.MESSAGE_FLAG_MULTI | FrameType.MESSAGE_FLAG_LENGTH | FrameType.MESSAGE_FLAG_ORDERED;
        p += FrameWriter.putMessageHeader(buffer, p, flags, 5000, 2400, 1 << 20, 3);
        buffer.putBytes(p, new byte[]{7, 8, 9});
        p += 3;
        p += FrameWriter.putPadding(buffer, p, 4);
        p += FrameWriter.putMessageHeader(buffer, p, 0, 1, 0, 0, 0);
        buffer.putBytes(p, new byte[]{1, 2, 3, 4, 5});
        p += 5;

        reader.wrap(buffer, 0, p);
        assertEquals(FrameType.PING, reader.next());
        assertEquals(FrameType.ACK, reader.next());
        assertEquals(100, reader.ackLargest());
        assertEquals(1234, reader.ackDelayMicros());
        assertEquals(3, reader.ackRangeCount());
        for (int i = 0; i < 3; i++)
        {
            assertEquals(largest[i], reader.ackRangeLargest(i));
            assertEquals(smallest[i], reader.ackRangeSmallest(i));
        }
        assertEquals(FrameType.MAX_DATA, reader.next());
        assertEquals(64L << 20, reader.limitValue());
        assertEquals(FrameType.DATA_BLOCKED, reader.next());
        assertEquals(1 << 20, reader.limitValue());
        assertEquals(FrameType.MESSAGE_CANCEL, reader.next());
        assertEquals(77, reader.messageId());
        assertEquals(4096, reader.limitValue());
        assertEquals(FrameType.CLOSE, reader.next());
        assertEquals(ErrorCode.APPLICATION_BASE + 1, reader.closeErrorCode());
        assertEquals("bye", buffer.getStringWithoutLengthUtf8(reader.closeReasonOffset(), reader.closeReasonLength()));
        assertEquals(FrameType.MESSAGE | flags, reader.next());
        assertEquals(5000, reader.messageId());
        assertEquals(2400, reader.messageOffset());
        assertEquals(1 << 20, reader.messageTotalLength());
        assertEquals(3, reader.messageDataLength());
        assertEquals(9, buffer.getByte(reader.messageDataOffset() + 2));
        assertTrue(reader.messageOrdered());
        assertFalse(reader.messageSingle());
        assertEquals(FrameType.PADDING, reader.next());
        assertEquals(FrameType.MESSAGE, reader.next());
        assertTrue(reader.messageSingle());
        assertEquals(1, reader.messageId());
        assertEquals(5, reader.messageDataLength(), "a message without LENGTH runs to the packet end");
        assertEquals(5, reader.messageTotalLength());
        assertEquals(FrameReader.END, reader.next());
    }

    @Test
    void ackDropsLowestRangesThatDoNotFit()
    {
        final int n = 40;
        final long[] largest = new long[n];
        final long[] smallest = new long[n];
        for (int i = 0; i < n; i++)
        {
            largest[i] = 10_000 - 10L * i;
            smallest[i] = largest[i] - 3;
        }
        final int written = FrameWriter.putAck(buffer, 0, 20, largest, smallest, n, 0);
        assertTrue(written > 0 && written <= 20);
        reader.wrap(buffer, 0, written);
        assertEquals(FrameType.ACK, reader.next());
        assertTrue(reader.ackRangeCount() < n);
        for (int i = 0; i < reader.ackRangeCount(); i++)
        {
            assertEquals(largest[i], reader.ackRangeLargest(i));
            assertEquals(smallest[i], reader.ackRangeSmallest(i));
        }
        assertEquals(0, FrameWriter.putAck(buffer, 0, 3, largest, smallest, n, 0));
    }

    @Test
    void rejectsMalformedFrames()
    {
        assertMalformed("unknown type", 0x07);
        assertMalformed("unknown type high", 0xFF);
        assertMalformed("truncated varint", FrameType.MAX_DATA, 0x40);
        assertMalformed("missing varint", FrameType.DATA_BLOCKED);
        assertMalformed("ack first range below zero", FrameType.ACK, 5, 0, 0, 6);
        assertMalformed("ack gap below zero", FrameType.ACK, 5, 0, 1, 0, 4, 0);
        assertMalformed("ack range below zero", FrameType.ACK, 10, 0, 1, 0, 0, 9);
        assertMalformed("too many ack ranges", FrameType.ACK, 0x40, 0xFF, 0, 0x40, 65, 0);
        assertMalformed("close reason beyond end", FrameType.CLOSE, 0, 5, 'a');
        assertMalformed("message length beyond end", FrameType.MESSAGE | FrameType.MESSAGE_FLAG_LENGTH, 1, 4, 1, 2);
        assertMalformed("fragment beyond total", FrameType.MESSAGE | FrameType.MESSAGE_FLAG_MULTI, 1, 8, 9, 1, 2);
        assertMalformed("offset beyond total", FrameType.MESSAGE | FrameType.MESSAGE_FLAG_MULTI, 1, 10, 9);
        assertMalformed("truncated message id", FrameType.MESSAGE, 0x80, 1);
    }

    @Test
    void fuzzNeverThrowsAndAlwaysTerminates()
    {
        final SplittableRandom random = new SplittableRandom(0x5A17_0001L);
        final byte[] bytes = new byte[256];
        final UnsafeBuffer fuzz = new UnsafeBuffer(bytes);
        int malformed = 0;
        int frames = 0;
        for (int iteration = 0; iteration < 200_000; iteration++)
        {
            final int length = random.nextInt(bytes.length + 1);
            for (int i = 0; i < length; i++)
            {
                bytes[i] = (byte)random.nextInt(256);
            }
            // Bias the first byte towards valid types so the fuzzer reaches deep into each parser.
            if (length > 0 && random.nextBoolean())
            {
                bytes[0] = (byte)(random.nextBoolean() ? random.nextInt(7) : 0x10 + random.nextInt(8));
            }
            reader.wrap(fuzz, 0, length);
            int steps = 0;
            int position = reader.position();
            while (true)
            {
                final int result = reader.next();
                if (result == FrameReader.END)
                {
                    break;
                }
                if (result == FrameReader.MALFORMED)
                {
                    assertNotNull(reader.error());
                    malformed++;
                    break;
                }
                frames++;
                assertTrue(reader.position() > position, "every frame consumes at least its type byte");
                assertTrue(reader.position() <= length, "never reads past the end");
                position = reader.position();
                assertTrue(++steps <= length);
            }
        }
        assertTrue(malformed > 1000, "fuzz must reach the rejection paths: " + malformed);
        assertTrue(frames > 1000, "fuzz must reach the accepting paths: " + frames);
    }

    private void assertMalformed(final String what, final int... bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            buffer.putByte(i, (byte)bytes[i]);
        }
        reader.wrap(buffer, 0, bytes.length);
        int result;
        do
        {
            result = reader.next();
        }
        while (result >= 0);
        assertEquals(FrameReader.MALFORMED, result, what);
        assertNotNull(reader.error(), what);
        assertEquals(FrameReader.MALFORMED, reader.next(), "stays malformed: " + what);
    }
}
