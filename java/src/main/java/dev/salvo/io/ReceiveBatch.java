/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.salvo.io.ReceiveSlotDescriptor.CAPACITY_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.DATA_OFFSET_OFFSET;
import static dev.salvo.io.ReceiveSlotDescriptor.MAX_GRO_SEGMENTS;
import static dev.salvo.io.ReceiveSlotDescriptor.SLOT_LENGTH;

/**
 * Receive slots in direct memory plus the datagrams the last
 * {@link DatagramEndpoint#receive(ReceiveBatch)} produced.
 *
 * <p>Each slot has a buffer of {@link #slotCapacity()} bytes (plus one guard byte the NIO fallback
 * uses to detect truncation), its own source address and its own control buffer
 * ({@link ReceiveSlotDescriptor}). With GRO a slot holds a whole coalesced train; the endpoint
 * presents it as its individual datagrams, each a zero-copy sub-range of the slot with the
 * sender's address. Datagrams are read with {@link #offset(int)}, {@link #length(int)} and
 * {@link #source(int)} for {@code 0 <= i < }{@link #datagramCount()}, valid until the next receive.
 * Truncated datagrams never appear here; endpoints drop and count them.
 *
 * <p>Nothing is allocated per receive (the native endpoint adds its scratch area on first use).
 */
public final class ReceiveBatch
{
    private final int slotCount;
    private final int slotCapacity;
    private final int slotStride;
    private final ByteBuffer dataByteBuffer;
    private final UnsafeBuffer data;
    private final UnsafeBuffer slotTable;
    private final PeerAddress[] sources;
    private final ByteBuffer[] slotViews;

    private int[] datagramOffsets;
    private int[] datagramLengths;
    private int[] datagramSlots;
    private int datagramCount;

    private ByteBuffer scratchByteBuffer;
    private long scratchAddress;

    /**
     * A batch of plain receive slots.
     *
     * @param slotCount    slots (datagrams, or GRO trains, per receive call), 1..1024.
     * @param slotCapacity bytes per slot, 1..{@value ReceiveSlotDescriptor#GRO_SLOT_CAPACITY}; use
     *                     {@link ReceiveSlotDescriptor#GRO_SLOT_CAPACITY} for a GRO endpoint.
     */
    public ReceiveBatch(final int slotCount, final int slotCapacity)
    {
        if (slotCount < 1 || slotCount > 1024)
        {
            throw new IllegalArgumentException("slotCount must be 1..1024: " + slotCount);
        }
        if (slotCapacity < 1 || slotCapacity > ReceiveSlotDescriptor.GRO_SLOT_CAPACITY)
        {
            throw new IllegalArgumentException(
                "slotCapacity must be 1.." + ReceiveSlotDescriptor.GRO_SLOT_CAPACITY + ": " + slotCapacity);
        }
        this.slotCount = slotCount;
        this.slotCapacity = slotCapacity;
        this.slotStride = BitUtil.align(slotCapacity + 1, 64);
        this.dataByteBuffer = BufferUtil.allocateDirectAligned(slotCount * slotStride, 64);
        this.data = new UnsafeBuffer(dataByteBuffer);
        this.slotTable = new UnsafeBuffer(BufferUtil.allocateDirectAligned(slotCount * SLOT_LENGTH, 64));
        this.sources = new PeerAddress[slotCount];
        this.slotViews = new ByteBuffer[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            sources[i] = new PeerAddress();
            slotTable.putInt(i * SLOT_LENGTH + DATA_OFFSET_OFFSET, i * slotStride);
            slotTable.putInt(i * SLOT_LENGTH + CAPACITY_OFFSET, slotCapacity);
        }
        final int maxDatagrams = slotCapacity >= ReceiveSlotDescriptor.GRO_SLOT_CAPACITY ?
            slotCount * MAX_GRO_SEGMENTS : slotCount;
        datagramOffsets = new int[maxDatagrams];
        datagramLengths = new int[maxDatagrams];
        datagramSlots = new int[maxDatagrams];
    }

