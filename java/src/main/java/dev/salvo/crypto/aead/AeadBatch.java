/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import static dev.salvo.crypto.aead.AeadBatchDescriptor.ENTRY_LENGTH;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.HEADER_LENGTH_OFFSET;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.KEY_INDEX_OFFSET;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.LENGTH_OFFSET;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.MAX_ENTRIES;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.PACKET_NUMBER_OFFSET;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.PACKET_OFFSET_OFFSET;
import static dev.salvo.crypto.aead.AeadBatchDescriptor.RESULT_OFFSET;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;

/**
 * A table of packets for one native AEAD call ({@link NativeAeadCipher#sealBatch}, {@link NativeAeadCipher#openBatch}),
 * in direct memory laid out as {@link AeadBatchDescriptor}. It grows (allocating) only when a batch is larger than
 * any before; reuse it with {@link #clear()}. Records are not checked here: the shim checks every one against the
 * data buffer before it touches a packet. Single-threaded.
 */
public final class AeadBatch
{
    private ByteBuffer table;
    private long address;
    private int capacity;
    private int size;

    /** @param initialCapacity records to reserve room for, at least 1. */
    public AeadBatch(final int initialCapacity)
    {
        allocate(Math.max(1, Math.min(initialCapacity, MAX_ENTRIES)));
    }

    /** Forgets every record. */
    public void clear()
    {
        size = 0;
    }

    /** @return records in the table. */
    public int size()
    {
        return size;
    }

    /**
     * Appends a record.
     *
     * @param packetNumber the packet number the nonce is derived from.
     * @param offset       index of the packet's first header byte in the data buffer.
     * @param headerLength header (associated data) length.
     * @param length       seal: plaintext length; open: ciphertext length including the tag.
     * @param keyIndex     which key of the call seals or opens this packet.
     * @return the record's index.
     * @throws IllegalStateException if the table already holds {@link AeadBatchDescriptor#MAX_ENTRIES} records.
     */
    public int add(final long packetNumber, final int offset, final int headerLength, final int length, final int keyIndex)
    {
        if (size == capacity)
        {
            if (capacity >= MAX_ENTRIES)
            {
                throw new IllegalStateException("a batch holds at most " + MAX_ENTRIES + " packets");
            }
            grow();
        }
        final int at = size * ENTRY_LENGTH;
        table.putLong(at + PACKET_NUMBER_OFFSET, packetNumber);
        table.putInt(at + PACKET_OFFSET_OFFSET, offset);
        table.putInt(at + HEADER_LENGTH_OFFSET, headerLength);
        table.putInt(at + LENGTH_OFFSET, length);
        table.putInt(at + KEY_INDEX_OFFSET, keyIndex);
        table.putInt(at + RESULT_OFFSET, -1);
        return size++;
    }

    /**
     * @param index a record index.
     * @return the result the shim wrote, {@link AeadBatchDescriptor#RESULT_OK} or
     * {@link AeadBatchDescriptor#RESULT_AUTH_FAILED} (-1 before the call).
     */
    public int result(final int index)
    {
        return table.getInt(checkIndex(index) * ENTRY_LENGTH + RESULT_OFFSET);
    }

    /**
     * @param index a record index.
     * @return the record's packet number.
     */
    public long packetNumber(final int index)
    {
        return table.getLong(checkIndex(index) * ENTRY_LENGTH + PACKET_NUMBER_OFFSET);
    }

    /**
     * @param index a record index.
     * @return the record's key index.
     */
    public int keyIndex(final int index)
    {
        return table.getInt(checkIndex(index) * ENTRY_LENGTH + KEY_INDEX_OFFSET);
    }

    long address()
    {
        return address;
    }

    int capacityBytes()
    {
        return table.capacity();
    }

    private int checkIndex(final int index)
    {
        if (index < 0 || index >= size)
        {
            throw new IndexOutOfBoundsException("record " + index + " of " + size);
        }
        return index;
    }

    private void grow()
    {
        final ByteBuffer old = table;
        allocate(Math.min(MAX_ENTRIES, capacity * 2));
        table.put(0, old, 0, size * ENTRY_LENGTH);
    }

    private void allocate(final int entries)
    {
        table = ByteBuffer.allocateDirect(entries * ENTRY_LENGTH).order(ByteOrder.nativeOrder());
        address = BufferUtil.address(table);
        capacity = entries;
    }
}
