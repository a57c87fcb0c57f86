/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.salvo.crypto.aead.AeadAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeyScheduleTest
{
    private static final byte[] SECRET = new byte[32];

    static
    {
        for (int i = 0; i < SECRET.length; i++)
        {
            SECRET[i] = (byte)i;
        }
    }

    /** HKDF-Expand written independently on the JDK's HmacSHA256. */
    private static byte[] jdkExpand(final byte[] prk, final String label, final int suffix, final int length)
        throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(label.getBytes(StandardCharsets.US_ASCII));
        if (suffix >= 0)
        {
            mac.update((byte)suffix);
        }
        mac.update((byte)1);
        return Arrays.copyOf(mac.doFinal(), length);
    }

    @Test
    void matchesIndependentHkdfExpand() throws Exception
    {
        for (final AeadAlgorithm algorithm : AeadAlgorithm.values())
        {
            assertArrayEquals(
                jdkExpand(SECRET, "salvo key", algorithm.wireId(), algorithm.keyLength()), KeySchedule.key(SECRET, algorithm));
        }
        assertArrayEquals(jdkExpand(SECRET, "salvo iv", -1, 12), KeySchedule.iv(SECRET));
        assertArrayEquals(jdkExpand(SECRET, "salvo ku", -1, 32), KeySchedule.nextSecret(SECRET));
    }

    /** The values printed in docs/PROTOCOL.md §4; this test keeps the document honest. */
    @Test
    void knownAnswersFromProtocolDocument()
    {
        final HexFormat hex = HexFormat.of();
        assertEquals("e9e41350f40a598d9602b4453ca17e07",
            hex.formatHex(KeySchedule.key(SECRET, AeadAlgorithm.AES_128_GCM)));
        assertEquals("349ecc3600e40e2fbb2da9d89e3d1a7e7a8ce4ceebda377836bfbdbc4257b9eb",
            hex.formatHex(KeySchedule.key(SECRET, AeadAlgorithm.AES_256_GCM)));
        assertEquals("a9956e3f6013d87a41094819871f335fee069155e702518726c70790d0f07683",
            hex.formatHex(KeySchedule.key(SECRET, AeadAlgorithm.CHACHA20_POLY1305)));
        assertEquals("b54ba10cde64961bb5c55168", hex.formatHex(KeySchedule.iv(SECRET)));
        final byte[] secret1 = KeySchedule.nextSecret(SECRET);
        assertEquals("5e0ab604f9176d022b33b391d60298bb9e89e6812eeb0585bd78227f92cec1ef", hex.formatHex(secret1));
        assertEquals("6f7ddafe07b4430bf8562707eb7fd2b3", hex.formatHex(KeySchedule.key(secret1, AeadAlgorithm.AES_128_GCM)));
        assertEquals("ee1a1aed28735442d075aef8", hex.formatHex(KeySchedule.iv(secret1)));
    }

    @Test
    void algorithmsNeverShareKeyBytes()
    {
        final byte[] aes128 = KeySchedule.key(SECRET, AeadAlgorithm.AES_128_GCM);
        final byte[] aes256 = KeySchedule.key(SECRET, AeadAlgorithm.AES_256_GCM);
        assertEquals(false, Arrays.equals(aes128, Arrays.copyOf(aes256, 16)));
    }

    @Test
    void rejectsLongOutput()
    {
        assertThrows(IllegalArgumentException.class, () -> KeySchedule.expand(SECRET, new byte[1], 33));
    }
}
