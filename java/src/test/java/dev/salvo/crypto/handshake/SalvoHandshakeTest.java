/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import static dev.salvo.crypto.handshake.HandshakeDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.StaticKeyPair;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

final class SalvoHandshakeTest
{
    @Test
    void roundTripYieldsMatchingSecrets()
    {
        final HandshakeFixture f = new HandshakeFixture();
        f.responder.localOptions(0x33);
        final InitiatorHandshake handshake = f.newHandshake();
        final int length = handshake.writeInitiation(f.wire, 0);
        assertEquals(INITIATION_LENGTH, length);
        assertEquals(TYPE_INITIATION, handshakeType(f.wire, 0, length));

        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
        final int replyLength = f.result.replyLength();
        assertEquals(RESPONSE_LENGTH, replyLength);
        assertTrue(replyLength <= length, "response never larger than the request");
        assertEquals(TYPE_RESPONSE, handshakeType(f.reply, 0, replyLength));
        assertEquals(handshake.localIndex(), receiverIndex(f.reply, 0, TYPE_RESPONSE));

        assertEquals(HandshakeStatus.ACCEPTED, handshake.onResponse(f.reply, 0, replyLength));
        assertTrue(handshake.isComplete());

        final SessionSecrets initiatorSecrets = handshake.secrets();
        final SessionSecrets responderSecrets = f.result.secrets();
        assertTrue(initiatorSecrets.isInitiator());
        assertFalse(responderSecrets.isInitiator());
        assertArrayEquals(initiatorSecrets.sendSecret(), responderSecrets.receiveSecret());
        assertArrayEquals(initiatorSecrets.receiveSecret(), responderSecrets.sendSecret());
        assertFalse(MessageDigest.isEqual(initiatorSecrets.sendSecret(), initiatorSecrets.receiveSecret()));
        assertArrayEquals(initiatorSecrets.handshakeHash(), responderSecrets.handshakeHash());

        assertArrayEquals(f.initiatorIdentity.publicKey(), f.result.peerStaticKey());
        assertEquals(handshake.localIndex(), f.result.peerIndex());
        assertEquals(f.result.localIndex(), handshake.remoteIndex());
        assertEquals(0x5a, f.result.peerOptions());
        assertEquals(0x33, handshake.remoteOptions());
        assertEquals(SESSION_PROTOCOL_VERSION, handshake.version());
        assertEquals(SESSION_PROTOCOL_VERSION, f.result.version());
        assertEquals(f.epochNs[0], f.result.timestamp());
        // IK: responder es, ss, ee, se; initiator es, ss, ee, se.
        assertEquals(4, f.responderDh.dhCalls);
        assertEquals(4, f.initiatorDh.dhCalls);
    }

