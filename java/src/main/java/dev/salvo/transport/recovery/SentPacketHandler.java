/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.recovery;

/**
 * Told what a sent packet carried when its life ends, so exactly that content is completed or
 * re-queued (data is resent in new packets, never as old ciphertext).
 */
public interface SentPacketHandler
{
    /** Fragment kind: message bytes {@code [offset, offset + length)} of a message. */
    int KIND_MESSAGE = 0;

    /** Fragment kind: a MESSAGE_CANCEL frame for the message ({@code offset} = final size). */
    int KIND_CANCEL = 1;

    /** Control flag: the packet carried a MAX_DATA frame. */
    int CONTROL_MAX_DATA = 1;

    /** Control flag: the packet carried a DATA_BLOCKED frame. */
    int CONTROL_DATA_BLOCKED = 2;

    /** Control flag: the packet carried a PING frame. */
    int CONTROL_PING = 4;

    /** Control flag: the packet carried a CLOSE frame. */
    int CONTROL_CLOSE = 8;

    /** Fragment kind: a path MTU probe ({@code offset} = the probe's datagram size); never re-queued. */
    int KIND_PMTU_PROBE = 2;

    /** Control flag: the packet carried MAX_MESSAGE_DATA frames. */
    int CONTROL_MAX_MESSAGE_DATA = 16;

    /** Control flag: the packet carried a MESSAGE_DATA_BLOCKED frame. */
    int CONTROL_MESSAGE_DATA_BLOCKED = 32;

    /** A fragment carried by a newly acknowledged packet. */
    void onFragmentAcked(int kind, long messageId, long offset, int length);

    /** A fragment carried by a packet declared lost: re-queue it. */
    void onFragmentLost(int kind, long messageId, long offset, int length);

    /** Control frames carried by a packet declared lost ({@code CONTROL_*} flags). */
    void onControlLost(int controlFlags);

    /**
     * A packet was acknowledged (path MTU discovery's black-hole detection watches sizes).
     *
     * @param packetNumber its number.
     * @param sizeBytes    its size as counted at send.
     */
    default void onPacketAcked(final long packetNumber, final int sizeBytes)
    {
    }

    /**
     * A packet was declared lost (path MTU discovery's black-hole detection watches sizes).
     *
     * @param packetNumber its number.
     * @param sizeBytes    its size as counted at send.
     * @param nowNs        current time.
     */
    default void onPacketLost(final long packetNumber, final int sizeBytes, final long nowNs)
    {
    }
}
