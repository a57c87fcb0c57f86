/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.nio.ByteBuffer;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.aead.AeadImplementation;
import dev.salvo.crypto.packet.DataPacketDescriptor;
import dev.salvo.crypto.packet.PacketProtection;
import dev.salvo.crypto.packet.PacketProtectionSettings;
import dev.salvo.crypto.packet.PacketSealer;

/**
 * The E1 reference: how fast one core seals packets with the AEAD the transport uses (the default
 * {@link PacketProtectionSettings}: algorithm and implementation as a {@code Transport} picks them), through
 * {@link PacketSealer#sealBatch} in batches of 64 in a direct buffer — the path the I/O thread takes — in a tight
 * loop on one thread. Reported as MiB/s of payload, where the payload of a packet is what fits in a datagram of
 * the given size after the packet header and the AEAD tag.
 */
final class SealRate
{
    static final int BATCH = 64;

    private SealRate()
    {
    }

    /** A sealer/opener pair of one session with fixed secrets and the transport's default packet protection. */
    static PacketProtection[] session()
    {
        final byte[] a = new byte[SessionSecrets.SECRET_LENGTH];
        final byte[] b = new byte[SessionSecrets.SECRET_LENGTH];
        a[0] = 1;
        b[0] = 2;
        final PacketProtectionSettings settings = new PacketProtectionSettings();
        return new PacketProtection[] {
            PacketProtection.create(new SessionSecrets(a, b, new byte[32], true), 1, 2, settings),
            PacketProtection.create(new SessionSecrets(b, a, new byte[32], false), 2, 1, settings) };
    }

    /** @return the AEAD implementation the transport's default settings resolve to, e.g. {@code NATIVE}. */
    static String aeadName()
    {
        final PacketProtectionSettings settings = new PacketProtectionSettings();
        final Object implementation = settings.implementation();
        return settings.algorithm() + "/" + (implementation instanceof AeadImplementation ?
            ((AeadImplementation)implementation).name() : implementation.getClass().getSimpleName());
    }

    /**
     * Seals for a while and prints one {@code RESULT bench=seal ...} line per run.
     *
     * @param datagram datagram size the packets fill (header + payload + tag).
     * @param warmup   seconds before measuring.
     * @param seconds  seconds per run.
     * @param runs     runs.
     */
    static void run(final int datagram, final double warmup, final double seconds, final int runs)
    {
        final Batch batch = new Batch(session()[0].sealer(), datagram);
        batch.seal(1); // after the first acknowledgement the header length is the steady one
        final int payload = batch.payloadLength();
        measure(batch, warmup);
        for (int run = 0; run < runs; run++)
        {
            final long start = System.nanoTime();
            final long packets = measure(batch, seconds);
            final double elapsed = (System.nanoTime() - start) / 1e9;
            TransportBench.result("seal", "datagram=" + datagram, "run=" + run, "aead=" + aeadName(),
                "payload=" + payload, "seconds=" + TransportBench.format(elapsed), "packets=" + packets,
                "mibps=" + TransportBench.format(packets * (double)payload / elapsed / (1 << 20)));
        }
    }

    private static long measure(final Batch batch, final double seconds)
    {
        final long deadline = System.nanoTime() + (long)(seconds * 1e9);
        long packets = 0;
        while (System.nanoTime() - deadline < 0)
        {
            packets += batch.seal(16);
        }
        return packets;
    }

    /** 64 packets filling datagrams of one size in a direct buffer, sealed again and again. */
    private static final class Batch
    {
        private final PacketSealer sealer;
        private final int datagram;
        private final ByteBuffer buffer;
        private final int[] offsets = new int[BATCH];
        private final int[] lengths = new int[BATCH];

        Batch(final PacketSealer sealer, final int datagram)
        {
            this.sealer = sealer;
            this.datagram = datagram;
            this.buffer = ByteBuffer.allocateDirect(BATCH * (datagram + 64));
            for (int i = 0; i < BATCH; i++)
            {
                offsets[i] = i * (datagram + 64);
            }
        }

        int payloadLength()
        {
            return datagram - sealer.headerLength(BATCH) - DataPacketDescriptor.TAG_LENGTH;
        }

        /** Seals {@code batches} batches; returns packets sealed. */
        long seal(final int batches)
        {
            long sealed = 0;
            for (int b = 0; b < batches; b++)
            {
                final int headerLength = sealer.headerLength(BATCH);
                final int payload = datagram - headerLength - DataPacketDescriptor.TAG_LENGTH;
                for (int i = 0; i < BATCH; i++)
                {
                    lengths[i] = payload;
                }
                final int count = sealer.sealBatch(buffer, offsets, lengths, BATCH, headerLength);
                if (count != BATCH)
                {
                    throw new IllegalStateException("sealBatch refused: " + sealer.lastError());
                }
                // As in a running session the peer acknowledges (else the unacknowledged limit stops sealing).
                sealer.onAcknowledged(sealer.nextPacketNumber() - 1);
                sealed += count;
            }
            return sealed;
        }
    }
}
