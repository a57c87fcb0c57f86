/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.salvo.io.SendEntryDescriptor.ADDRESS_LENGTH_OFFSET;
import static dev.salvo.io.SendEntryDescriptor.ADDRESS_OFFSET;
import static dev.salvo.io.SendEntryDescriptor.DATA_LENGTH_OFFSET;
import static dev.salvo.io.SendEntryDescriptor.DATA_OFFSET_OFFSET;
import static dev.salvo.io.SendEntryDescriptor.ENTRY_LENGTH;
import static dev.salvo.io.SendEntryDescriptor.MAX_IPV4_PAYLOAD;
import static dev.salvo.io.SendEntryDescriptor.MAX_IPV6_PAYLOAD;
import static dev.salvo.io.SendEntryDescriptor.MAX_SEGMENTS;
import static dev.salvo.io.SendEntryDescriptor.SEGMENT_SIZE_OFFSET;

/**
 * A batch of outgoing datagrams in direct memory, written in place by the caller and sent by a
 * {@link DatagramEndpoint} in as few system calls as the endpoint allows.
 *
 * <p>Each {@code add*} method reserves payload bytes in the data region ({@link #buffer()}) and
 * returns their offset; the caller then writes (or seals) the payload straight into
 * {@link #buffer()} at that offset. An entry is either a plain datagram or a GSO train of equal
 * segments (the last may be shorter); endpoints without GSO send each segment as its own
 * datagram, so callers never need to know. The entry table layout is in
 * {@link SendEntryDescriptor}. Payloads are laid out back to back: the offset an {@code add*} method
 * returns is always {@link #dataLength()} as it was before the call, so a caller that does not know a
 * payload's length in advance may write it at {@link #dataLength()} first (within
 * {@link #remainingData()}) and add the entry afterwards.
 *
 * <p>{@link DatagramEndpoint#send(SendBatch)} sends from the batch's position and advances it;
 * when the socket buffer is full it stops, and a later call resumes exactly where it stopped
 * (even in the middle of a train). {@link #clear()} empties the batch for reuse. A batch is used
 * by one thread at a time and allocates nothing after construction (the native endpoint adds its
 * scratch area on first use).
 */
public final class SendBatch
{
    private final int maxEntries;
    private final ByteBuffer dataByteBuffer;
    private final UnsafeBuffer data;
    private final ByteBuffer tableByteBuffer;
    private final UnsafeBuffer table;
    private final PeerAddress lastDestination = new PeerAddress();

    private int entryCount;
    private int dataLength;
    private int datagramCount;
    private int position;
    private int segmentPosition;
    private int lastAdvanceDatagrams;
    private long lastAdvanceBytes;
    private boolean lastEntryOpen;

    private ByteBuffer scratchByteBuffer;
    private long scratchAddress;
    private int scratchMessages;

    /**
     * A batch with its own data region.
     *
     * @param maxEntries   most entries (datagrams or GSO trains), at least 1.
     * @param dataCapacity bytes of payload it holds, at least 1.
     */
    public SendBatch(final int maxEntries, final int dataCapacity)
    {
        this(maxEntries, allocateData(dataCapacity), dataCapacity);
    }

    /**
     * A batch over a caller-supplied direct buffer (from its position 0 to its capacity).
     *
     * @param maxEntries most entries (datagrams or GSO trains), at least 1.
     * @param directData the data region; must be direct.
     * @throws IllegalArgumentException if the buffer is not direct or the sizes are out of range.
     */
    public SendBatch(final int maxEntries, final ByteBuffer directData)
    {
        this(maxEntries, directData, null == directData ? 0 : directData.capacity());
    }

    private SendBatch(final int maxEntries, final ByteBuffer directData, final int dataCapacity)
    {
        if (maxEntries < 1 || maxEntries > 65_536)
        {
            throw new IllegalArgumentException("maxEntries must be 1..65536: " + maxEntries);
        }
        if (null == directData || !directData.isDirect())
        {
            throw new IllegalArgumentException("the data buffer must be a direct ByteBuffer");
        }
        if (dataCapacity < 1)
        {
            throw new IllegalArgumentException("the data buffer is empty");
        }
        this.maxEntries = maxEntries;
        this.dataByteBuffer = directData;
        this.data = new UnsafeBuffer(directData, 0, dataCapacity);
        this.tableByteBuffer = BufferUtil.allocateDirectAligned(
            BitUtil.align(maxEntries * ENTRY_LENGTH, 64), 64);
        this.table = new UnsafeBuffer(tableByteBuffer);
    }