    /**
     * A batch whose slots each hold a whole GRO train.
     *
     * @param slotCount slots, 1..1024.
     * @return the batch.
     */
    public static ReceiveBatch forGro(final int slotCount)
    {
        return new ReceiveBatch(slotCount, ReceiveSlotDescriptor.GRO_SLOT_CAPACITY);
    }

    /**
     * @return the data region holding every slot; datagram offsets are relative to it.
     */
    public UnsafeBuffer buffer()
    {
        return data;
    }

    /**
     * @return datagrams the last receive produced.
     */
    public int datagramCount()
    {
        return datagramCount;
    }

    /**
     * @param index datagram index.
     * @return offset of the datagram's payload in {@link #buffer()}.
     */
    public int offset(final int index)
    {
        checkIndex(index);
        return datagramOffsets[index];
    }

    /**
     * @param index datagram index.
     * @return payload length.
     */
    public int length(final int index)
    {
        checkIndex(index);
        return datagramLengths[index];
    }

    /**
     * The sender of a datagram: a flyweight owned by the batch, overwritten by the next receive
     * ({@link PeerAddress#copy()} it to keep it).
     *
     * @param index datagram index.
     * @return the sender's address.
     */
    public PeerAddress source(final int index)
    {
        checkIndex(index);
        return sources[datagramSlots[index]];
    }

    private void checkIndex(final int index)
    {
        if (index < 0 || index >= datagramCount)
        {
            throw new IndexOutOfBoundsException("datagram " + index + " of " + datagramCount);
        }
    }

    /**
     * @return receive slots.
     */
    public int slotCount()
    {
        return slotCount;
    }

    /**
     * @return bytes per slot.
     */
    public int slotCapacity()
    {
        return slotCapacity;
    }

    void reset()
    {
        datagramCount = 0;
    }

    int slotOffset(final int slot)
    {
        return slot * slotStride;
    }

    PeerAddress slotSource(final int slot)
    {
        return sources[slot];
    }

    void addDatagram(final int slot, final int offset, final int length)
    {
        if (datagramCount == datagramOffsets.length)
        {
            // Only reached when a peer's GSO train exceeds the 64-segment GRO limit: grow once.
            final int newLength = datagramOffsets.length * 2;
            datagramOffsets = Arrays.copyOf(datagramOffsets, newLength);
            datagramLengths = Arrays.copyOf(datagramLengths, newLength);
            datagramSlots = Arrays.copyOf(datagramSlots, newLength);
        }
        datagramOffsets[datagramCount] = offset;
        datagramLengths[datagramCount] = length;
        datagramSlots[datagramCount] = slot;
        datagramCount++;
    }

    /**
     * A ByteBuffer view of one slot (capacity + guard byte), created once, for the NIO fallback.
     */
    ByteBuffer slotView(final int slot)
    {
        ByteBuffer view = slotViews[slot];
        if (null == view)
        {
            final ByteBuffer dup = dataByteBuffer.duplicate();
            dup.limit(slot * slotStride + slotCapacity + 1).position(slot * slotStride);
            view = dup.slice();
            slotViews[slot] = view;
        }
        view.clear();
        return view;
    }

    UnsafeBuffer slotTable()
    {
        return slotTable;
    }

    long slotTableAddress()
    {
        return slotTable.addressOffset();
    }

    long dataAddress()
    {
        return data.addressOffset();
    }

    long dataCapacity()
    {
        return data.capacity();
    }

    long scratchAddress()
    {
        if (null == scratchByteBuffer)
        {
            scratchByteBuffer = BufferUtil.allocateDirectAligned(
                BitUtil.align(slotCount * NativeLibrary.receiveScratchPerSlot, 64), 64);
            scratchAddress = BufferUtil.address(scratchByteBuffer);
        }
        return scratchAddress;
    }
}
