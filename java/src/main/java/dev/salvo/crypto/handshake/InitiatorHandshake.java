/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import static dev.salvo.crypto.handshake.HandshakeDescriptor.*;

import java.util.Arrays;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.noise.HandshakeState;
import dev.salvo.crypto.noise.NoiseException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One handshake attempt from the initiator's side. Not thread-safe.
 *
 * <p>Flow: {@link #writeInitiation} and send it; route the responder's datagrams whose receiver
 * index ({@link HandshakeDescriptor#receiverIndex}) equals {@link #localIndex()} here:
 * {@link #onResponse} completes the handshake ({@link HandshakeStatus#ACCEPTED}, then
 * {@link #secrets()}); {@link #onCookieReply} stores a cookie so that the next
 * {@link #writeInitiation} (sent at once or on the retry timer) carries MAC2. Each
 * {@link #writeInitiation} starts afresh: new ephemeral key, new timestamp. A response that fails
 * authentication ends the current attempt (the state is spent); the caller retries with a new
 * initiation.
 */
public final class InitiatorHandshake
{
    private enum State
    {
        NEW, AWAITING_RESPONSE, COMPLETE, FAILED
    }

    private final HandshakeInitiator owner;
    private final byte[] responderStaticKey;
    private final int localIndex;
    private final int options;
    private final byte[] responderMac1Key = new byte[32];
    private final byte[] responderCookieKey = new byte[32];
    private final byte[] lastMac1 = new byte[MAC_LENGTH];
    private final byte[] cookie = new byte[COOKIE_LENGTH];
    private final byte[] message = new byte[INITIATION_LENGTH];
    private final byte[] payload = new byte[INITIATION_PAYLOAD_LENGTH + 16];
    private boolean hasCookie;
    private long cookieReceivedNs;

    private HandshakeState noise;
    private State state = State.NEW;
    private SessionSecrets secrets;
    private int remoteIndex;
    private int version;
    private int remoteOptions;

    InitiatorHandshake(
        final HandshakeInitiator owner, final byte[] responderStaticKey, final int localIndex, final int options)
    {
        this.owner = owner;
        this.responderStaticKey = responderStaticKey;
        this.localIndex = localIndex;
        this.options = options;
        owner.macs.deriveKey(HandshakeMacs.MAC1_LABEL, responderStaticKey, responderMac1Key);
        owner.macs.deriveKey(HandshakeMacs.COOKIE_LABEL, responderStaticKey, responderCookieKey);
    }

    /**
     * Writes a fresh initiation ({@link HandshakeDescriptor#INITIATION_LENGTH} bytes).
     *
     * @param out    destination.
     * @param offset offset in {@code out}.
     * @return bytes written.
     * @throws IllegalStateException if the handshake already completed.
     */
    public int writeInitiation(final MutableDirectBuffer out, final int offset)
    {
        if (State.COMPLETE == state)
        {
            throw new IllegalStateException("handshake already complete");
        }
        if (out.capacity() - offset < INITIATION_LENGTH)
        {
            throw new IllegalArgumentException("output buffer too small");
        }
        if (null != noise)
        {
            noise.destroy();
        }
        noise = new HandshakeState(owner.protocol, true, PROLOGUE, owner.random);
        noise.setLocalStaticKeyPair(owner.staticPrivate, owner.staticPublic);
        noise.setRemoteStaticPublicKey(responderStaticKey);
        noise.start();

        Arrays.fill(message, (byte)0);
        message[TYPE_OFFSET] = TYPE_INITIATION;
        HandshakeResponder.putInt(message, INITIATION_SENDER_INDEX_OFFSET, localIndex);
        Arrays.fill(payload, (byte)0);
        payload[PAYLOAD_VERSION_OFFSET] = (byte)SESSION_PROTOCOL_VERSION;
        payload[PAYLOAD_OPTIONS_OFFSET] = (byte)options;
        HandshakeResponder.putInt(payload, PAYLOAD_SENDER_INDEX_OFFSET, localIndex);
        HandshakeResponder.putLong(payload, PAYLOAD_TIMESTAMP_OFFSET, owner.nextTimestamp());
        try
        {
            noise.writeMessage(payload, 0, INITIATION_PAYLOAD_LENGTH, message, INITIATION_NOISE_OFFSET);
        }
        catch (final NoiseException ex)
        {
            // Only a degenerate responder static key can cause this (es/ss of zero).
            state = State.FAILED;
            throw new IllegalStateException("responder static key is degenerate", ex);
        }
        owner.macs.mac(responderMac1Key, 32, message, 0, INITIATION_MAC1_OFFSET, message, INITIATION_MAC1_OFFSET);
        System.arraycopy(message, INITIATION_MAC1_OFFSET, lastMac1, 0, MAC_LENGTH);
        if (hasCookie && owner.clock.nanoTime() - cookieReceivedNs < owner.settings.cookieLifetimeNs())
        {
            owner.macs.mac(cookie, COOKIE_LENGTH, message, 0, INITIATION_MAC2_OFFSET, message, INITIATION_MAC2_OFFSET);
        }
        out.putBytes(offset, message, 0, INITIATION_LENGTH);
        state = State.AWAITING_RESPONSE;
        return INITIATION_LENGTH;
    }

    /**
     * Processes a datagram claimed to be the responder's cookie reply. Never throws for any content.
     *
     * @return {@link HandshakeStatus#COOKIE_STORED} or a rejection.
     */
    public HandshakeStatus onCookieReply(final DirectBuffer buffer, final int offset, final int length)
    {
        if (TYPE_COOKIE_REPLY != handshakeType(buffer, offset, length))
        {
            return HandshakeStatus.MALFORMED;
        }
        if (State.AWAITING_RESPONSE != state || receiverIndex(buffer, offset, TYPE_COOKIE_REPLY) != localIndex)
        {
            return HandshakeStatus.UNEXPECTED;
        }
        buffer.getBytes(offset, message, 0, COOKIE_REPLY_LENGTH);
        final int opened = owner.cookieCipher.open(
            responderCookieKey, message, COOKIE_NONCE_OFFSET, lastMac1, 0, MAC_LENGTH,
            message, COOKIE_ENCRYPTED_OFFSET, COOKIE_LENGTH + TAG_LENGTH, payload, 0);
        if (COOKIE_LENGTH != opened)
        {
            return HandshakeStatus.AUTHENTICATION_FAILED;
        }
        System.arraycopy(payload, 0, cookie, 0, COOKIE_LENGTH);
        Arrays.fill(payload, (byte)0);
        hasCookie = true;
        cookieReceivedNs = owner.clock.nanoTime();
        return HandshakeStatus.COOKIE_STORED;
    }

    /**
     * Processes a datagram claimed to be the responder's response. Never throws for any content.
     *
     * @return {@link HandshakeStatus#ACCEPTED} (then {@link #secrets()} is set) or a rejection.
     */
    public HandshakeStatus onResponse(final DirectBuffer buffer, final int offset, final int length)
    {
        if (TYPE_RESPONSE != handshakeType(buffer, offset, length))
        {
            return HandshakeStatus.MALFORMED;
        }
        if (State.AWAITING_RESPONSE != state || receiverIndex(buffer, offset, TYPE_RESPONSE) != localIndex)
        {
            return HandshakeStatus.UNEXPECTED;
        }
        buffer.getBytes(offset, message, 0, RESPONSE_LENGTH);
        if (!owner.macs.verify(owner.ownMac1Key, 32, message, 0, RESPONSE_MAC1_OFFSET, message, RESPONSE_MAC1_OFFSET))
        {
            return HandshakeStatus.BAD_MAC1;
        }
        final int payloadLength;
        try
        {
            payloadLength = noise.readMessage(message, RESPONSE_NOISE_OFFSET, RESPONSE_NOISE_LENGTH, payload, 0);
        }
        catch (final NoiseException ex)
        {
            fail();
            return HandshakeStatus.AUTHENTICATION_FAILED;
        }
        final int agreed = payload[PAYLOAD_VERSION_OFFSET] & 0xff;
        if (RESPONSE_PAYLOAD_LENGTH != payloadLength || 0 == agreed || agreed > SESSION_PROTOCOL_VERSION ||
            0 != payload[PAYLOAD_RESERVED_OFFSET] || 0 != payload[PAYLOAD_RESERVED_OFFSET + 1])
        {
            fail();
            return HandshakeStatus.UNSUPPORTED_VERSION;
        }
        if (HandshakeResponder.getInt(payload, PAYLOAD_SENDER_INDEX_OFFSET) !=
            HandshakeResponder.getInt(message, RESPONSE_SENDER_INDEX_OFFSET))
        {
            fail();
            return HandshakeStatus.AUTHENTICATION_FAILED;
        }
        final byte[] key1 = new byte[32];
        final byte[] key2 = new byte[32];
        final byte[] hash = new byte[32];
        noise.splitKeys(key1, key2);
        noise.handshakeHash(hash);
        secrets = new SessionSecrets(key1, key2, hash, true);
        Arrays.fill(key1, (byte)0);
        Arrays.fill(key2, (byte)0);
        remoteIndex = HandshakeResponder.getInt(message, RESPONSE_SENDER_INDEX_OFFSET);
        version = agreed;
        remoteOptions = payload[PAYLOAD_OPTIONS_OFFSET] & 0xff;
        noise.destroy();
        noise = null;
        state = State.COMPLETE;
        return HandshakeStatus.ACCEPTED;
    }

    private void fail()
    {
        noise.destroy();
        noise = null;
        state = State.FAILED;
    }

    /** @return true once {@link #onResponse} returned {@link HandshakeStatus#ACCEPTED}. */
    public boolean isComplete()
    {
        return State.COMPLETE == state;
    }

    /** @return true while an initiation is outstanding. */
    public boolean isAwaitingResponse()
    {
        return State.AWAITING_RESPONSE == state;
    }

    /** @return true if a cookie is held and fresh enough to be used for MAC2. */
    public boolean hasFreshCookie()
    {
        return hasCookie && owner.clock.nanoTime() - cookieReceivedNs < owner.settings.cookieLifetimeNs();
    }

    /** @return the session secrets once complete (initiator: sends with Split()'s first key), else null. */
    public SessionSecrets secrets()
    {
        return secrets;
    }

    /** @return this side's session index (the receiver index of responses addressed to it). */
    public int localIndex()
    {
        return localIndex;
    }

    /** @return the responder's session index once complete: the receiver id for data packets sent. */
    public int remoteIndex()
    {
        return remoteIndex;
    }

    /** @return the session-protocol version agreed, once complete. */
    public int version()
    {
        return version;
    }

    /** @return the responder's options byte, once complete. */
    public int remoteOptions()
    {
        return remoteOptions;
    }

    /** @return a copy of the responder's static public key. */
    public byte[] responderStaticKey()
    {
        return responderStaticKey.clone();
    }
}