    private static ByteBuffer allocateData(final int dataCapacity)
    {
        if (dataCapacity < 1 || dataCapacity > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException("dataCapacity out of range: " + dataCapacity);
        }
        return BufferUtil.allocateDirectAligned(BitUtil.align(dataCapacity, 64), 64);
    }

    /**
     * The data region the caller writes payloads into, at the offsets the {@code add*} methods return.
     *
     * @return the data region (offset 0 is the start of the region).
     */
    public UnsafeBuffer buffer()
    {
        return data;
    }

    /**
     * The data region as a ByteBuffer (shared; do not change its position for others).
     *
     * @return the direct buffer behind {@link #buffer()}.
     */
    public ByteBuffer byteBuffer()
    {
        return dataByteBuffer;
    }

    /**
     * Appends a plain datagram.
     *
     * @param destination where it goes.
     * @param length      payload length, 0..65,507 (IPv4) or 0..65,527 (IPv6).
     * @return the offset in {@link #buffer()} to write the payload at.
     * @throws IllegalArgumentException for a bad length or an unset destination.
     * @throws IllegalStateException    when the batch has no room left.
     */
    public int add(final PeerAddress destination, final int length)
    {
        checkLength(destination, length);
        return append(destination, length, 0);
    }

    /**
     * Closes the last entry to {@link #addCoalescing}: the next datagram starts an entry of its own (e.g. after a
     * path MTU probe, which must not carry other datagrams in its GSO train).
     */
    public void endTrain()
    {
        lastEntryOpen = false;
    }

    /**
     * Appends a GSO train: {@code length} bytes cut into segments of {@code segmentSize} bytes (the
     * last may be shorter), each of which arrives as its own datagram.
     *
     * @param destination where it goes.
     * @param length      total payload, 1..65,507 (IPv4) or 1..65,527 (IPv6).
     * @param segmentSize bytes per segment, at least 1; at most {@value SendEntryDescriptor#MAX_SEGMENTS} segments.
     * @return the offset in {@link #buffer()} to write the segments at, back to back.
     * @throws IllegalArgumentException for bad lengths or too many segments.
     * @throws IllegalStateException    when the batch has no room left.
     */
    public int addSegmented(final PeerAddress destination, final int length, final int segmentSize)
    {
        checkLength(destination, length);
        if (length < 1)
        {
            throw new IllegalArgumentException("a GSO train needs at least 1 byte: " + length);
        }
        if (segmentSize < 1 || segmentSize > 0xffff)
        {
            throw new IllegalArgumentException("segmentSize must be 1..65535: " + segmentSize);
        }
        final int segments = (length + segmentSize - 1) / segmentSize;
        if (segments > MAX_SEGMENTS)
        {
            throw new IllegalArgumentException("too many segments: " + segments + " > " + MAX_SEGMENTS);
        }
        return append(destination, length, segmentSize);
    }

    /**
     * Appends a datagram, extending the last entry into a GSO train when it goes to the same
     * destination, its datagrams all have this length, it has fewer than 64 segments and the total
     * stays within the payload limit. A shorter datagram closes the train. This packs a stream of
     * equal-sized packets per peer into GSO trains (many peers still share one send call).
     *
     * @param destination where it goes.
     * @param length      payload length, 1..65,507 (IPv4) or 1..65,527 (IPv6).
     * @return the offset in {@link #buffer()} to write the payload at.
     * @throws IllegalArgumentException for a bad length.
     * @throws IllegalStateException    when the batch has no room left.
     */
    public int addCoalescing(final PeerAddress destination, final int length)
    {
        checkLength(destination, length);
        if (lastEntryOpen && length > 0 && entryCount > position &&
            lastDestination.equalsAddress(destination) && dataLength + length <= data.capacity())
        {
            final int entry = (entryCount - 1) * ENTRY_LENGTH;
            final int trainLength = table.getInt(entry + DATA_LENGTH_OFFSET);
            final int segmentSize = table.getInt(entry + SEGMENT_SIZE_OFFSET);
            final int size = 0 == segmentSize ? trainLength : segmentSize;
            final int segments = trainLength / size;
            if (length <= size && segments < MAX_SEGMENTS && trainLength + length <= maxPayload(destination) &&
                !(entryCount - 1 == position && segmentPosition > 0))
            {
                table.putInt(entry + DATA_LENGTH_OFFSET, trainLength + length);
                table.putInt(entry + SEGMENT_SIZE_OFFSET, size);
                final int offset = dataLength;
                dataLength += length;
                datagramCount++;
                lastEntryOpen = length == size;
                return offset;
            }
        }
        return append(destination, length, 0);
    }

