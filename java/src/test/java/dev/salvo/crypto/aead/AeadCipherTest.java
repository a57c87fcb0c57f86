/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AeadCipherTest
{
    private static final int HEADER = 9;

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    /** Reference: one-shot JDK AEAD over separate arrays with an explicitly built nonce. */
    private static byte[] reference(
        final AeadAlgorithm algorithm, final byte[] key, final byte[] nonce, final byte[] aad, final byte[] plaintext)
        throws Exception
    {
        final Cipher cipher;
        if (algorithm.isAesGcm())
        {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        }
        else
        {
            cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        }
        cipher.updateAAD(aad);
        return cipher.doFinal(plaintext);
    }

    static void assumeAvailable(final AeadImplementation implementation)
    {
        assumeTrue(AeadImplementation.NATIVE != implementation || NativeAeadCipher.isAvailable(),
            () -> "native AEAD unavailable: " + NativeAeadCipher.description());
    }

    @Test
    void nonceIsIvXorRightAlignedPacketNumber()
    {
        final byte[] iv = HexFormat.of().parseHex("000102030405060708090a0b");
        final byte[] nonce = new byte[12];
        AeadCiphers.nonce(iv, 0x0102030405060708L, nonce);
        assertEquals("00010203050705030d0f0d03", HexFormat.of().formatHex(nonce));
    }

    @ParameterizedTest
    @EnumSource(AeadImplementation.class)
    void sealsExactlyLikeTheReferenceInDirectAndHeapBuffers(final AeadImplementation implementation) throws Exception
    {
        assumeAvailable(implementation);
        final Random random = new Random(1);
        for (final AeadAlgorithm algorithm : AeadAlgorithm.values())
        {
            final AeadCipher cipher = implementation.newCipher(algorithm);
            final byte[] key = bytes(random, algorithm.keyLength());
            final byte[] iv = bytes(random, 12);
            cipher.init(key, iv);
            for (final int payloadLength : new int[]{ 0, 1, 15, 16, 17, 1400, 8192 })
            {
                for (final boolean direct : new boolean[]{ true, false })
                {
                    final long packetNumber = random.nextLong() >>> 2;
                    final byte[] header = bytes(random, HEADER);
                    final byte[] payload = bytes(random, payloadLength);
                    final int offset = 3;
                    final ByteBuffer buffer = direct ?
                        ByteBuffer.allocateDirect(offset + HEADER + payloadLength + 16 + 5) :
                        ByteBuffer.allocate(offset + HEADER + payloadLength + 16 + 5);
                    buffer.put(offset, header).put(offset + HEADER, payload);
                    cipher.seal(packetNumber, buffer, offset, HEADER, payloadLength);

                    final byte[] nonce = new byte[12];
                    AeadCiphers.nonce(iv, packetNumber, nonce);
                    final byte[] expected = reference(algorithm, key, nonce, header, payload);
                    final byte[] actual = new byte[payloadLength + 16];
                    buffer.get(offset + HEADER, actual);
                    assertArrayEquals(expected, actual, algorithm + " " + payloadLength + " direct=" + direct);

                    assertTrue(cipher.open(packetNumber, buffer, offset, HEADER, payloadLength + 16));
                    final byte[] opened = new byte[payloadLength];
                    buffer.get(offset + HEADER, opened);
                    assertArrayEquals(payload, opened);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(AeadImplementation.class)
    void opensWhatTheOtherImplementationSealedAndRejectsTampering(final AeadImplementation implementation)
    {
        assumeAvailable(implementation);
        final Random random = new Random(2);
        for (final AeadAlgorithm algorithm : AeadAlgorithm.values())
        {
            final byte[] key = bytes(random, algorithm.keyLength());
            final byte[] iv = bytes(random, 12);
            final AeadCipher sealer = implementation.newCipher(algorithm);
            final AeadImplementation other = AeadImplementation.values()[(implementation.ordinal() + 1) % 2];
            final AeadCipher opener = other.newCipher(algorithm);
            sealer.init(key, iv);
            opener.init(key, iv);

            final int payloadLength = 300;
            final ByteBuffer packet = ByteBuffer.allocateDirect(HEADER + payloadLength + 16);
            final byte[] payload = bytes(random, payloadLength);
            packet.put(0, bytes(random, HEADER)).put(HEADER, payload);
            sealer.seal(77, packet, 0, HEADER, payloadLength);
            final byte[] sealed = new byte[packet.capacity()];
            packet.get(0, sealed);

            for (int position = 0; position < sealed.length; position += 7)
            {
                packet.put(0, sealed);
                packet.put(position, (byte)(sealed[position] ^ 0x01));
                assertFalse(opener.open(77, packet, 0, HEADER, payloadLength + 16), "flip at " + position);
            }
            packet.put(0, sealed);
            assertFalse(opener.open(78, packet, 0, HEADER, payloadLength + 16), "wrong packet number");
            packet.put(0, sealed);
            assertFalse(opener.open(77, packet, 0, HEADER, payloadLength + 15), "truncated");
            packet.put(0, sealed);
            assertTrue(opener.open(77, packet, 0, HEADER, payloadLength + 16));
            final byte[] opened = new byte[payloadLength];
            packet.get(HEADER, opened);
            assertArrayEquals(payload, opened);
        }
    }

    @ParameterizedTest
    @EnumSource(AeadImplementation.class)
    void reKeyingChangesTheCiphertext(final AeadImplementation implementation)
    {
        assumeAvailable(implementation);
        final AeadCipher cipher = implementation.newCipher(AeadAlgorithm.AES_128_GCM);
        final ByteBuffer first = ByteBuffer.allocate(HEADER + 32 + 16);
        final ByteBuffer second = ByteBuffer.allocate(HEADER + 32 + 16);
        cipher.init(new byte[16], new byte[12]);
        cipher.seal(1, first, 0, HEADER, 32);
        final byte[] otherKey = new byte[16];
        otherKey[0] = 1;
        cipher.init(otherKey, new byte[12]);
        cipher.seal(1, second, 0, HEADER, 32);
        assertFalse(Arrays.equals(first.array(), second.array()));
    }
}
