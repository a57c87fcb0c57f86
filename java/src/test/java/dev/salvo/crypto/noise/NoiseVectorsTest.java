/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every cacophony vector for {@code 25519_AESGCM_SHA256} in
 * {@code noise-25519-aesgcm-sha256.json} (a copy of the shared vectors file): handshake messages,
 * transport messages after Split(), and the handshake hash, in both roles.
 */
final class NoiseVectorsTest
{
    private static final String RESOURCE = "/noise-25519-aesgcm-sha256.json";
    private static final HexFormat HEX = HexFormat.of();

    @SuppressWarnings("unchecked")
    static Stream<Arguments> vectors() throws IOException
    {
        final String json;
        try (InputStream in = NoiseVectorsTest.class.getResourceAsStream(RESOURCE))
        {
            assertNotNull(in, RESOURCE + " missing from test resources");
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Map<String, Object> root = (Map<String, Object>)MiniJson.parse(json);
        final List<Object> vectors = (List<Object>)root.get("vectors");
        final List<Arguments> result = new ArrayList<>();
        for (final Object vector : vectors)
        {
            final Map<String, Object> map = (Map<String, Object>)vector;
            result.add(Arguments.of(map.get("protocol_name"), map));
        }
        return result.stream();
    }

    @Test
    void fileCoversEveryPatternWeKnow() throws IOException
    {
        final List<String> names = new ArrayList<>();
        vectors().forEach((args) -> names.add((String)args.get()[0]));
        assertEquals(59, names.size());
        for (final String base : HandshakePatterns.baseNames())
        {
            assertTrue(names.contains("Noise_" + base + "_25519_AESGCM_SHA256"), base);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(final String protocolName, final Map<String, Object> vector) throws NoiseException
    {
        final NoiseProtocol protocol = NoiseProtocol.parse(protocolName);
        final HandshakeState initiator = newState(protocol, true, vector, "init_");
        final HandshakeState responder = newState(protocol, false, vector, "resp_");

        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> messages = (List<Map<String, Object>>)vector.get("messages");
        final boolean oneWay = protocol.pattern().isOneWay();
        CipherState[] initiatorCiphers = null;
        CipherState[] responderCiphers = null;
        final byte[] buffer = new byte[65535];
        final byte[] payloadBuffer = new byte[65535];

        for (int i = 0; i < messages.size(); i++)
        {
            final byte[] payload = hex(messages.get(i).get("payload"));
            final byte[] expected = hex(messages.get(i).get("ciphertext"));
            final boolean initiatorSends = oneWay || i % 2 == 0;
            final HandshakeState sender = initiatorSends ? initiator : responder;
            final HandshakeState receiver = initiatorSends ? responder : initiator;

            if (!initiator.isComplete())
            {
                assertEquals(expected.length, sender.nextWriteLength(payload.length), "predicted length of message " + i);
                final int written = sender.writeMessage(payload, 0, payload.length, buffer, 0);
                assertArrayEquals(expected, slice(buffer, written), "handshake message " + i);
                final int read = receiver.readMessage(buffer, 0, written, payloadBuffer, 0);
                assertArrayEquals(payload, slice(payloadBuffer, read), "handshake payload " + i);
                assertEquals(initiator.isComplete(), responder.isComplete());
                if (initiator.isComplete())
                {
                    final byte[] h1 = new byte[32];
                    final byte[] h2 = new byte[32];
                    initiator.handshakeHash(h1);
                    responder.handshakeHash(h2);
                    assertArrayEquals(hex(vector.get("handshake_hash")), h1, "handshake hash");
                    assertArrayEquals(h1, h2);
                    initiatorCiphers = initiator.split();
                    responderCiphers = responder.split();
                }
            }
            else
            {
                final CipherState send = initiatorSends ? initiatorCiphers[0] : responderCiphers[0];
                final CipherState receive = initiatorSends ? responderCiphers[1] : initiatorCiphers[1];
                final int written = send.encryptWithAd(new byte[0], 0, 0, payload, 0, payload.length, buffer, 0);
                assertArrayEquals(expected, slice(buffer, written), "transport message " + i);
                final int read = receive.decryptWithAd(new byte[0], 0, 0, buffer, 0, written, payloadBuffer, 0);
                assertArrayEquals(payload, slice(payloadBuffer, read), "transport payload " + i);
            }
        }
        assertTrue(initiator.isComplete());
    }

    @ParameterizedTest(name = "{0} rejects a flipped bit")
    @MethodSource("vectors")
    void tamperedFirstEncryptedMessageFails(final String protocolName, final Map<String, Object> vector)
        throws NoiseException
    {
        final NoiseProtocol protocol = NoiseProtocol.parse(protocolName);
        final HandshakeState initiator = newState(protocol, true, vector, "init_");
        final HandshakeState responder = newState(protocol, false, vector, "resp_");
        final byte[] buffer = new byte[1024];
        final byte[] payloadBuffer = new byte[1024];
        HandshakeState sender = initiator;
        HandshakeState receiver = responder;
        // Find the first handshake message that is encrypted (has a tag) and flip its last bit.
        while (!initiator.isComplete())
        {
            final int written = sender.writeMessage(new byte[0], 0, 0, buffer, 0);
            final boolean encrypted = sender.hasCipherKey();
            if (encrypted)
            {
                buffer[written - 1] ^= 1;
                final int length = written;
                final HandshakeState target = receiver;
                assertThrows(NoiseException.class, () -> target.readMessage(buffer, 0, length, payloadBuffer, 0));
                return;
            }
            receiver.readMessage(buffer, 0, written, payloadBuffer, 0);
            final HandshakeState t = sender;
            sender = receiver;
            receiver = t;
        }
        assertFalse(true, "no encrypted handshake message in " + protocolName);
    }

    private static HandshakeState newState(
        final NoiseProtocol protocol, final boolean initiator, final Map<String, Object> vector, final String prefix)
    {
        final HandshakeState state = new HandshakeState(
            protocol, initiator, hex(vector.get(prefix + "prologue")), new SecureRandom());
        if (vector.containsKey(prefix + "static"))
        {
            state.setLocalStaticKeyPair(hex(vector.get(prefix + "static")), null);
        }
        if (vector.containsKey(prefix + "ephemeral"))
        {
            state.setLocalEphemeralPrivateKeyForTesting(hex(vector.get(prefix + "ephemeral")));
        }
        if (vector.containsKey(prefix + "remote_static"))
        {
            state.setRemoteStaticPublicKey(hex(vector.get(prefix + "remote_static")));
        }
        if (vector.containsKey(prefix + "psks"))
        {
            for (final Object psk : (List<?>)vector.get(prefix + "psks"))
            {
                state.addPsk(hex(psk));
            }
        }
        state.start();
        return state;
    }

    private static byte[] hex(final Object value)
    {
        return HEX.parseHex((String)value);
    }

    private static byte[] slice(final byte[] buffer, final int length)
    {
        final byte[] result = new byte[length];
        System.arraycopy(buffer, 0, result, 0, length);
        return result;
    }
}
