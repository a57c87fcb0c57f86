/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadCipher;
import dev.salvo.crypto.aead.AeadCipherFactory;
import dev.salvo.crypto.aead.AeadImplementation;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property: no (key, nonce) pair is ever sealed twice, across millions of packets and many key updates.
 * Observed at the cipher boundary: every key the sealers install is recorded with its IV, and every seal
 * under a key must use a larger packet number than the last one under that key (nonce = IV xor packet number,
 * so strictly increasing packet numbers under one key and IV give distinct nonces). A key ever installed with
 * two different IVs fails the test too.
 */
class NonceUniquenessTest
{
    private static final long PACKETS = 2_000_000;
    private static final long KEY_UPDATE_PACKETS = 1 << 16;

    /** Per key (hex): its IV (hex) and the last packet number sealed under it. */
    private final Map<String, String> ivByKey = new HashMap<>();
    private final Map<String, Long> lastPacketNumberByKey = new HashMap<>();
    private long seals;

    private final class RecordingCipher implements AeadCipher
    {
        private final AeadCipher delegate;
        private final boolean recordOpens;
        private String key;
        private String iv;

        RecordingCipher(final AeadCipher delegate, final boolean recordOpens)
        {
            this.delegate = delegate;
            this.recordOpens = recordOpens;
        }

        public AeadAlgorithm algorithm()
        {
            return delegate.algorithm();
        }

        public void init(final byte[] key, final byte[] iv)
        {
            this.key = HexFormat.of().formatHex(key);
            this.iv = HexFormat.of().formatHex(iv);
            delegate.init(key, iv);
        }

        public void seal(
            final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int payloadLength)
        {
            recordNonce(packetNumber);
            delegate.seal(packetNumber, buffer, offset, headerLength, payloadLength);
        }

        private void recordNonce(final long packetNumber)
        {
            final String previousIv = ivByKey.putIfAbsent(key, iv);
            if (null != previousIv && !previousIv.equals(iv))
            {
                fail("key " + key + " sealed with two IVs");
            }
            final Long last = lastPacketNumberByKey.put(key, packetNumber);
            if (null != last && packetNumber <= last)
            {
                fail("packet number " + packetNumber + " after " + last + " under one key: nonce reuse");
            }
            seals++;
        }

        public boolean open(
            final long packetNumber, final ByteBuffer buffer, final int offset, final int headerLength, final int ciphertextLength)
        {
            final boolean opened = delegate.open(packetNumber, buffer, offset, headerLength, ciphertextLength);
            if (opened && recordOpens)
            {
                // Only a packet sealed under exactly this key and nonce authenticates: opens mirror the seals.
                recordNonce(packetNumber);
            }
            return opened;
        }

        public void destroy()
        {
            delegate.destroy();
        }
    }

    /**
     * JDK: the sealing ciphers record every seal. NATIVE: sealing runs through the native batch call, which no Java
     * wrapper sees, so the receiving side's JDK ciphers record every nonce that authenticates instead.
     */
    @ParameterizedTest
    @EnumSource(value = AeadImplementation.class, names = { "JDK", "NATIVE" })
    void noNonceRepeatsAcrossKeyUpdatesOverMillionsOfPackets(final AeadImplementation sealing)
    {
        TestSessions.assumeNativeIfNamed(sealing);
        final TestSessions.ManualClock clock = new TestSessions.ManualClock();
        final TestSessions sessions = TestSessions.create(31, () ->
        {
            // PacketProtection.create asks for the sealer's two ciphers first, then the opener's three.
            final int[] calls = { 0 };
            final AeadCipherFactory factory = algorithm -> calls[0]++ < 2 ?
                (AeadImplementation.JDK == sealing ?
                    new RecordingCipher(AeadImplementation.JDK.newCipher(algorithm), false) : sealing.newCipher(algorithm)) :
                new RecordingCipher(AeadImplementation.JDK.newCipher(algorithm), AeadImplementation.JDK != sealing);
            return new PacketProtectionSettings()
                .implementation(factory).algorithm(AeadAlgorithm.AES_128_GCM).clock(clock)
                .keyUpdatePackets(KEY_UPDATE_PACKETS);
        });
        final Random random = new Random(3);
        final int batch = 64;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(batch * 64);
        final int[] offsets = new int[batch];
        final int[] payloadLengths = new int[batch];
        final int[] lengths = new int[batch];
        final int[] results = new int[batch];
        final long[] packetNumbers = new long[batch];
        for (int i = 0; i < batch; i++)
        {
            offsets[i] = i * 64;
        }

        long opened = 0;
        for (long sent = 0; sent < PACKETS; sent += batch)
        {
            // Both directions, so both chains are checked; occasionally the clock jumps to force time updates.
            final boolean fromInitiator = (sent / batch) % 2 == 0;
            final PacketSealer sealer = (fromInitiator ? sessions.initiator : sessions.responder).sealer();
            final PacketOpener opener = (fromInitiator ? sessions.responder : sessions.initiator).opener();
            if (random.nextInt(4096) == 0)
            {
                clock.nowNs += PacketProtectionSettings.KEY_UPDATE_INTERVAL_DEFAULT_NS;
            }
            final int headerLength = sealer.headerLength(batch);
            for (int i = 0; i < batch; i++)
            {
                payloadLengths[i] = random.nextInt(32);
                lengths[i] = headerLength + payloadLengths[i] + 16;
            }
            assertEquals(batch, sealer.sealBatch(buffer, offsets, payloadLengths, batch, headerLength));
            opened += opener.openBatch(buffer, offsets, lengths, batch, results, packetNumbers);
            sealer.onAcknowledged(opener.largestPacketNumber());
        }

        assertEquals(PACKETS, seals);
        assertEquals(PACKETS, opened);
        final long keys = ivByKey.size();
        assertTrue(keys >= 2 * (PACKETS / 2 / KEY_UPDATE_PACKETS), "distinct keys used: " + keys);
        assertEquals(keys, lastPacketNumberByKey.size());
        assertEquals(keys, ivByKey.values().stream().distinct().count(), "every generation has its own IV");
    }
}
