/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.security.SecureRandom;

import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.noise.DhFunction;
import dev.salvo.crypto.noise.NoiseProtocol;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

/**
 * The initiator side of Salvo's IK handshake for one local identity: a factory of
 * {@link InitiatorHandshake}s (one per connection attempt) sharing the identity, the clocks and
 * the strictly increasing initiation timestamp that lets responders reject replays.
 * Single-threaded.
 */
public final class HandshakeInitiator
{
    final byte[] staticPrivate;
    final byte[] staticPublic;
    final HandshakeSettings settings;
    final NanoClock clock;
    final SecureRandom random;
    final NoiseProtocol protocol;
    final HandshakeMacs macs = new HandshakeMacs();
    final XChaCha20Poly1305 cookieCipher = new XChaCha20Poly1305();
    final byte[] ownMac1Key = new byte[32];
    private final EpochNanoClock epochClock;
    private long lastTimestamp;

    /**
     * @param identity   this side's static key pair (the private key is copied).
     * @param settings   thresholds (cookie lifetime).
     * @param clock      monotonic clock (cookie age).
     * @param epochClock wall clock for initiation timestamps (nanoseconds since the Unix epoch).
     * @param random     randomness for ephemeral keys.
     */
    public HandshakeInitiator(
        final StaticKeyPair identity,
        final HandshakeSettings settings,
        final NanoClock clock,
        final EpochNanoClock epochClock,
        final SecureRandom random)
    {
        this(identity, settings, clock, epochClock, random, null);
    }

    /**
     * As the other constructor, with the DH function replaced (e.g. by a counting wrapper).
     *
     * @param dh the DH function, or null for X25519.
     */
    public HandshakeInitiator(
        final StaticKeyPair identity,
        final HandshakeSettings settings,
        final NanoClock clock,
        final EpochNanoClock epochClock,
        final SecureRandom random,
        final DhFunction dh)
    {
        this.staticPrivate = identity.privateKey();
        this.staticPublic = identity.publicKey();
        this.settings = settings;
        this.clock = clock;
        this.epochClock = epochClock;
        this.random = random;
        final NoiseProtocol base = NoiseProtocol.parse(HandshakeDescriptor.PROTOCOL_NAME);
        this.protocol = null == dh ? base : base.withDh(dh);
        macs.deriveKey(HandshakeMacs.MAC1_LABEL, staticPublic, ownMac1Key);
    }

    /**
     * Starts a handshake attempt with a responder.
     *
     * @param responderStaticKey the responder's 32-byte static public key (copied): whom to reach.
     * @param localIndex         this side's session index for the new session: the responder echoes
     *                           it as receiver index in its response and puts it on data packets.
     * @param options            options byte for the session layer (sent encrypted).
     * @return the attempt; call {@link InitiatorHandshake#writeInitiation} to produce the datagram.
     */
    public InitiatorHandshake newHandshake(final byte[] responderStaticKey, final int localIndex, final int options)
    {
        if (null == responderStaticKey || HandshakeDescriptor.KEY_LENGTH != responderStaticKey.length)
        {
            throw new IllegalArgumentException("a static key is 32 bytes");
        }
        return new InitiatorHandshake(this, responderStaticKey.clone(), localIndex, options & 0xff);
    }

    /** @return a copy of this side's static public key. */
    public byte[] staticPublicKey()
    {
        return staticPublic.clone();
    }

    long nextTimestamp()
    {
        final long now = epochClock.nanoTime();
        lastTimestamp = Long.compareUnsigned(now, lastTimestamp) > 0 ? now : lastTimestamp + 1;
        return lastTimestamp;
    }
}
