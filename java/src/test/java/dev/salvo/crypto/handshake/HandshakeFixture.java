/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.salvo.crypto.StaticKeyPair;
import org.agrona.concurrent.UnsafeBuffer;

/** Two identities, a responder and an initiator on fake clocks, with counted DH. */
final class HandshakeFixture
{
    static final byte[] ADDRESS = { 127, 0, 0, 1 };
    static final int PORT = 40000;

    final SecureRandom random = new SecureRandom(new byte[]{ 1, 2, 3 });
    final StaticKeyPair responderIdentity = StaticKeyPair.generate(random);
    final StaticKeyPair initiatorIdentity = StaticKeyPair.generate(random);
    final long[] nowNs = { 1_000_000_000L };
    final long[] epochNs = { 1_700_000_000_000_000_000L };
    final CountingDhFunction responderDh = new CountingDhFunction();
    final CountingDhFunction initiatorDh = new CountingDhFunction();
    final AtomicBoolean underLoad = new AtomicBoolean();
    final HandshakeSettings settings;
    final HandshakeResponder responder;
    final HandshakeInitiator initiator;
    final ResponderResult result = new ResponderResult();
    final UnsafeBuffer wire = new UnsafeBuffer(new byte[2048]);
    final UnsafeBuffer reply = new UnsafeBuffer(new byte[2048]);
    int nextIndex = 100;

    HandshakeFixture()
    {
        this(new HandshakeSettings().rateLimitPerSecond(1000).rateLimitBurst(1000), PeerAuthorizer.ALLOW_ALL);
    }

    HandshakeFixture(final HandshakeSettings settings, final PeerAuthorizer authorizer)
    {
        this.settings = settings;
        responder = new HandshakeResponder(
            responderIdentity, authorizer, settings, () -> nowNs[0], random, responderDh)
            .underLoadSignal(underLoad::get);
        initiator = new HandshakeInitiator(
            initiatorIdentity, settings, () -> nowNs[0], () -> epochNs[0], random, initiatorDh);
    }

    InitiatorHandshake newHandshake()
    {
        return initiator.newHandshake(responderIdentity.publicKey(), nextIndex++, 0x5a);
    }

    HandshakeStatus deliverInitiation(final int length, final byte[] address, final int port)
    {
        return responder.onInitiation(wire, 0, length, address, port, nextIndex++, reply, 0, result);
    }

    HandshakeStatus deliverInitiation(final int length)
    {
        return deliverInitiation(length, ADDRESS, PORT);
    }

    byte[] wireBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        wire.getBytes(0, bytes);
        return bytes;
    }

    /** Recomputes MAC1 over a modified initiation, as an attacker who knows the responder key can. */
    void fixMac1(final byte[] initiation)
    {
        final HandshakeMacs macs = new HandshakeMacs();
        final byte[] key = new byte[32];
        macs.deriveKey(HandshakeMacs.MAC1_LABEL, responderIdentity.publicKey(), key);
        macs.mac(key, 32, initiation, 0, HandshakeDescriptor.INITIATION_MAC1_OFFSET, initiation,
            HandshakeDescriptor.INITIATION_MAC1_OFFSET);
    }
}
