/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import static dev.salvo.crypto.handshake.HandshakeDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

final class DosDefenceTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void floodOfForgedInitiationsCostsNoDhAndNoState()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final Random random = new Random(42);
        final byte[] forged = new byte[INITIATION_LENGTH];
        final byte[] address = new byte[16];
        for (int i = 0; i < 200_000; i++)
        {
            random.nextBytes(forged);
            forged[0] = TYPE_INITIATION;
            forged[1] = 0;
            forged[2] = 0;
            forged[3] = 0;
            random.nextBytes(address);
            f.wire.putBytes(0, forged);
            assertEquals(HandshakeStatus.BAD_MAC1, f.deliverInitiation(INITIATION_LENGTH, address, i & 0xffff));
        }
        assertEquals(0, f.responderDh.scalarMultiplications());
        assertEquals(0, f.responder.addressTableSize());
        assertEquals(0, f.responder.replayTableSize());
        assertEquals(200_000, f.responder.count(HandshakeStatus.BAD_MAC1));
    }

    @Test
    void floodWithValidMac1FromManyAddressesKeepsTablesBounded()
    {
        final HandshakeSettings settings = new HandshakeSettings()
            .addressTableCapacity(256).underLoadInitiationsPerSecond(Integer.MAX_VALUE);
        final HandshakeFixture f = new HandshakeFixture(settings, PeerAuthorizer.ALLOW_ALL);
        final Random random = new Random(7);
        final byte[] forged = new byte[INITIATION_LENGTH];
        final byte[] address = new byte[4];
        for (int i = 0; i < 5_000; i++)
        {
            random.nextBytes(forged);
            forged[0] = TYPE_INITIATION;
            forged[1] = 0;
            forged[2] = 0;
            forged[3] = 0;
            f.fixMac1(forged);
            random.nextBytes(address);
            f.wire.putBytes(0, forged);
            final HandshakeStatus status = f.deliverInitiation(INITIATION_LENGTH, address, 1);
            assertTrue(status.isRejection(), status.toString());
            assertTrue(f.responder.addressTableSize() <= 256);
            f.nowNs[0] += MS;
        }
        assertEquals(256, f.responder.addressTableCapacity());
        assertEquals(0, f.responder.replayTableSize());
        // A legitimate initiation still gets through.
        final int length = f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
    }

    @Test
    void underLoadSignalDemandsCookieAndRetryWithMac2IsAccepted()
    {
        final HandshakeFixture f = new HandshakeFixture();
        f.underLoad.set(true);
        final InitiatorHandshake handshake = f.newHandshake();
        int length = handshake.writeInitiation(f.wire, 0);

        assertEquals(HandshakeStatus.COOKIE_REPLY, f.deliverInitiation(length));
        assertEquals(0, f.responderDh.scalarMultiplications(), "no DH before MAC2");
        final int cookieLength = f.result.replyLength();
        assertEquals(COOKIE_REPLY_LENGTH, cookieLength);
        assertTrue(cookieLength <= length, "cookie reply never larger than the request");
        assertEquals(TYPE_COOKIE_REPLY, handshakeType(f.reply, 0, cookieLength));
        assertEquals(handshake.localIndex(), receiverIndex(f.reply, 0, TYPE_COOKIE_REPLY));

        assertEquals(HandshakeStatus.COOKIE_STORED, handshake.onCookieReply(f.reply, 0, cookieLength));
        assertTrue(handshake.hasFreshCookie());
        length = handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
        assertEquals(HandshakeStatus.ACCEPTED, handshake.onResponse(f.reply, 0, f.result.replyLength()));
    }

    @Test
    void badMac2UnderLoadIsAnsweredWithCookieWithoutDh()
    {
        final HandshakeFixture f = new HandshakeFixture();
        f.underLoad.set(true);
        final InitiatorHandshake handshake = f.newHandshake();
        handshake.writeInitiation(f.wire, 0);
        f.deliverInitiation(INITIATION_LENGTH);
        handshake.onCookieReply(f.reply, 0, f.result.replyLength());

        handshake.writeInitiation(f.wire, 0);
        final byte[] tampered = f.wireBytes(INITIATION_LENGTH);
        tampered[INITIATION_MAC2_OFFSET + 5] ^= 1;
        f.wire.putBytes(0, tampered);
        assertEquals(HandshakeStatus.COOKIE_REPLY, f.deliverInitiation(INITIATION_LENGTH));
        assertEquals(0, f.responderDh.scalarMultiplications());

        // A valid MAC2 from another address or port does not count: the cookie binds the source.
        handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.COOKIE_REPLY,
            f.deliverInitiation(INITIATION_LENGTH, HandshakeFixture.ADDRESS, HandshakeFixture.PORT + 1));
        assertEquals(HandshakeStatus.COOKIE_REPLY,
            f.deliverInitiation(INITIATION_LENGTH, new byte[]{ 127, 0, 0, 2 }, HandshakeFixture.PORT));
        assertEquals(0, f.responderDh.scalarMultiplications());
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
    }

    @Test
    void cookieExpiresWithTheResponderSecret()
    {
        final HandshakeFixture f = new HandshakeFixture();
        f.underLoad.set(true);
        final InitiatorHandshake handshake = f.newHandshake();
        handshake.writeInitiation(f.wire, 0);
        f.deliverInitiation(INITIATION_LENGTH);
        handshake.onCookieReply(f.reply, 0, f.result.replyLength());

        f.nowNs[0] += f.settings.cookieSecretLifetimeNs();
        handshake.writeInitiation(f.wire, 0);
        assertFalse(handshake.hasFreshCookie(), "initiator stops using the cookie before the secret rotates");
        assertEquals(HandshakeStatus.COOKIE_REPLY, f.deliverInitiation(INITIATION_LENGTH));
        assertEquals(HandshakeStatus.COOKIE_STORED, handshake.onCookieReply(f.reply, 0, f.result.replyLength()));
        handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
    }

    @Test
    void forgedCookieReplyIsRejected()
    {
        final HandshakeFixture f = new HandshakeFixture();
        f.underLoad.set(true);
        final InitiatorHandshake handshake = f.newHandshake();
        handshake.writeInitiation(f.wire, 0);
        f.deliverInitiation(INITIATION_LENGTH);
        final byte[] cookieReply = new byte[COOKIE_REPLY_LENGTH];
        f.reply.getBytes(0, cookieReply);
        for (int i = COOKIE_NONCE_OFFSET; i < COOKIE_REPLY_LENGTH; i++)
        {
            final byte[] tampered = cookieReply.clone();
            tampered[i] ^= 1;
            assertEquals(HandshakeStatus.AUTHENTICATION_FAILED,
                handshake.onCookieReply(new UnsafeBuffer(tampered), 0, COOKIE_REPLY_LENGTH), "byte " + i);
        }
        assertFalse(handshake.hasFreshCookie());
        // A cookie reply for an older initiation (different MAC1) does not open either.
        handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.AUTHENTICATION_FAILED,
            handshake.onCookieReply(new UnsafeBuffer(cookieReply), 0, COOKIE_REPLY_LENGTH));
    }

    @Test
    void loadDetectedFromInitiationRate()
    {
        final HandshakeSettings settings = new HandshakeSettings()
            .underLoadInitiationsPerSecond(3).rateLimitPerSecond(1000).rateLimitBurst(1000);
        final HandshakeFixture f = new HandshakeFixture(settings, PeerAuthorizer.ALLOW_ALL);
        for (int i = 0; i < 3; i++)
        {
            f.newHandshake().writeInitiation(f.wire, 0);
            assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
            f.nowNs[0] += MS;
        }
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.COOKIE_REPLY, f.deliverInitiation(INITIATION_LENGTH));
        assertTrue(f.responder.isUnderLoad());
        // The load state holds for underLoadHoldNs, then lapses.
        f.nowNs[0] += settings.underLoadHoldNs() + MS;
        assertFalse(f.responder.isUnderLoad());
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
    }

    @Test
    void perAddressRateLimitWithFakeClock()
    {
        final HandshakeSettings settings = new HandshakeSettings().rateLimitPerSecond(20).rateLimitBurst(5);
        final HandshakeFixture f = new HandshakeFixture(settings, PeerAuthorizer.ALLOW_ALL);
        for (int i = 0; i < 5; i++)
        {
            f.newHandshake().writeInitiation(f.wire, 0);
            assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH), "burst " + i);
        }
        final long dhBefore = f.responderDh.scalarMultiplications();
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.RATE_LIMITED, f.deliverInitiation(INITIATION_LENGTH));
        assertEquals(dhBefore, f.responderDh.scalarMultiplications(), "no DH when rate limited");
        // Same host, other port: same bucket. Other host: own bucket.
        assertEquals(HandshakeStatus.RATE_LIMITED,
            f.deliverInitiation(INITIATION_LENGTH, HandshakeFixture.ADDRESS, HandshakeFixture.PORT + 7));
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH, new byte[]{ 127, 0, 0, 9 }, 1));

        // 20 per second = one token per 50 ms.
        f.nowNs[0] += 49 * MS;
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.RATE_LIMITED, f.deliverInitiation(INITIATION_LENGTH));
        f.nowNs[0] += 2 * MS;
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
        assertEquals(HandshakeStatus.RATE_LIMITED, f.deliverInitiation(INITIATION_LENGTH));
    }

    @Test
    void ipv6RateLimitIsPerSlash64()
    {
        final HandshakeSettings settings = new HandshakeSettings().rateLimitPerSecond(1).rateLimitBurst(1);
        final HandshakeFixture f = new HandshakeFixture(settings, PeerAuthorizer.ALLOW_ALL);
        final byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[15] = 1;
        final byte[] sameSlash64 = a.clone();
        sameSlash64[15] = 2;
        final byte[] otherSlash64 = a.clone();
        otherSlash64[7] = 1;
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH, a, 1));
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.RATE_LIMITED, f.deliverInitiation(INITIATION_LENGTH, sameSlash64, 1));
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH, otherSlash64, 1));
    }

    @Test
    void repeatedAuthenticationFailuresBlockTheAddress()
    {
        final HandshakeSettings settings = new HandshakeSettings()
            .failureThreshold(3).blockDurationNs(TimeUnit.SECONDS.toNanos(30)).rateLimitPerSecond(1000)
            .rateLimitBurst(1000);
        final HandshakeFixture f = new HandshakeFixture(settings, PeerAuthorizer.ALLOW_ALL);
        final Random random = new Random(3);
        final byte[] forged = new byte[INITIATION_LENGTH];
        for (int i = 0; i < 3; i++)
        {
            random.nextBytes(forged);
            forged[0] = TYPE_INITIATION;
            forged[1] = 0;
            forged[2] = 0;
            forged[3] = 0;
            f.fixMac1(forged);
            f.wire.putBytes(0, forged);
            assertEquals(HandshakeStatus.AUTHENTICATION_FAILED, f.deliverInitiation(INITIATION_LENGTH));
        }
        final long dhBefore = f.responderDh.scalarMultiplications();
        assertEquals(HandshakeStatus.ADDRESS_BLOCKED, f.deliverInitiation(INITIATION_LENGTH));
        // Even a genuine initiation from the blocked address is ignored, at no DH cost.
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ADDRESS_BLOCKED, f.deliverInitiation(INITIATION_LENGTH));
        assertEquals(dhBefore, f.responderDh.scalarMultiplications());
        // Other addresses are unaffected; the block lapses.
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH, new byte[]{ 127, 0, 0, 3 }, 1));
        f.nowNs[0] += TimeUnit.SECONDS.toNanos(31);
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH));
    }
}
