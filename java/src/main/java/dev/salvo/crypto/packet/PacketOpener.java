/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static dev.salvo.crypto.packet.DataPacketDescriptor.KEY_PHASE_BIT;
import static dev.salvo.crypto.packet.DataPacketDescriptor.MAX_PACKET_NUMBER;
import static dev.salvo.crypto.packet.DataPacketDescriptor.MIN_PACKET_LENGTH;
import static dev.salvo.crypto.packet.DataPacketDescriptor.PACKET_NUMBER_OFFSET;
import static dev.salvo.crypto.packet.DataPacketDescriptor.RESERVED_MASK;
import static dev.salvo.crypto.packet.DataPacketDescriptor.RESERVED_SHIFT;
import static dev.salvo.crypto.packet.DataPacketDescriptor.SESSION_ID_OFFSET;
import static dev.salvo.crypto.packet.DataPacketDescriptor.TAG_LENGTH;
import static dev.salvo.crypto.packet.DataPacketDescriptor.TYPE_DATA;
import static dev.salvo.crypto.packet.DataPacketDescriptor.TYPE_MASK;

import dev.salvo.crypto.aead.AeadBatch;
import dev.salvo.crypto.aead.AeadBatchDescriptor;
import dev.salvo.crypto.aead.AeadCipher;
import dev.salvo.crypto.aead.NativeAeadCipher;
import java.nio.ByteBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * Opens data packets for one direction of one session, in place: parse the header, reconstruct the packet
 * number, pick the key by key phase, authenticate and decrypt, then check and record the packet number in
 * the replay window. Only authenticated packets change any state.
 *
 * <p>Every rejection is a negative {@code REJECT_*} result, counted per reason; no input makes it throw.
 * Key updates by the peer are followed automatically: the next generation's key is prepared in advance, and
 * the previous one is kept for {@link PacketProtectionSettings#previousKeyGraceNs()} for reordered packets
 * (those numbered below the first packet of the new phase). Single-threaded; no allocation per packet beyond
 * what the {@link AeadCipher} implementation does.
 */
public final class PacketOpener
{
    /** Too short, not a data packet, or a packet number outside the valid range. */
    public static final int REJECT_MALFORMED = -1;

    /** The receiver session id is not this session's. */
    public static final int REJECT_UNKNOWN_SESSION = -2;

    /** The packet number was already accepted. */
    public static final int REJECT_DUPLICATE = -3;

    /** The packet number is below the replay window. */
    public static final int REJECT_TOO_OLD = -4;

    /** The packet belongs to a key phase whose key is discarded (grace period over). */
    public static final int REJECT_KEY_UNAVAILABLE = -5;

    /** Authentication failed: forged, corrupted, or sealed with another key. */
    public static final int REJECT_AUTHENTICATION = -6;

    private static final int REJECT_REASONS = 7;

    /** Roles of the three keys, also the key indices of native batch records. */
    private static final int ROLE_PREVIOUS = 0;
    private static final int ROLE_CURRENT = 1;
    private static final int ROLE_NEXT = 2;
    private static final int INITIAL_BATCH_CAPACITY = 64;

    private final NanoClock clock;
    private final KeyRatchet ratchet;
    private final ReplayWindow replayWindow = new ReplayWindow();
    private final int localSessionId;
    private final long previousKeyGraceNs;
    private final long[] rejections = new long[REJECT_REASONS];
    private AeadCipher previous;
    private AeadCipher current;
    private AeadCipher next;
    private boolean previousAvailable;
    private long previousInstalledUntilNs;
    private long generation;
    private int keyPhaseBit;
    private long firstPacketNumberOfPhase;
    private long largestPacketNumber = -1;
    private long accepted;
    private long keyUpdates;
    private long lastPacketNumber = -1;
    private int lastPayloadOffset;
    private int lastReservedBits;
    private final AeadBatch batch;
    private int[] entries;
    private int classifiedRole;
    private int classifiedFlags;
    private long classifiedPacketNumber;
    private int classifiedHeaderLength;
    private int classifiedCiphertextLength;

    PacketOpener(final PacketProtectionSettings settings, final byte[] receiveSecret, final int localSessionId)
    {
        this.clock = settings.clock();
        this.localSessionId = localSessionId;
        this.previousKeyGraceNs = settings.previousKeyGraceNs();
        this.ratchet = new KeyRatchet(receiveSecret);
        this.previous = settings.implementation().newCipher(settings.algorithm());
        this.current = settings.implementation().newCipher(settings.algorithm());
        this.next = settings.implementation().newCipher(settings.algorithm());
        generation = ratchet.installNext(current);
        ratchet.installNext(next);
        final boolean nativeAead = current instanceof NativeAeadCipher;
        batch = nativeAead ? new AeadBatch(INITIAL_BATCH_CAPACITY) : null;
        entries = new int[nativeAead ? INITIAL_BATCH_CAPACITY : 0];
    }

    /**
     * Opens one packet in place. On success the plaintext payload is at {@link #payloadOffset()} and the packet
     * number is {@link #packetNumber()}.
     *
     * @param buffer buffer holding the packet (direct or heap).
     * @param offset index of the packet's first byte.
     * @param length the datagram's length.
     * @return the payload length (0 or more), or a negative {@code REJECT_*} code.
     * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside the buffer (a caller bug,
     *                                   not bad input).
     */
    public int open(final ByteBuffer buffer, final int offset, final int length)
    {
        checkBounds(buffer, offset, length);
        final int code = classify(buffer, offset, length, largestPacketNumber, firstPacketNumberOfPhase);
        if (code < 0)
        {
            return reject(code);
        }
        if (ROLE_PREVIOUS == classifiedRole && !isPreviousUsable())
        {
            return reject(REJECT_KEY_UNAVAILABLE);
        }
        final AeadCipher cipher = cipherOf(classifiedRole);
        if (!cipher.open(classifiedPacketNumber, buffer, offset, classifiedHeaderLength, classifiedCiphertextLength))
        {
            return reject(REJECT_AUTHENTICATION);
        }
        return finish(offset);
    }

    /**
     * Opens {@code count} packets, in order, exactly as {@link #open} one by one would (same results, same state).
     * With the {@link NativeAeadCipher native AEAD} and a direct buffer, the AEAD of the whole batch runs in one JNI
     * call: the header checks are first made against the state the batch will reach if every packet authenticates,
     * then each packet is confirmed in order against the real state; a packet whose key or packet number came out
     * differently (an earlier packet of the batch failed) is opened again on its own, which the native AEAD
     * allows because a failed open leaves the ciphertext intact.
     *
     * @param buffer        buffer holding the packets.
     * @param offsets       index of each packet's first byte.
     * @param lengths       each datagram's length.
     * @param count         number of packets.
     * @param results       out: per packet, the payload length or a negative {@code REJECT_*} code; the payload
     *                      starts {@link #headerLength(ByteBuffer, int)} bytes into the packet.
     * @param packetNumbers out: per accepted packet, its packet number (-1 for rejected ones).
     * @return how many packets were accepted.
     * @throws IndexOutOfBoundsException if a packet lies outside the buffer (checked for all before any is opened
     *                                   on the native path).
     */
    public int openBatch(
        final ByteBuffer buffer,
        final int[] offsets,
        final int[] lengths,
        final int count,
        final int[] results,
        final long[] packetNumbers)
    {
        if (null != batch && buffer.isDirect())
        {
            return openBatchNative(buffer, offsets, lengths, count, results, packetNumbers);
        }
        int acceptedCount = 0;
        for (int i = 0; i < count; i++)
        {
            acceptedCount += record(i, open(buffer, offsets[i], lengths[i]), results, packetNumbers);
        }
        return acceptedCount;
    }

    private int openBatchNative(
        final ByteBuffer buffer,
        final int[] offsets,
        final int[] lengths,
        final int count,
        final int[] results,
        final long[] packetNumbers)
    {
        for (int i = 0; i < count; i++)
        {
            checkBounds(buffer, offsets[i], lengths[i]);
        }
        if (entries.length < count)
        {
            entries = new int[count];
        }

        int acceptedCount = 0;
        int start = 0;
        while (start < count)
        {
            // Speculate: header checks against the state the batch reaches if each packet before authenticates.
            // A segment ends after a packet of the next key phase: the keys change roles there.
            batch.clear();
            final long segmentGeneration = generation;
            long largest = largestPacketNumber;
            long firstOfPhase = firstPacketNumberOfPhase;
            int previousUsable = -1;
            int end = start;
            boolean keyChange = false;
            while (end < count && !keyChange)
            {
                final int i = end++;
                entries[i] = -1;
                if (classify(buffer, offsets[i], lengths[i], largest, firstOfPhase) < 0)
                {
                    continue;
                }
                if (ROLE_PREVIOUS == classifiedRole)
                {
                    if (previousUsable < 0)
                    {
                        previousUsable = previousAvailable && clock.nanoTime() - previousInstalledUntilNs <= 0 ? 1 : 0;
                    }
                    if (0 == previousUsable)
                    {
                        continue;
                    }
                }
                entries[i] = batch.add(
                    classifiedPacketNumber, offsets[i], classifiedHeaderLength, classifiedCiphertextLength, classifiedRole);
                keyChange = ROLE_NEXT == classifiedRole;
                if (ROLE_CURRENT == classifiedRole && classifiedPacketNumber < firstOfPhase)
                {
                    firstOfPhase = classifiedPacketNumber;
                }
                largest = Math.max(largest, classifiedPacketNumber);
            }
            if (batch.size() > 0)
            {
                NativeAeadCipher.openBatch(
                    (NativeAeadCipher)previous, (NativeAeadCipher)current, (NativeAeadCipher)next, buffer, batch);
            }

            // Confirm in order against the real state.
            for (int i = start; i < end; i++)
            {
                final int entry = entries[i];
                final int result = entry < 0 ?
                    open(buffer, offsets[i], lengths[i]) : confirm(buffer, offsets[i], lengths[i], entry, segmentGeneration);
                acceptedCount += record(i, result, results, packetNumbers);
            }
            start = end;
        }
        return acceptedCount;
    }

    /** {@link #open} for a packet whose AEAD already ran in the batch under the speculated key and packet number. */
    private int confirm(
        final ByteBuffer buffer, final int offset, final int length, final int entry, final long segmentGeneration)
    {
        final int code = classify(buffer, offset, length, largestPacketNumber, firstPacketNumberOfPhase);
        final int authResult = batch.result(entry);
        if (code < 0)
        {
            return reject(code);
        }
        if (ROLE_PREVIOUS == classifiedRole && !isPreviousUsable())
        {
            return reject(REJECT_KEY_UNAVAILABLE);
        }
        // Key generations identify keys: a match means the batch ran exactly the AEAD open() would run now.
        final long speculatedGeneration = segmentGeneration + batch.keyIndex(entry) - ROLE_CURRENT;
        final long realGeneration = generation + classifiedRole - ROLE_CURRENT;
        if (speculatedGeneration == realGeneration && batch.packetNumber(entry) == classifiedPacketNumber)
        {
            return AeadBatchDescriptor.RESULT_OK == authResult ? finish(offset) : reject(REJECT_AUTHENTICATION);
        }
        if (AeadBatchDescriptor.RESULT_OK == authResult)
        {
            // Authentic under another key or nonce than the real state names, so the real AEAD cannot verify it.
            return reject(REJECT_AUTHENTICATION);
        }
        // The batch's open failed and left the ciphertext intact: open it with the real key and nonce.
        if (!cipherOf(classifiedRole).open(
            classifiedPacketNumber, buffer, offset, classifiedHeaderLength, classifiedCiphertextLength))
        {
            return reject(REJECT_AUTHENTICATION);
        }
        return finish(offset);
    }

    private int record(final int i, final int result, final int[] results, final long[] packetNumbers)
    {
        results[i] = result;
        packetNumbers[i] = result >= 0 ? lastPacketNumber : -1;
        return result >= 0 ? 1 : 0;
    }

    private static void checkBounds(final ByteBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IndexOutOfBoundsException(
                "packet [" + offset + ", +" + length + ") outside buffer of " + buffer.capacity());
        }
    }

    /**
     * The checks before the AEAD, against the given largest packet number and first packet number of the phase;
     * changes no state. On success fills the {@code classified*} fields and returns 0, else a {@code REJECT_*}
     * code. Whether the previous key is still usable is left to the caller.
     */
    private int classify(
        final ByteBuffer buffer, final int offset, final int length, final long largest, final long firstOfPhase)
    {
        if (length < MIN_PACKET_LENGTH)
        {
            return REJECT_MALFORMED;
        }
        final int flags = buffer.get(offset) & 0xFF;
        if ((flags & TYPE_MASK) != TYPE_DATA)
        {
            return REJECT_MALFORMED;
        }
        final int packetNumberLength = DataPacketDescriptor.packetNumberLength(flags);
        final int headerLength = PACKET_NUMBER_OFFSET + packetNumberLength;
        final int ciphertextLength = length - headerLength;
        if (ciphertextLength < TAG_LENGTH)
        {
            return REJECT_MALFORMED;
        }
        final int sessionId = ((buffer.get(offset + SESSION_ID_OFFSET) & 0xFF) << 24) |
            ((buffer.get(offset + SESSION_ID_OFFSET + 1) & 0xFF) << 16) |
            ((buffer.get(offset + SESSION_ID_OFFSET + 2) & 0xFF) << 8) |
            (buffer.get(offset + SESSION_ID_OFFSET + 3) & 0xFF);
        if (sessionId != localSessionId)
        {
            return REJECT_UNKNOWN_SESSION;
        }
        long truncated = 0;
        for (int i = 0; i < packetNumberLength; i++)
        {
            truncated = (truncated << 8) | (buffer.get(offset + PACKET_NUMBER_OFFSET + i) & 0xFF);
        }
        final long packetNumber = PacketNumbers.decode(largest, truncated, packetNumberLength);
        if (packetNumber < 0 || packetNumber > MAX_PACKET_NUMBER)
        {
            return REJECT_MALFORMED;
        }

        // Read-only pre-filter: a duplicate or too-old packet would be rejected after authentication anyway,
        // so do not spend the AEAD on it. The authoritative check is ReplayWindow.accept in finish.
        final int replayPrecheck = replayWindow.check(packetNumber);
        if (ReplayWindow.NEW != replayPrecheck)
        {
            return ReplayWindow.DUPLICATE == replayPrecheck ? REJECT_DUPLICATE : REJECT_TOO_OLD;
        }

        final int phaseBit = 0 != (flags & KEY_PHASE_BIT) ? 1 : 0;
        classifiedRole = phaseBit == keyPhaseBit ? ROLE_CURRENT : packetNumber < firstOfPhase ? ROLE_PREVIOUS : ROLE_NEXT;
        classifiedFlags = flags;
        classifiedPacketNumber = packetNumber;
        classifiedHeaderLength = headerLength;
        classifiedCiphertextLength = ciphertextLength;
        return 0;
    }

    /** Whether the previous key is still held; forgets it once its grace period is over. */
    private boolean isPreviousUsable()
    {
        if (!previousAvailable || clock.nanoTime() - previousInstalledUntilNs > 0)
        {
            previousAvailable = false;
            return false;
        }
        return true;
    }

    private AeadCipher cipherOf(final int role)
    {
        return ROLE_CURRENT == role ? current : ROLE_PREVIOUS == role ? previous : next;
    }

    /** After authentication of the classified packet: the replay window, then the state changes. */
    private int finish(final int offset)
    {
        final long packetNumber = classifiedPacketNumber;
        final int replay = replayWindow.accept(packetNumber);
        if (ReplayWindow.NEW != replay)
        {
            return reject(ReplayWindow.DUPLICATE == replay ? REJECT_DUPLICATE : REJECT_TOO_OLD);
        }
        if (ROLE_NEXT == classifiedRole)
        {
            updateKeys(packetNumber);
        }
        else if (ROLE_CURRENT == classifiedRole && packetNumber < firstPacketNumberOfPhase)
        {
            firstPacketNumberOfPhase = packetNumber;
        }
        if (packetNumber > largestPacketNumber)
        {
            largestPacketNumber = packetNumber;
        }

        accepted++;
        lastPacketNumber = packetNumber;
        lastPayloadOffset = offset + classifiedHeaderLength;
        lastReservedBits = (classifiedFlags & RESERVED_MASK) >>> RESERVED_SHIFT;
        return classifiedCiphertextLength - TAG_LENGTH;
    }
    /**
     * Header length of an accepted packet, from its flags byte.
     *
     * @param buffer buffer holding the packet.
     * @param offset index of the packet's first byte.
     * @return header length in bytes.
     */
    public static int headerLength(final ByteBuffer buffer, final int offset)
    {
        return DataPacketDescriptor.headerLength(DataPacketDescriptor.packetNumberLength(buffer.get(offset)));
    }

    /** @return packet number of the last accepted packet, or -1. */
    public long packetNumber()
    {
        return lastPacketNumber;
    }

    /** @return buffer index of the last accepted packet's payload. */
    public int payloadOffset()
    {
        return lastPayloadOffset;
    }

    /** @return the reserved header bits (0 to 7) of the last accepted packet; authenticated. */
    public int reservedBits()
    {
        return lastReservedBits;
    }

    /** @return the largest packet number accepted so far, or -1. */
    public long largestPacketNumber()
    {
        return largestPacketNumber;
    }

    /** @return packets accepted. */
    public long accepted()
    {
        return accepted;
    }

    /**
     * @param code a {@code REJECT_*} code.
     * @return packets rejected for that reason.
     */
    public long rejections(final int code)
    {
        return rejections[-code];
    }

    /** @return packets rejected for any reason. */
    public long totalRejections()
    {
        long sum = 0;
        for (final long count : rejections)
        {
            sum += count;
        }
        return sum;
    }

    /** @return the key generation the peer currently sends with, as far as this side has seen. */
    public long keyGeneration()
    {
        return generation;
    }

    /** @return the current key phase bit. */
    public int keyPhase()
    {
        return keyPhaseBit;
    }

    /** @return key updates followed. */
    public long keyUpdates()
    {
        return keyUpdates;
    }

    /** @return whether the previous generation's key is still held for reordered packets. */
    public boolean isPreviousKeyAvailable()
    {
        return previousAvailable && clock.nanoTime() - previousInstalledUntilNs <= 0;
    }

    /** Wipes key material; the opener cannot be used afterwards. */
    public void destroy()
    {
        previous.destroy();
        current.destroy();
        next.destroy();
        ratchet.destroy();
    }

    private void updateKeys(final long firstPacketNumber)
    {
        final AeadCipher retired = previous;
        previous = current;
        current = next;
        next = retired;
        previousAvailable = true;
        previousInstalledUntilNs = clock.nanoTime() + previousKeyGraceNs;
        generation++;
        keyPhaseBit ^= 1;
        firstPacketNumberOfPhase = firstPacketNumber;
        keyUpdates++;
        // The generation before the retired one is gone for good; prepare the one after the new key.
        ratchet.installNext(next);
    }

    private int reject(final int code)
    {
        rejections[-code]++;
        return code;
    }
}
