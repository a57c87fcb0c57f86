/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.packet;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.aead.AeadAlgorithm;
import dev.salvo.crypto.aead.AeadCipherFactory;
import dev.salvo.crypto.aead.AeadImplementation;
import dev.salvo.crypto.aead.NativeAeadCipher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.params.provider.Arguments;

/** Builds both ends of a session from a matching pair of {@link SessionSecrets}. */
final class TestSessions
{
    static final int INITIATOR_SESSION_ID = 0x1A2B3C4D;
    static final int RESPONDER_SESSION_ID = 0xF1E2D3C4;

    final PacketProtection initiator;
    final PacketProtection responder;

    private TestSessions(final PacketProtection initiator, final PacketProtection responder)
    {
        this.initiator = initiator;
        this.responder = responder;
    }

    static TestSessions create(final long seed, final Supplier<PacketProtectionSettings> settings)
    {
        final Random random = new Random(seed);
        final byte[] i2r = new byte[32];
        final byte[] r2i = new byte[32];
        final byte[] hash = new byte[32];
        random.nextBytes(i2r);
        random.nextBytes(r2i);
        random.nextBytes(hash);
        final SessionSecrets initiatorSecrets = new SessionSecrets(i2r, r2i, hash, true);
        final SessionSecrets responderSecrets = new SessionSecrets(r2i, i2r, hash, false);
        return new TestSessions(
            PacketProtection.create(initiatorSecrets, INITIATOR_SESSION_ID, RESPONDER_SESSION_ID, settings.get()),
            PacketProtection.create(responderSecrets, RESPONDER_SESSION_ID, INITIATOR_SESSION_ID, settings.get()));
    }

    static PacketProtectionSettings settings(
        final AeadCipherFactory implementation, final AeadAlgorithm algorithm, final NanoClock clock)
    {
        assumeNativeIfNamed(implementation);
        return new PacketProtectionSettings().implementation(implementation).algorithm(algorithm).clock(clock);
    }

    /** Skips the calling test where {@code implementation} is the native AEAD and it cannot load here. */
    static void assumeNativeIfNamed(final AeadCipherFactory implementation)
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(
            AeadImplementation.NATIVE != implementation || NativeAeadCipher.isAvailable(),
            () -> "native AEAD unavailable: " + NativeAeadCipher.description());
    }

    /** Every implementation × algorithm combination (NATIVE ones skip where it is unavailable). */
    static List<Arguments> implementations()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final AeadImplementation implementation : AeadImplementation.values())
        {
            for (final AeadAlgorithm algorithm : AeadAlgorithm.values())
            {
                arguments.add(Arguments.of(implementation, algorithm));
            }
        }
        return arguments;
    }

    /** Writes a recognisable payload for packet {@code tag} at {@code at}. */
    static void fillPayload(final ByteBuffer buffer, final int at, final int length, final long tag)
    {
        for (int i = 0; i < length; i++)
        {
            buffer.put(at + i, (byte)(tag * 31 + i));
        }
    }

    static boolean payloadMatches(final ByteBuffer buffer, final int at, final int length, final long tag)
    {
        for (int i = 0; i < length; i++)
        {
            if (buffer.get(at + i) != (byte)(tag * 31 + i))
            {
                return false;
            }
        }
        return true;
    }

    /** A clock tests move by hand. */
    static final class ManualClock implements NanoClock
    {
        long nowNs = 1_000_000_000L;

        public long nanoTime()
        {
            return nowNs;
        }
    }
}
