/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static dev.salvo.crypto.packet.DataPacketDescriptor.KEY_PHASE_BIT;
import static dev.salvo.crypto.packet.DataPacketDescriptor.MAX_PACKET_NUMBER;
import static dev.salvo.crypto.packet.DataPacketDescriptor.PACKET_NUMBER_OFFSET;
import static dev.salvo.crypto.packet.DataPacketDescriptor.SESSION_ID_OFFSET;
import static dev.salvo.crypto.packet.DataPacketDescriptor.TAG_LENGTH;
import static dev.salvo.crypto.packet.DataPacketDescriptor.TYPE_DATA;

import dev.salvo.crypto.aead.AeadBatch;
import dev.salvo.crypto.aead.AeadCipher;
import dev.salvo.crypto.aead.NativeAeadCipher;
import java.nio.ByteBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * Seals data packets for one direction of one session, in place, with strictly increasing packet
 * numbers and automatic key updates (docs/PROTOCOL.md §3, §4).
 *
 * <p>Use: ask {@link #headerLength(int)} how many header bytes to reserve for the next packets, write each
 * payload after that many bytes, then {@link #seal} or {@link #sealBatch} them. The packet number each packet
 * receives is {@link #nextPacketNumber()} at the time it is sealed. Feed acknowledgements to
 * {@link #onAcknowledged(long)}: they shorten packet numbers and permit key updates. Single-threaded; no
 * allocation per packet beyond what the {@link AeadCipher} implementation does.
 */
public final class PacketSealer
{
    /** The key's hard packet limit is reached and the peer has not yet confirmed the current key phase. */
    public static final int SEAL_KEY_EXHAUSTED = -1;

    /** The packet-number space is used up; the session must be replaced by a new handshake. */
    public static final int SEAL_PACKET_NUMBER_EXHAUSTED = -2;

    /** The reserved header is too short to encode the packet number unambiguously; ask {@link #headerLength(int)}. */
    public static final int SEAL_HEADER_TOO_SHORT = -3;

    /** More than 2^31 packets are unacknowledged, which a 4-byte packet number cannot express. */
    public static final int SEAL_TOO_MANY_UNACKNOWLEDGED = -4;

    private static final int INITIAL_BATCH_CAPACITY = 64;

    private final PacketProtectionSettings settings;
    private final NanoClock clock;
    private final KeyRatchet ratchet;
    private final int remoteSessionId;
    private final long keyUpdatePackets;
    private final long keyUpdateIntervalNs;
    private final long keyHardLimitPackets;
    private final AeadBatch pending;
    private AeadCipher current;
    private AeadCipher next;
    private long generation;
    private int keyPhaseBit;
    private long firstPacketNumberOfPhase;
    private long packetsUnderKey;
    private long keyInstalledNs;
    private boolean keyUpdateRequested;
    private long nextPacketNumber;
    private long largestAcknowledged = -1;
    private long keyUpdates;
    private long refusals;
    private int lastError;

    PacketSealer(
        final PacketProtectionSettings settings, final byte[] sendSecret, final int remoteSessionId)
    {
        this.settings = settings;
        this.clock = settings.clock();
        this.remoteSessionId = remoteSessionId;
        this.keyUpdatePackets = settings.keyUpdatePackets();
        this.keyUpdateIntervalNs = settings.keyUpdateIntervalNs();
        this.keyHardLimitPackets = settings.keyHardLimitPackets();
        this.ratchet = new KeyRatchet(sendSecret);
        this.current = settings.implementation().newCipher(settings.algorithm());
        this.next = settings.implementation().newCipher(settings.algorithm());
        generation = ratchet.installNext(current);
        ratchet.installNext(next);
        keyInstalledNs = clock.nanoTime();
        pending = current instanceof NativeAeadCipher ? new AeadBatch(INITIAL_BATCH_CAPACITY) : null;
    }

    /**
     * Header length to reserve for the next {@code packetCount} packets, chosen from the largest
     * acknowledged packet number (RFC 9000 §17.1); 4-byte packet numbers until something is acknowledged.
     *
     * @param packetCount how many packets will be sealed with this header length, at least 1.
     * @return header length in bytes (6 to 9), or {@link #SEAL_TOO_MANY_UNACKNOWLEDGED}.
     */
    public int headerLength(final int packetCount)
    {
        final int length = PacketNumbers.encodedLength(nextPacketNumber + Math.max(packetCount, 1) - 1, largestAcknowledged);
        return length < 0 ? SEAL_TOO_MANY_UNACKNOWLEDGED : DataPacketDescriptor.headerLength(length);
    }

    /**
     * Seals one packet in place: writes the header at {@code offset} and encrypts the payload that the caller
     * wrote at {@code offset + headerLength}, appending the tag.
     *
     * @param buffer        buffer holding the packet (direct or heap).
     * @param offset        index of the packet's first byte.
     * @param headerLength  header length reserved, from {@link #headerLength(int)}.
     * @param payloadLength payload length; the buffer needs {@code 16} bytes of room after the payload.
     * @return the sealed packet's length, or a negative {@code SEAL_*} code (nothing written, no packet number used).
     */
    public int seal(final ByteBuffer buffer, final int offset, final int headerLength, final int payloadLength)
    {
        return sealPacket(buffer, offset, headerLength, payloadLength, clock.nanoTime(), null);
    }

    /**
     * Seals {@code count} packets that share one header length; reads the clock once per batch. With the
     * {@link NativeAeadCipher native AEAD} and a direct buffer, headers and packet numbers are done here and the
     * AEAD of the whole batch in one JNI call (two around a key update).
     *
     * @param buffer         buffer holding the packets.
     * @param offsets        index of each packet's first byte.
     * @param payloadLengths each packet's payload length.
     * @param count          number of packets.
     * @param headerLength   header length reserved in every packet, from {@link #headerLength(int)}.
     * @return how many packets, from the first, were sealed; if fewer than {@code count},
     * {@link #lastError()} says why.
     */
    public int sealBatch(
        final ByteBuffer buffer, final int[] offsets, final int[] payloadLengths, final int count, final int headerLength)
    {
        final long nowNs = clock.nanoTime();
        final AeadBatch batch = null != pending && buffer.isDirect() ? pending : null;
        int sealed = 0;
        try
        {
            while (sealed < count && sealPacket(buffer, offsets[sealed], headerLength, payloadLengths[sealed], nowNs, batch) >= 0)
            {
                sealed++;
            }
        }
        finally
        {
            // Also when a bad argument throws: the packets before it have their headers and packet numbers.
            flush(buffer, batch);
        }
        return sealed;
    }

    /**
     * Records the largest packet number the peer has acknowledged so far (from the reliable layer). It shortens
     * packet numbers and, once it covers a packet of the current key phase, permits the next key update.
     *
     * @param packetNumber largest acknowledged packet number; lower values than before are ignored.
     * @throws IllegalArgumentException if that packet number was never sealed.
     */
    public void onAcknowledged(final long packetNumber)
    {
        if (packetNumber >= nextPacketNumber)
        {
            throw new IllegalArgumentException("acknowledged packet " + packetNumber + " was never sent");
        }
        if (packetNumber > largestAcknowledged)
        {
            largestAcknowledged = packetNumber;
        }
    }

    /**
     * Asks for a key update at the next packet, as soon as {@link #isKeyUpdateAllowed()}. Updates happen on
     * their own after {@link PacketProtectionSettings#keyUpdatePackets()} packets or
     * {@link PacketProtectionSettings#keyUpdateIntervalNs()}.
     */
    public void requestKeyUpdate()
    {
        keyUpdateRequested = true;
    }

    /**
     * A sender may start a key update only when the peer has acknowledged a packet of the current phase, so
     * the receiver is never two phases behind (RFC 9001 §6.1).
     *
     * @return whether the next key update may start.
     */
    public boolean isKeyUpdateAllowed()
    {
        return largestAcknowledged >= firstPacketNumberOfPhase;
    }

    /** @return the packet number the next sealed packet will carry. */
    public long nextPacketNumber()
    {
        return nextPacketNumber;
    }

    /** @return the largest packet number the peer has acknowledged, or -1. */
    public long largestAcknowledged()
    {
        return largestAcknowledged;
    }

    /** @return the key generation in use (0 after the handshake). */
    public long keyGeneration()
    {
        return generation;
    }

    /** @return the key phase bit in use, 0 or 1. */
    public int keyPhase()
    {
        return keyPhaseBit;
    }

    /** @return packets sealed under the current key. */
    public long packetsUnderCurrentKey()
    {
        return packetsUnderKey;
    }

    /** @return key updates performed. */
    public long keyUpdates()
    {
        return keyUpdates;
    }

    /** @return packets refused (negative results of {@link #seal}). */
    public long refusals()
    {
        return refusals;
    }

    /** @return the code of the last refusal, or 0. */
    public int lastError()
    {
        return lastError;
    }

    /** @return the settings this sealer was built with. */
    public PacketProtectionSettings settings()
    {
        return settings;
    }

    /** Wipes key material; the sealer cannot be used afterwards. */
    public void destroy()
    {
        current.destroy();
        next.destroy();
        ratchet.destroy();
    }

    /**
     * Checks, key update, header; then the AEAD now, or, with {@code batch}, a record for {@link #flush} (which
     * must run before the key that seals it changes).
     */
    private int sealPacket(
        final ByteBuffer buffer,
        final int offset,
        final int headerLength,
        final int payloadLength,
        final long nowNs,
        final AeadBatch batch)
    {
        final long packetNumber = nextPacketNumber;
        if (packetNumber > MAX_PACKET_NUMBER)
        {
            return refuse(SEAL_PACKET_NUMBER_EXHAUSTED);
        }
        final int packetNumberLength = headerLength - PACKET_NUMBER_OFFSET;
        if (packetNumberLength < DataPacketDescriptor.MIN_PACKET_NUMBER_LENGTH ||
            packetNumberLength > DataPacketDescriptor.MAX_PACKET_NUMBER_LENGTH)
        {
            throw new IllegalArgumentException("headerLength must be 6..9: " + headerLength);
        }
        final int packetLength = headerLength + payloadLength + TAG_LENGTH;
        if (offset < 0 || payloadLength < 0 || offset > buffer.capacity() - packetLength)
        {
            throw new IndexOutOfBoundsException(
                "packet [" + offset + ", +" + packetLength + ") outside buffer of " + buffer.capacity());
        }
        final int requiredLength = PacketNumbers.encodedLength(packetNumber, largestAcknowledged);
        if (requiredLength < 0)
        {
            return refuse(SEAL_TOO_MANY_UNACKNOWLEDGED);
        }
        if (packetNumberLength < requiredLength)
        {
            return refuse(SEAL_HEADER_TOO_SHORT);
        }

        if ((keyUpdateRequested || packetsUnderKey >= keyUpdatePackets || nowNs - keyInstalledNs >= keyUpdateIntervalNs) &&
            largestAcknowledged >= firstPacketNumberOfPhase)
        {
            flush(buffer, batch);
            updateKeys(packetNumber, nowNs);
        }
        if (packetsUnderKey >= keyHardLimitPackets)
        {
            return refuse(SEAL_KEY_EXHAUSTED);
        }

        buffer.put(offset, (byte)(TYPE_DATA | (keyPhaseBit == 0 ? 0 : KEY_PHASE_BIT) | (packetNumberLength - 1)));
        // Byte by byte: the caller's buffer may be in either byte order.
        buffer.put(offset + SESSION_ID_OFFSET, (byte)(remoteSessionId >>> 24));
        buffer.put(offset + SESSION_ID_OFFSET + 1, (byte)(remoteSessionId >>> 16));
        buffer.put(offset + SESSION_ID_OFFSET + 2, (byte)(remoteSessionId >>> 8));
        buffer.put(offset + SESSION_ID_OFFSET + 3, (byte)remoteSessionId);
        for (int i = packetNumberLength - 1, p = offset + PACKET_NUMBER_OFFSET; i >= 0; i--, p++)
        {
            buffer.put(p, (byte)(packetNumber >>> (8 * i)));
        }
        if (null == batch)
        {
            current.seal(packetNumber, buffer, offset, headerLength, payloadLength);
        }
        else
        {
            batch.add(packetNumber, offset, headerLength, payloadLength, 0);
        }
        nextPacketNumber = packetNumber + 1;
        packetsUnderKey++;
        return packetLength;
    }

    private void flush(final ByteBuffer buffer, final AeadBatch batch)
    {
        if (null != batch && batch.size() > 0)
        {
            try
            {
                NativeAeadCipher.sealBatch((NativeAeadCipher)current, buffer, batch);
            }
            finally
            {
                batch.clear();
            }
        }
    }

    private void updateKeys(final long firstPacketNumber, final long nowNs)
    {
        final AeadCipher retired = current;
        current = next;
        next = retired;
        generation++;
        keyPhaseBit ^= 1;
        firstPacketNumberOfPhase = firstPacketNumber;
        packetsUnderKey = 0;
        keyInstalledNs = nowNs;
        keyUpdateRequested = false;
        keyUpdates++;
        // Prepare the generation after this one now, once per update rather than per packet.
        ratchet.installNext(next);
    }

    private int refuse(final int code)
    {
        refusals++;
        lastError = code;
        return code;
    }
}