    private int append(final PeerAddress destination, final int length, final int segmentSize)
    {
        if (entryCount >= maxEntries)
        {
            throw new IllegalStateException("batch full: " + maxEntries + " entries");
        }
        if (length > data.capacity() - dataLength)
        {
            throw new IllegalStateException("batch data full: " + length + " bytes wanted, " +
                (data.capacity() - dataLength) + " left");
        }
        final int entry = entryCount * ENTRY_LENGTH;
        final int offset = dataLength;
        table.putInt(entry + DATA_OFFSET_OFFSET, offset);
        table.putInt(entry + DATA_LENGTH_OFFSET, length);
        table.putInt(entry + SEGMENT_SIZE_OFFSET, segmentSize);
        final int family = destination.family() == PeerAddress.FAMILY_IPV4 ? PeerAddress.FAMILY_IPV4 : PeerAddress.FAMILY_IPV6;
        table.putInt(entry + ADDRESS_LENGTH_OFFSET, destination.writeSockaddr(table, entry + ADDRESS_OFFSET, family));
        entryCount++;
        dataLength += length;
        datagramCount += segmentCount(length, segmentSize);
        lastDestination.set(destination);
        lastEntryOpen = length > 0 &&
            (segmentSize == 0 || (length % segmentSize == 0 && length / segmentSize < MAX_SEGMENTS));
        return offset;
    }

    private static void checkLength(final PeerAddress destination, final int length)
    {
        if (null == destination || PeerAddress.FAMILY_NONE == destination.family())
        {
            throw new IllegalArgumentException("destination not set");
        }
        if (length < 0 || length > maxPayload(destination))
        {
            throw new IllegalArgumentException("datagram length out of range 0.." + maxPayload(destination) + ": " + length);
        }
    }

    private static int maxPayload(final PeerAddress destination)
    {
        return PeerAddress.FAMILY_IPV4 == destination.family() ? MAX_IPV4_PAYLOAD : MAX_IPV6_PAYLOAD;
    }

    static int segmentCount(final int length, final int segmentSize)
    {
        return segmentSize == 0 || length <= segmentSize ? 1 : (length + segmentSize - 1) / segmentSize;
    }

    /**
     * @return entries added (plain datagrams and GSO trains).
     */
    public int entryCount()
    {
        return entryCount;
    }

    /**
     * @return the most entries this batch holds.
     */
    public int maxEntries()
    {
        return maxEntries;
    }

    /**
     * @return datagrams on the wire this batch amounts to (each GSO segment counts).
     */
    public int datagramCount()
    {
        return datagramCount;
    }

    /**
     * @return payload bytes used.
     */
    public int dataLength()
    {
        return dataLength;
    }

    /**
     * @return payload bytes the data region holds.
     */
    public int dataCapacity()
    {
        return data.capacity();
    }

    /**
     * @return payload bytes still free.
     */
    public int remainingData()
    {
        return data.capacity() - dataLength;
    }

    /**
     * @return index of the first entry not (fully) sent.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return segments of the entry at {@link #position()} already sent (non-zero only after a
     * partial send without GSO).
     */
    public int segmentPosition()
    {
        return segmentPosition;
    }

    /**
     * @return true when every entry has been sent (or the batch is empty).
     */
    public boolean isFullySent()
    {
        return position >= entryCount;
    }

    /**
     * Empties the batch for reuse.
     */
    public void clear()
    {
        entryCount = 0;
        dataLength = 0;
        datagramCount = 0;
        position = 0;
        segmentPosition = 0;
        lastEntryOpen = false;
    }

    /**
     * Moves the position back to the first entry so the same datagrams are sent again.
     */
    public void rewind()
    {
        position = 0;
        segmentPosition = 0;
    }

    /**
     * Skips the entry at the position, e.g. after the endpoint reported an error for it.
     *
     * @throws IllegalStateException when the batch is fully sent.
     */
    public void skipEntry()
    {
        if (isFullySent())
        {
            throw new IllegalStateException("nothing left to skip");
        }
        position++;
        segmentPosition = 0;
    }

