/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native AEAD against the JDK strategy (differential, byte for byte), its batch calls, and its defences
 * against bad descriptors and use after destroy.
 */
class NativeAeadCipherTest
{
    private static final int[] LENGTHS = { 0, 1, 15, 16, 17, 63, 64, 255, 1200, 1400, 1472, 4096, 8192, 9000 };

    @BeforeEach
    void requireNative()
    {
        assumeTrue(NativeAeadCipher.isAvailable(), () -> "native AEAD unavailable: " + NativeAeadCipher.description());
    }

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    private static byte[] contents(final ByteBuffer buffer, final int offset, final int length)
    {
        final byte[] value = new byte[length];
        buffer.get(offset, value);
        return value;
    }

    @Test
    void autoPrefersNativeWhereAvailableElseJdk()
    {
        for (final AeadAlgorithm algorithm : AeadAlgorithm.values())
        {
            assertSame(AeadImplementation.NATIVE, AeadImplementation.auto(algorithm, 17, true));
            assertSame(AeadImplementation.JDK, AeadImplementation.auto(algorithm, 25, false));
        }
        assertSame(AeadImplementation.NATIVE, AeadImplementation.auto(AeadAlgorithm.AES_128_GCM, 17));
        assertTrue(NativeAeadCipher.description().contains("OpenSSL"), NativeAeadCipher.description());
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void sealsByteForByteLikeTheJdkAndEachOpensTheOther(final AeadAlgorithm algorithm)
    {
        final Random random = new Random(algorithm.ordinal() * 1000L + 7);
        for (int round = 0; round < 3; round++)
        {
            final byte[] key = bytes(random, algorithm.keyLength());
            final byte[] iv = bytes(random, AeadAlgorithm.NONCE_LENGTH);
            final AeadCipher nativeCipher = new NativeAeadCipher(algorithm);
            final AeadCipher jdk = new JdkAeadCipher(algorithm);
            nativeCipher.init(key, iv);
            jdk.init(key, iv);
            for (final int length : LENGTHS)
            {
                final int headerLength = random.nextInt(10);
                final long packetNumber = random.nextLong() >>> 2;
                final byte[] packet = bytes(random, headerLength + length + AeadAlgorithm.TAG_LENGTH);
                final int offset = random.nextInt(40);
                final ByteBuffer a = ByteBuffer.allocateDirect(offset + packet.length + 3).put(offset, packet);
                final ByteBuffer b = ByteBuffer.allocate(offset + packet.length).put(offset, packet);
                nativeCipher.seal(packetNumber, a, offset, headerLength, length);
                jdk.seal(packetNumber, b, offset, headerLength, length);
                final String what = algorithm + " length " + length + " header " + headerLength;
                assertArrayEquals(contents(b, offset, packet.length), contents(a, offset, packet.length), what);

                // Cross-open: the JDK opens the native packet, the native cipher opens the JDK one (heap copy path).
                assertTrue(jdk.open(packetNumber, a, offset, headerLength, length + AeadAlgorithm.TAG_LENGTH), what);
                assertTrue(nativeCipher.open(packetNumber, b, offset, headerLength, length + AeadAlgorithm.TAG_LENGTH), what);
                assertArrayEquals(contents(a, offset, headerLength + length), contents(b, offset, headerLength + length));
                assertArrayEquals(java.util.Arrays.copyOf(packet, headerLength + length), contents(a, offset, headerLength + length));
            }
            nativeCipher.destroy();
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void failedOpenRestoresTheCiphertextSoAnotherKeyCanRetry(final AeadAlgorithm algorithm)
    {
        final Random random = new Random(11);
        final NativeAeadCipher right = new NativeAeadCipher(algorithm);
        final NativeAeadCipher wrong = new NativeAeadCipher(algorithm);
        final byte[] iv = bytes(random, 12);
        right.init(bytes(random, algorithm.keyLength()), iv);
        wrong.init(bytes(random, algorithm.keyLength()), iv);
        final ByteBuffer packet = ByteBuffer.allocateDirect(9 + 1400 + 16).put(0, bytes(random, 9 + 1400));
        final byte[] plain = contents(packet, 0, 9 + 1400);
        right.seal(5, packet, 0, 9, 1400);
        final byte[] sealed = contents(packet, 0, packet.capacity());

        assertFalse(wrong.open(5, packet, 0, 9, 1416));
        assertArrayEquals(sealed, contents(packet, 0, packet.capacity()), "wrong key: ciphertext restored");
        assertFalse(right.open(6, packet, 0, 9, 1416));
        assertArrayEquals(sealed, contents(packet, 0, packet.capacity()), "wrong nonce: ciphertext restored");
        assertTrue(right.open(5, packet, 0, 9, 1416));
        assertArrayEquals(plain, contents(packet, 0, 9 + 1400));
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void batchSealMatchesSingleCallsAndBatchOpenFlagsOnlyTamperedPackets(final AeadAlgorithm algorithm)
    {
        final Random random = new Random(21 + algorithm.ordinal());
        final byte[] key = bytes(random, algorithm.keyLength());
        final byte[] iv = bytes(random, 12);
        final NativeAeadCipher batchCipher = new NativeAeadCipher(algorithm);
        final JdkAeadCipher jdk = new JdkAeadCipher(algorithm);
        batchCipher.init(key, iv);
        jdk.init(key, iv);
        final int count = 64;
        final int slot = 9100 + 16 + 9;
        final ByteBuffer data = ByteBuffer.allocateDirect(count * slot);
        final ByteBuffer expected = ByteBuffer.allocate(count * slot);
        data.put(0, bytes(random, data.capacity()));
        expected.put(0, data, 0, data.capacity());
        final byte[] plain = contents(data, 0, data.capacity());
        final AeadBatch batch = new AeadBatch(4); // grows
        final int[] lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            lengths[i] = i < LENGTHS.length ? LENGTHS[i] : random.nextInt(9001);
            batch.add(1000 + i, i * slot, 9, lengths[i], 0);
            jdk.seal(1000 + i, expected, i * slot, 9, lengths[i]);
        }
        assertEquals(count, NativeAeadCipher.sealBatch(batchCipher, data, batch));
        for (int i = 0; i < count; i++)
        {
            assertEquals(AeadBatchDescriptor.RESULT_OK, batch.result(i));
            assertArrayEquals(contents(expected, i * slot, 9 + lengths[i] + 16), contents(data, i * slot, 9 + lengths[i] + 16),
                "packet " + i);
        }

        // Tamper with every fifth packet (header, payload or tag); the others must open.
        batch.clear();
        for (int i = 0; i < count; i++)
        {
            if (i % 5 == 0)
            {
                final int at = i * slot + random.nextInt(9 + lengths[i] + 16);
                data.put(at, (byte)(data.get(at) ^ 0x40));
            }
            batch.add(1000 + i, i * slot, 9, lengths[i] + 16, 1);
        }
        final int authenticated = NativeAeadCipher.openBatch(null, batchCipher, null, data, batch);
        assertEquals(count - (count + 4) / 5, authenticated);
        for (int i = 0; i < count; i++)
        {
            if (i % 5 == 0)
            {
                assertEquals(AeadBatchDescriptor.RESULT_AUTH_FAILED, batch.result(i), "packet " + i);
            }
            else
            {
                assertEquals(AeadBatchDescriptor.RESULT_OK, batch.result(i), "packet " + i);
                assertArrayEquals(java.util.Arrays.copyOfRange(plain, i * slot, i * slot + 9 + lengths[i]),
                    contents(data, i * slot, 9 + lengths[i]), "packet " + i);
            }
        }
    }

    @Test
    void badDescriptorsAndArgumentsThrowAndTouchNothing()
    {
        final NativeAeadCipher cipher = new NativeAeadCipher(AeadAlgorithm.AES_128_GCM);
        cipher.init(new byte[16], new byte[12]);
        final ByteBuffer data = ByteBuffer.allocateDirect(2048);
        final AeadBatch batch = new AeadBatch(8);
        final int[][] bad = {
            { -1, 9, 100 },          // negative offset
            { 0, -1, 100 },          // negative header length
            { 0, 9, -5 },            // negative length
            { 2000, 9, 100 },        // runs past the end
            { 0, 9, 2048 - 9 - 15 }, // one byte short for the tag
            { Integer.MAX_VALUE, 9, 100 },
            { 100, Integer.MAX_VALUE, Integer.MAX_VALUE },
        };
        for (final int[] record : bad)
        {
            batch.clear();
            batch.add(1, 0, 9, 100, 0); // a good record first: nothing may be sealed when a later one is bad
            batch.add(2, record[0], record[1], record[2], 0);
            assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.sealBatch(cipher, data, batch),
                java.util.Arrays.toString(record));
            assertEquals(0, data.get(9), "nothing sealed");
            // The same packet to open: its length includes the tag.
            batch.clear();
            batch.add(2, record[0], record[1], record[2] + 16, 0);
            assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.openBatch(cipher, null, null, data, batch));
            assertThrows(IndexOutOfBoundsException.class,
                () -> cipher.seal(1, data, record[0], record[1], record[2]));
        }
        batch.clear();
        batch.add(1, 0, 9, 10, 1); // seal only takes key index 0
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.sealBatch(cipher, data, batch));
        batch.clear();
        batch.add(1, 0, 9, 10, 2); // names a key the call lacks
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.openBatch(cipher, cipher, null, data, batch));
        batch.clear();
        batch.add(1, 0, 9, 15, 0); // shorter than a tag
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.openBatch(cipher, null, null, data, batch));
        batch.clear();
        batch.add(1, 0, 9, 10, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.openBatch(cipher, cipher, cipher, data, batch));
        assertThrows(IllegalArgumentException.class,
            () -> NativeAeadCipher.sealBatch(cipher, ByteBuffer.allocate(64), batch), "heap buffer");

        // A count larger than the table: the shim compares it with the table's size.
        assertEquals(NativeAead.ERR_BAD_ARGUMENT, NativeAead.sealBatch(
            1, org.agrona.BufferUtil.address(data), data.capacity(), batch.address(), batch.capacityBytes(),
            batch.capacityBytes() / AeadBatchDescriptor.ENTRY_LENGTH + 1));
        assertEquals(NativeAead.ERR_BAD_ARGUMENT, NativeAead.sealBatch(
            1, org.agrona.BufferUtil.address(data), data.capacity(), batch.address(), batch.capacityBytes(), -1));
        assertEquals(NativeAead.ERR_BAD_ARGUMENT, NativeAead.open(
            1, 0, org.agrona.BufferUtil.address(data), data.capacity(), 0, 9, 15));
        assertEquals(NativeAead.ERR_BAD_ARGUMENT, NativeAead.sealBatch(0, 1, 1, 1, 32, 0));
        assertEquals(0, data.get(9), "nothing sealed");
    }

    @Test
    void destroyedOrUnkeyedCipherIsRefusedInJava()
    {
        final NativeAeadCipher cipher = new NativeAeadCipher(AeadAlgorithm.CHACHA20_POLY1305);
        final ByteBuffer data = ByteBuffer.allocateDirect(256);
        final AeadBatch batch = new AeadBatch(1);
        batch.add(0, 0, 9, 16, 0);
        assertThrows(IllegalStateException.class, () -> cipher.seal(0, data, 0, 9, 16));
        cipher.init(new byte[32], new byte[12]);
        assertTrue(cipher.isKeyed());
        cipher.seal(0, data, 0, 9, 16);
        cipher.destroy();
        cipher.destroy();
        assertFalse(cipher.isKeyed());
        assertThrows(IllegalStateException.class, () -> cipher.seal(1, data, 0, 9, 16));
        assertThrows(IllegalStateException.class, () -> cipher.open(0, data, 0, 9, 32));
        assertThrows(IllegalStateException.class, () -> NativeAeadCipher.sealBatch(cipher, data, batch));
        // A destroyed key passed to openBatch arrives as a null handle, which the shim refuses.
        assertThrows(IndexOutOfBoundsException.class, () -> NativeAeadCipher.openBatch(cipher, null, null, data, batch));
        // Re-keying after destroy makes a new context.
        cipher.init(new byte[32], new byte[12]);
        assertTrue(cipher.open(0, data, 0, 9, 32));
    }

    @Test
    void reKeyingInPlaceMatchesAFreshCipher()
    {
        final Random random = new Random(5);
        final NativeAeadCipher reused = new NativeAeadCipher(AeadAlgorithm.AES_256_GCM);
        reused.init(bytes(random, 32), bytes(random, 12));
        final byte[] key = bytes(random, 32);
        final byte[] iv = bytes(random, 12);
        reused.init(key, iv);
        final JdkAeadCipher fresh = new JdkAeadCipher(AeadAlgorithm.AES_256_GCM);
        fresh.init(key, iv);
        final ByteBuffer a = ByteBuffer.allocateDirect(9 + 100 + 16);
        final ByteBuffer b = ByteBuffer.allocateDirect(9 + 100 + 16);
        reused.seal(3, a, 0, 9, 100);
        fresh.seal(3, b, 0, 9, 100);
        assertEquals(b, a);
        assertThrows(IllegalArgumentException.class, () -> reused.init(new byte[16], iv));
    }
}
