/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import static dev.salvo.crypto.handshake.HandshakeDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.noise.HandshakeState;
import dev.salvo.crypto.noise.NoiseException;
import dev.salvo.crypto.noise.NoiseProtocol;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Seeded random-mutation and random-bytes fuzzing of every handshake parser, bounded in
 * iterations and time. The only acceptable outcomes are a {@link HandshakeStatus} (parsers) or
 * a {@link NoiseException} (the Noise state machine); anything else fails with the seed.
 */
final class HandshakeFuzzTest
{
    private static final long SEED = Long.getLong("salvo.fuzz.seed", 0x5A17_0F00_D5EEDL);
    private static final int ITERATIONS = Integer.getInteger("salvo.fuzz.iterations", 20_000);
    private static final long TIME_LIMIT_NS = TimeUnit.SECONDS.toNanos(3);

    @Test
    void handshakeParsersOnlyReturnDocumentedOutcomes()
    {
        final HandshakeFixture f = new HandshakeFixture(
            new HandshakeSettings().rateLimitPerSecond(1_000_000).rateLimitBurst(1_000_000)
                .failureThreshold(Integer.MAX_VALUE),
            PeerAuthorizer.ALLOW_ALL);
        final Random random = new Random(SEED);

        final InitiatorHandshake seedHandshake = f.newHandshake();
        final byte[] initiation = new byte[INITIATION_LENGTH];
        seedHandshake.writeInitiation(new UnsafeBuffer(initiation), 0);
        f.wire.putBytes(0, initiation);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
        final byte[] response = new byte[RESPONSE_LENGTH];
        f.reply.getBytes(0, response);
        f.underLoad.set(true);
        final InitiatorHandshake cookieTarget = f.newHandshake();
        cookieTarget.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.COOKIE_REPLY, f.deliverInitiation(INITIATION_LENGTH));
        final byte[] cookieReply = new byte[COOKIE_REPLY_LENGTH];
        f.reply.getBytes(0, cookieReply);
        f.underLoad.set(false);

        final Map<HandshakeStatus, Integer> seen = new EnumMap<>(HandshakeStatus.class);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final byte[] address = { 10, 1, 2, 3 };
        final long deadline = System.nanoTime() + TIME_LIMIT_NS;
        int iteration = 0;
        for (; iteration < ITERATIONS && System.nanoTime() - deadline < 0; iteration++)
        {
            final int kind = random.nextInt(4);
            final byte[] input;
            switch (kind)
            {
                case 0:
                    input = mutate(random, initiation);
                    if (random.nextBoolean() && input.length == INITIATION_LENGTH)
                    {
                        f.fixMac1(input);
                    }
                    break;
                case 1:
                    input = mutate(random, response);
                    break;
                case 2:
                    input = mutate(random, cookieReply);
                    break;
                default:
                    input = new byte[random.nextInt(200)];
                    random.nextBytes(input);
                    if (input.length > 0 && random.nextBoolean())
                    {
                        input[0] = (byte)(1 + random.nextInt(3));
                    }
                    break;
            }
            buffer.putBytes(0, input);
            address[3] = (byte)iteration;
            f.underLoad.set(random.nextInt(8) == 0);
            try
            {
                record(seen, f.responder.onInitiation(
                    buffer, 0, input.length, address, 9, iteration, f.reply, 0, f.result));
                final InitiatorHandshake target = f.newHandshake();
                target.writeInitiation(f.wire, 0);
                record(seen, target.onResponse(buffer, 0, input.length));
                record(seen, target.onCookieReply(buffer, 0, input.length));
                record(seen, seedHandshake.onCookieReply(buffer, 0, input.length));
                final int type = handshakeType(buffer, 0, input.length);
                assertTrue(type == -1 || type == TYPE_INITIATION || type == TYPE_RESPONSE || type == TYPE_COOKIE_REPLY);
            }
            catch (final RuntimeException | AssertionError ex)
            {
                fail("seed " + SEED + " iteration " + iteration + " kind " + kind + ": " + ex, ex);
            }
        }
        assertTrue(iteration >= 1000, "ran " + iteration + " iterations");
        assertNotNull(seen.get(HandshakeStatus.MALFORMED));
        assertNotNull(seen.get(HandshakeStatus.BAD_MAC1));
        assertNotNull(seen.get(HandshakeStatus.AUTHENTICATION_FAILED), seen.toString());
    }

    @Test
    void noiseReadMessageOnlyThrowsNoiseException()
    {
        final Random random = new Random(SEED + 1);
        final SecureRandom secureRandom = new SecureRandom();
        final StaticKeyPair responder = StaticKeyPair.generate(secureRandom);
        final StaticKeyPair initiator = StaticKeyPair.generate(secureRandom);
        final NoiseProtocol[] protocols = {
            NoiseProtocol.parse("Noise_IK_25519_AESGCM_SHA256"),
            NoiseProtocol.parse("Noise_XX_25519_AESGCM_SHA256"),
            NoiseProtocol.parse("Noise_NN_25519_AESGCM_SHA256"),
        };
        final byte[] payload = new byte[256];
        final long deadline = System.nanoTime() + TIME_LIMIT_NS;
        int rejected = 0;
        for (int i = 0; i < 3_000 && System.nanoTime() - deadline < 0; i++)
        {
            final NoiseProtocol protocol = protocols[random.nextInt(protocols.length)];
            final HandshakeState state = new HandshakeState(protocol, false, new byte[0], secureRandom);
            if (protocol.pattern().name().startsWith("IK") || protocol.pattern().name().startsWith("XX"))
            {
                state.setLocalStaticKeyPair(responder.privateKey(), null);
            }
            state.start();
            final byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            try
            {
                state.readMessage(message, 0, message.length, payload, 0);
            }
            catch (final NoiseException expected)
            {
                rejected++;
            }
            catch (final RuntimeException ex)
            {
                fail("seed " + SEED + " iteration " + i + " " + protocol + " length " + message.length + ": " + ex, ex);
            }
        }
        assertTrue(rejected > 0);
        assertNotNull(initiator.publicKey());
    }

    private static void record(final Map<HandshakeStatus, Integer> seen, final HandshakeStatus status)
    {
        assertNotNull(status);
        seen.merge(status, 1, Integer::sum);
    }

    private static byte[] mutate(final Random random, final byte[] original)
    {
        byte[] result = original.clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.nextInt(5))
            {
                case 0:
                    result[random.nextInt(result.length)] ^= (byte)(1 << random.nextInt(8));
                    break;
                case 1:
                    result[random.nextInt(result.length)] = (byte)random.nextInt(256);
                    break;
                case 2:
                    result = java.util.Arrays.copyOf(result, random.nextInt(result.length + 1));
                    if (0 == result.length)
                    {
                        return result;
                    }
                    break;
                case 3:
                    result = java.util.Arrays.copyOf(result, result.length + 1 + random.nextInt(16));
                    break;
                default:
                    final int start = random.nextInt(result.length);
                    final int end = start + random.nextInt(result.length - start) + 1;
                    for (int i = start; i < end; i++)
                    {
                        result[i] = 0;
                    }
                    break;
            }
        }
        return result;
    }
}