    /**
     * @param index entry index.
     * @return offset of the entry's payload in {@link #buffer()}.
     */
    public int entryOffset(final int index)
    {
        return table.getInt(entryIndex(index) + DATA_OFFSET_OFFSET);
    }

    /**
     * @param index entry index.
     * @return payload length of the entry (all segments).
     */
    public int entryLength(final int index)
    {
        return table.getInt(entryIndex(index) + DATA_LENGTH_OFFSET);
    }

    /**
     * @param index entry index.
     * @return GSO segment size of the entry, 0 for a plain datagram.
     */
    public int entrySegmentSize(final int index)
    {
        return table.getInt(entryIndex(index) + SEGMENT_SIZE_OFFSET);
    }

    /**
     * @param index entry index.
     * @return datagrams the entry becomes on the wire.
     */
    public int entrySegmentCount(final int index)
    {
        return segmentCount(entryLength(index), entrySegmentSize(index));
    }

    /**
     * Reads an entry's destination.
     *
     * @param index entry index.
     * @param into  the address to fill.
     * @return {@code into}.
     */
    public PeerAddress entryDestination(final int index, final PeerAddress into)
    {
        final int entry = entryIndex(index);
        return into.readSockaddr(table, entry + ADDRESS_OFFSET, table.getInt(entry + ADDRESS_LENGTH_OFFSET));
    }

    private int entryIndex(final int index)
    {
        if (index < 0 || index >= entryCount)
        {
            throw new IndexOutOfBoundsException("entry " + index + " of " + entryCount);
        }
        return index * ENTRY_LENGTH;
    }

    /**
     * Advances the position past {@code messages} messages as the shim built them: one per entry
     * (or per rest of a train) with GSO, one per segment of a train without it.
     *
     * @return entries completed; {@link #lastAdvanceDatagrams()} gives the datagrams.
     */
    int advance(final int messages, final boolean gso)
    {
        int entriesDone = 0;
        int datagrams = 0;
        long bytes = 0;
        for (int i = 0; i < messages && position < entryCount; i++)
        {
            final int entry = position * ENTRY_LENGTH;
            final int length = table.getInt(entry + DATA_LENGTH_OFFSET);
            final int segmentSize = table.getInt(entry + SEGMENT_SIZE_OFFSET);
            final int segments = segmentCount(length, segmentSize);
            if (gso || segments == 1)
            {
                datagrams += segments - segmentPosition;
                bytes += length - (long)segmentPosition * segmentSize;
                position++;
                segmentPosition = 0;
                entriesDone++;
            }
            else
            {
                datagrams++;
                bytes += Math.min(segmentSize, length - segmentPosition * segmentSize);
                if (++segmentPosition == segments)
                {
                    position++;
                    segmentPosition = 0;
                    entriesDone++;
                }
            }
        }
        lastAdvanceDatagrams = datagrams;
        lastAdvanceBytes = bytes;
        return entriesDone;
    }

    long lastAdvanceBytes()
    {
        return lastAdvanceBytes;
    }

    int lastAdvanceDatagrams()
    {
        return lastAdvanceDatagrams;
    }

    /**
     * Whether the message at the position is a multi-segment GSO message (so a GSO rejection of it
     * is the kernel refusing GSO, not a bad datagram).
     */
    boolean positionIsGsoTrain()
    {
        if (isFullySent())
        {
            return false;
        }
        final int entry = position * ENTRY_LENGTH;
        final int length = table.getInt(entry + DATA_LENGTH_OFFSET);
        final int segmentSize = table.getInt(entry + SEGMENT_SIZE_OFFSET);
        return segmentSize > 0 && length - segmentPosition * segmentSize > segmentSize;
    }

    UnsafeBuffer table()
    {
        return table;
    }

    long tableAddress()
    {
        return table.addressOffset();
    }

    long dataAddress()
    {
        return data.addressOffset();
    }

    /**
     * Lazily reserves the shim's scratch area (once per batch).
     */
    long scratchAddress()
    {
        if (null == scratchByteBuffer)
        {
            scratchMessages = (int)Math.min(NativeLibrary.maxMessagesPerCall, (long)maxEntries * MAX_SEGMENTS);
            scratchByteBuffer = BufferUtil.allocateDirectAligned(
                BitUtil.align(scratchMessages * NativeLibrary.sendScratchPerMessage, 64), 64);
            scratchAddress = BufferUtil.address(scratchByteBuffer);
        }
        return scratchAddress;
    }

    int scratchMessages()
    {
        return scratchMessages;
    }
}