    @Test
    void freshHandshakesGiveFreshSecrets()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final byte[][] sendSecrets = new byte[2][];
        for (int i = 0; i < 2; i++)
        {
            final InitiatorHandshake handshake = f.newHandshake();
            final int length = handshake.writeInitiation(f.wire, 0);
            assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
            assertEquals(HandshakeStatus.ACCEPTED, handshake.onResponse(f.reply, 0, f.result.replyLength()));
            sendSecrets[i] = handshake.secrets().sendSecret();
        }
        assertFalse(MessageDigest.isEqual(sendSecrets[0], sendSecrets[1]), "ephemeral keys make each session new");
    }

    @Test
    void wrongResponderKeyFailsWithoutDh()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final byte[] someoneElse = StaticKeyPair.generate(f.random).publicKey();
        final InitiatorHandshake handshake = f.initiator.newHandshake(someoneElse, 7, 0);
        final int length = handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.BAD_MAC1, f.deliverInitiation(length));
        assertEquals(0, f.result.replyLength());
        assertEquals(0, f.responderDh.scalarMultiplications());
        assertEquals(1, f.responder.count(HandshakeStatus.BAD_MAC1));
    }

    @Test
    void wrongResponderKeyWithValidMac1FailsAuthentication()
    {
        // An initiation encrypted to another key but carrying a MAC1 for this responder.
        final HandshakeFixture f = new HandshakeFixture();
        final InitiatorHandshake handshake =
            f.initiator.newHandshake(StaticKeyPair.generate(f.random).publicKey(), 7, 0);
        final byte[] initiation = new byte[INITIATION_LENGTH];
        handshake.writeInitiation(new UnsafeBuffer(initiation), 0);
        f.fixMac1(initiation);
        f.wire.putBytes(0, initiation);
        assertEquals(HandshakeStatus.AUTHENTICATION_FAILED, f.deliverInitiation(INITIATION_LENGTH));
        assertNull(f.result.secrets());
        assertEquals(0, f.result.replyLength());
    }

    @Test
    void unknownInitiatorIsRejectedByPolicy()
    {
        final StaticKeyPair allowed = StaticKeyPair.generate();
        final HandshakeFixture f = new HandshakeFixture(
            new HandshakeSettings(), (key) -> MessageDigest.isEqual(key, allowed.publicKey()));
        final InitiatorHandshake handshake = f.newHandshake();
        final int length = handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.PEER_REJECTED, f.deliverInitiation(length));
        assertEquals(0, f.result.replyLength());
        assertNull(f.result.secrets());
        assertFalse(handshake.isComplete());
        assertTrue(handshake.isAwaitingResponse());
    }

    @Test
    void initiatorRejectsResponseFromWrongResponderKey()
    {
        // The responder answering is not the one the initiator meant: its response cannot decrypt.
        final HandshakeFixture f = new HandshakeFixture();
        final HandshakeFixture other = new HandshakeFixture();
        final InitiatorHandshake toOther = f.initiator.newHandshake(other.responderIdentity.publicKey(), 9, 0);
        final int length = toOther.writeInitiation(f.wire, 0);
        other.wire.putBytes(0, f.wire, 0, length);
        assertEquals(HandshakeStatus.ACCEPTED, other.deliverInitiation(length));

        final InitiatorHandshake handshake = f.newHandshake();
        handshake.writeInitiation(f.wire, 0);
        // Splice the other responder's response onto this handshake's index.
        final byte[] response = new byte[RESPONSE_LENGTH];
        other.reply.getBytes(0, response);
        HandshakeResponder.putInt(response, RESPONSE_RECEIVER_INDEX_OFFSET, handshake.localIndex());
        final HandshakeMacs macs = new HandshakeMacs();
        final byte[] key = new byte[32];
        macs.deriveKey(HandshakeMacs.MAC1_LABEL, f.initiatorIdentity.publicKey(), key);
        macs.mac(key, 32, response, 0, RESPONSE_MAC1_OFFSET, response, RESPONSE_MAC1_OFFSET);
        assertEquals(HandshakeStatus.AUTHENTICATION_FAILED, handshake.onResponse(new UnsafeBuffer(response), 0, RESPONSE_LENGTH));
        assertFalse(handshake.isComplete());
        assertNull(handshake.secrets());
    }

    @Test
    void everyTruncationIsMalformed()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final int length = f.newHandshake().writeInitiation(f.wire, 0);
        for (int n = 0; n < length; n++)
        {
            assertEquals(HandshakeStatus.MALFORMED, f.deliverInitiation(n), "length " + n);
        }
        assertEquals(HandshakeStatus.MALFORMED, f.deliverInitiation(length + 1));
        assertEquals(0, f.responderDh.scalarMultiplications());
    }

    @Test
    void everyTamperedByteIsRejected()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final byte[] original = new byte[INITIATION_LENGTH];
        f.newHandshake().writeInitiation(new UnsafeBuffer(original), 0);
        for (int i = 0; i < INITIATION_MAC2_OFFSET; i++)
        {
            final byte[] tampered = original.clone();
            tampered[i] ^= 0x10;
            f.wire.putBytes(0, tampered);
            final HandshakeStatus plain = f.deliverInitiation(INITIATION_LENGTH);
            assertTrue(plain.isRejection(), "byte " + i + ": " + plain);
            if (i < HEADER_LENGTH)
            {
                assertEquals(HandshakeStatus.MALFORMED, plain, "byte " + i);
                continue;
            }
            assertEquals(HandshakeStatus.BAD_MAC1, plain, "byte " + i);
            if (i < INITIATION_MAC1_OFFSET)
            {
                // An attacker who knows the responder key can fix MAC1; then Noise must catch it.
                f.fixMac1(tampered);
                f.wire.putBytes(0, tampered);
                // The cleartext sender index is repeated inside the encrypted payload, so altering it
                // fails as surely as altering the Noise message.
                // Each forgery comes from its own address so failure blocking does not mask the result.
                final byte[] source = { 10, 0, (byte)(i >>> 8), (byte)i };
                assertEquals(HandshakeStatus.AUTHENTICATION_FAILED,
                    f.deliverInitiation(INITIATION_LENGTH, source, HandshakeFixture.PORT), "byte " + i);
            }
        }
        f.wire.putBytes(0, original);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(INITIATION_LENGTH), "original still accepted");
    }

    @Test
    void alteredResponderIndexIsRejected()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final InitiatorHandshake handshake = f.newHandshake();
        final int length = handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
        final byte[] response = new byte[RESPONSE_LENGTH];
        f.reply.getBytes(0, response);
        response[RESPONSE_SENDER_INDEX_OFFSET] ^= 1;
        final HandshakeMacs macs = new HandshakeMacs();
        final byte[] key = new byte[32];
        macs.deriveKey(HandshakeMacs.MAC1_LABEL, f.initiatorIdentity.publicKey(), key);
        macs.mac(key, 32, response, 0, RESPONSE_MAC1_OFFSET, response, RESPONSE_MAC1_OFFSET);
        assertEquals(HandshakeStatus.AUTHENTICATION_FAILED, handshake.onResponse(new UnsafeBuffer(response), 0, RESPONSE_LENGTH));
        assertNull(handshake.secrets());
    }

    @Test
    void replayedInitiationCreatesNoSecondSession()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final InitiatorHandshake handshake = f.newHandshake();
        final int length = handshake.writeInitiation(f.wire, 0);
        final byte[] captured = f.wireBytes(length);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
        f.wire.putBytes(0, captured);
        assertEquals(HandshakeStatus.REPLAYED, f.deliverInitiation(length));
        assertEquals(0, f.result.replyLength());
        assertNull(f.result.secrets());

        // An older initiation delivered after a newer one is a replay too.
        f.epochNs[0] += 1_000;
        final InitiatorHandshake older = f.newHandshake();
        older.writeInitiation(f.wire, 0);
        final byte[] olderBytes = f.wireBytes(length);
        f.epochNs[0] += 1_000;
        f.newHandshake().writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
        f.wire.putBytes(0, olderBytes);
        assertEquals(HandshakeStatus.REPLAYED, f.deliverInitiation(length));
        assertEquals(1, f.responder.replayTableSize());
    }

    @Test
    void timestampsStayMonotonicWhenTheWallClockStalls()
    {
        final HandshakeFixture f = new HandshakeFixture();
        // The epoch clock never moves: each initiation still carries a newer timestamp.
        for (int i = 0; i < 3; i++)
        {
            final int length = f.newHandshake().writeInitiation(f.wire, 0);
            assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length), "initiation " + i);
        }
    }

    @Test
    void tamperedOrMisroutedResponseIsRejected()
    {
        final HandshakeFixture f = new HandshakeFixture();
        final InitiatorHandshake handshake = f.newHandshake();
        final int length = handshake.writeInitiation(f.wire, 0);
        assertEquals(HandshakeStatus.ACCEPTED, f.deliverInitiation(length));
        final byte[] response = new byte[RESPONSE_LENGTH];
        f.reply.getBytes(0, response);

        for (int n = 0; n < RESPONSE_LENGTH; n++)
        {
            assertEquals(HandshakeStatus.MALFORMED, handshake.onResponse(new UnsafeBuffer(response), 0, n));
        }
        final byte[] wrongIndex = response.clone();
        wrongIndex[RESPONSE_RECEIVER_INDEX_OFFSET + 3] ^= 1;
        assertEquals(HandshakeStatus.UNEXPECTED, handshake.onResponse(new UnsafeBuffer(wrongIndex), 0, RESPONSE_LENGTH));
        final byte[] badMac = response.clone();
        badMac[RESPONSE_NOISE_OFFSET + 40] ^= 1;
        assertEquals(HandshakeStatus.BAD_MAC1, handshake.onResponse(new UnsafeBuffer(badMac), 0, RESPONSE_LENGTH));
        assertTrue(handshake.isAwaitingResponse(), "cheap rejections leave the attempt alive");

        // The untouched initiation is still accepted after all those forgeries: none was recorded.
        assertEquals(HandshakeStatus.ACCEPTED, handshake.onResponse(new UnsafeBuffer(response), 0, RESPONSE_LENGTH));
        assertEquals(HandshakeStatus.UNEXPECTED, handshake.onResponse(new UnsafeBuffer(response), 0, RESPONSE_LENGTH));
        assertNotNull(handshake.secrets());
    }
}
