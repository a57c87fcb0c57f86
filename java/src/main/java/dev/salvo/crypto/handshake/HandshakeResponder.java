/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.handshake;

import static dev.salvo.crypto.handshake.HandshakeDescriptor.*;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

import dev.salvo.crypto.SessionSecrets;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.crypto.noise.DhFunction;
import dev.salvo.crypto.noise.HandshakeState;
import dev.salvo.crypto.noise.NoiseException;
import dev.salvo.crypto.noise.NoiseProtocol;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * The responder side of Salvo's IK handshake, with WireGuard-style DoS defences, for one local
 * identity. Single-threaded: call it from the one thread that handles handshake datagrams.
 *
 * <p>For each initiation, checks run cheapest first and stop at the first failure
 * (docs/PROTOCOL.md §2.5): length/type; MAC1 (one HMAC, no state touched); address blocked;
 * under load, MAC2 against a cookie bound to the source address (else a cookie reply is written);
 * per-address token bucket; only then the Noise DH work; then the {@link PeerAuthorizer} and the
 * per-initiator timestamp check against replays. Failures after DH count towards blocking the
 * source address.
 */
public final class HandshakeResponder
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final byte[] staticPrivate;
    private final byte[] staticPublic;
    private final PeerAuthorizer authorizer;
    private final HandshakeSettings settings;
    private final NanoClock clock;
    private final SecureRandom random;
    private final NoiseProtocol protocol;
    private final HandshakeMacs macs = new HandshakeMacs();
    private final XChaCha20Poly1305 cookieCipher = new XChaCha20Poly1305();
    private final AddressTable addressTable;
    private final ReplayTable replayTable;

    private final byte[] mac1Key = new byte[32];
    private final byte[] cookieKey = new byte[32];
    private final byte[] cookieSecret = new byte[32];
    private long cookieSecretCreatedNs;
    private boolean hasCookieSecret;

    private final byte[] packet = new byte[INITIATION_LENGTH];
    private final byte[] reply = new byte[INITIATION_LENGTH];
    private final byte[] payload = new byte[INITIATION_PAYLOAD_LENGTH + 16];
    private final byte[] responsePayload = new byte[RESPONSE_PAYLOAD_LENGTH];
    private final byte[] cookie = new byte[COOKIE_LENGTH];
    private final byte[] cookieNonce = new byte[COOKIE_NONCE_LENGTH];
    private final byte[] cookieInput = new byte[16 + 2];
    private final byte[] peerMac1Key = new byte[32];
    private final byte[] key1 = new byte[32];
    private final byte[] key2 = new byte[32];
    private final byte[] hash = new byte[32];
    private final long[] counts = new long[HandshakeStatus.values().length];

    private BooleanSupplier underLoadSignal = () -> false;
    private int localOptions;
    private long loadWindowStartNs;
    private int loadWindowCount;
    private long underLoadUntilNs;
    private boolean loadSeen;

    /**
     * @param identity   this side's static key pair (the private key is copied).
     * @param authorizer decides which initiator keys are accepted.
     * @param settings   thresholds.
     * @param clock      monotonic clock for rate limits, blocks, cookie-secret rotation and load.
     * @param random     randomness for ephemeral keys, cookie secrets and nonces.
     */
    public HandshakeResponder(
        final StaticKeyPair identity,
        final PeerAuthorizer authorizer,
        final HandshakeSettings settings,
        final NanoClock clock,
        final SecureRandom random)
    {
        this(identity, authorizer, settings, clock, random, null);
    }

    /**
     * As the other constructor, with the DH function replaced (e.g. by a counting wrapper).
     *
     * @param dh the DH function, or null for X25519.
     */
    public HandshakeResponder(
        final StaticKeyPair identity,
        final PeerAuthorizer authorizer,
        final HandshakeSettings settings,
        final NanoClock clock,
        final SecureRandom random,
        final DhFunction dh)
    {
        this.staticPrivate = identity.privateKey();
        this.staticPublic = identity.publicKey();
        this.authorizer = authorizer;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        final NoiseProtocol base = NoiseProtocol.parse(PROTOCOL_NAME);
        this.protocol = null == dh ? base : base.withDh(dh);
        this.addressTable = new AddressTable(settings, random.nextLong());
        this.replayTable = new ReplayTable(settings.replayTableCapacity(), random.nextLong());
        macs.deriveKey(HandshakeMacs.MAC1_LABEL, staticPublic, mac1Key);
        macs.deriveKey(HandshakeMacs.COOKIE_LABEL, staticPublic, cookieKey);
    }

    /**
     * An external "under load" signal, e.g. the depth of the handshake queue in the I/O layer.
     * When it returns true the responder demands cookies regardless of its own rate estimate.
     *
     * @param signal the signal; polled once per MAC1-valid initiation.
     * @return this.
     */
    public HandshakeResponder underLoadSignal(final BooleanSupplier signal)
    {
        underLoadSignal = null == signal ? () -> false : signal;
        return this;
    }

    /**
     * @param options options byte this side returns in responses (session-layer defined).
     * @return this.
     */
    public HandshakeResponder localOptions(final int options)
    {
        localOptions = options & 0xff;
        return this;
    }

    /** @return a copy of this responder's static public key. */
    public byte[] staticPublicKey()
    {
        return staticPublic.clone();
    }

    /**
     * Processes one datagram claimed to be an initiation. Never throws for any content of
     * {@code buffer}.
     *
     * @param buffer      holds the datagram.
     * @param offset      its offset.
     * @param length      its length.
     * @param address     source IP address: 4 (IPv4) or 16 (IPv6) bytes; not retained.
     * @param port        source UDP port.
     * @param localIndex  the session index this side will use if the handshake is accepted.
     * @param out         where a response or cookie reply is written; needs {@link #RESPONSE_LENGTH}
     *                    bytes ({@link #COOKIE_REPLY_LENGTH} is smaller) from {@code outOffset}.
     * @param outOffset   offset in {@code out}.
     * @param result      receives the outcome (reset first).
     * @return {@code result.status()}.
     * @throws IllegalArgumentException for a bad address length or too small an output buffer
     *                                  (caller errors, independent of the datagram).
     */
    public HandshakeStatus onInitiation(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final byte[] address,
        final int port,
        final int localIndex,
        final MutableDirectBuffer out,
        final int outOffset,
        final ResponderResult result)
    {
        result.reset();
        final long addressKey = AddressTable.addressKey(address);
        if (0 == addressKey)
        {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
        if (out.capacity() - outOffset < RESPONSE_LENGTH)
        {
            throw new IllegalArgumentException("output buffer too small");
        }
        return count(result, process(buffer, offset, length, address, port, addressKey, localIndex, out, outOffset, result));
    }

    private HandshakeStatus process(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final byte[] address,
        final int port,
        final long addressKey,
        final int localIndex,
        final MutableDirectBuffer out,
        final int outOffset,
        final ResponderResult result)
    {
        if (TYPE_INITIATION != handshakeType(buffer, offset, length))
        {
            return HandshakeStatus.MALFORMED;
        }
        buffer.getBytes(offset, packet, 0, INITIATION_LENGTH);
        if (!macs.verify(mac1Key, 32, packet, 0, INITIATION_MAC1_OFFSET, packet, INITIATION_MAC1_OFFSET))
        {
            return HandshakeStatus.BAD_MAC1;
        }

        final long nowNs = clock.nanoTime();
        if (addressTable.isBlocked(addressKey, nowNs))
        {
            return HandshakeStatus.ADDRESS_BLOCKED;
        }
        if (isUnderLoad(nowNs) && !hasValidMac2(address, port, nowNs))
        {
            writeCookieReply(address, port, nowNs, out, outOffset);
            result.replyLength = COOKIE_REPLY_LENGTH;
            return HandshakeStatus.COOKIE_REPLY;
        }
        if (!addressTable.tryAcquire(addressKey, nowNs))
        {
            return HandshakeStatus.RATE_LIMITED;
        }

        final HandshakeState noise = new HandshakeState(protocol, false, PROLOGUE, random);
        try
        {
            noise.setLocalStaticKeyPair(staticPrivate, staticPublic);
            noise.start();
            final int payloadLength;
            try
            {
                payloadLength = noise.readMessage(packet, INITIATION_NOISE_OFFSET, INITIATION_NOISE_LENGTH, payload, 0);
            }
            catch (final NoiseException ex)
            {
                addressTable.recordFailure(addressKey, nowNs);
                return HandshakeStatus.AUTHENTICATION_FAILED;
            }
            final byte[] peerKey = noise.remoteStaticPublicKey();
            if (!authorizer.isAuthorized(peerKey.clone()))
            {
                addressTable.recordFailure(addressKey, nowNs);
                return HandshakeStatus.PEER_REJECTED;
            }
            if (getInt(payload, PAYLOAD_SENDER_INDEX_OFFSET) != getInt(packet, INITIATION_SENDER_INDEX_OFFSET))
            {
                // The cleartext index was altered in flight (it is covered only by MAC1).
                addressTable.recordFailure(addressKey, nowNs);
                return HandshakeStatus.AUTHENTICATION_FAILED;
            }
            final int version = payload[PAYLOAD_VERSION_OFFSET] & 0xff;
            if (INITIATION_PAYLOAD_LENGTH != payloadLength || 0 == version ||
                0 != payload[PAYLOAD_RESERVED_OFFSET] || 0 != payload[PAYLOAD_RESERVED_OFFSET + 1])
            {
                return HandshakeStatus.UNSUPPORTED_VERSION;
            }
            final long timestamp = getLong(payload, PAYLOAD_TIMESTAMP_OFFSET);
            if (!replayTable.isFresh(peerKey, timestamp))
            {
                addressTable.recordFailure(addressKey, nowNs);
                return HandshakeStatus.REPLAYED;
            }

            final int agreedVersion = Math.min(version, SESSION_PROTOCOL_VERSION);
            responsePayload[PAYLOAD_VERSION_OFFSET] = (byte)agreedVersion;
            responsePayload[PAYLOAD_OPTIONS_OFFSET] = (byte)localOptions;
            responsePayload[PAYLOAD_RESERVED_OFFSET] = 0;
            responsePayload[PAYLOAD_RESERVED_OFFSET + 1] = 0;
            putInt(responsePayload, PAYLOAD_SENDER_INDEX_OFFSET, localIndex);
            Arrays.fill(reply, 0, RESPONSE_LENGTH, (byte)0);
            reply[TYPE_OFFSET] = TYPE_RESPONSE;
            putInt(reply, RESPONSE_SENDER_INDEX_OFFSET, localIndex);
            System.arraycopy(packet, INITIATION_SENDER_INDEX_OFFSET, reply, RESPONSE_RECEIVER_INDEX_OFFSET, 4);
            try
            {
                noise.writeMessage(responsePayload, 0, RESPONSE_PAYLOAD_LENGTH, reply, RESPONSE_NOISE_OFFSET);
            }
            catch (final NoiseException ex)
            {
                addressTable.recordFailure(addressKey, nowNs);
                return HandshakeStatus.AUTHENTICATION_FAILED;
            }
            macs.deriveKey(HandshakeMacs.MAC1_LABEL, peerKey, peerMac1Key);
            macs.mac(peerMac1Key, 32, reply, 0, RESPONSE_MAC1_OFFSET, reply, RESPONSE_MAC1_OFFSET);
            out.putBytes(outOffset, reply, 0, RESPONSE_LENGTH);

            noise.splitKeys(key1, key2);
            noise.handshakeHash(hash);
            replayTable.accept(peerKey, timestamp, nowNs);

            result.replyLength = RESPONSE_LENGTH;
            result.secrets = new SessionSecrets(key2, key1, hash, false);
            System.arraycopy(peerKey, 0, result.peerStaticKey, 0, KEY_LENGTH);
            result.peerIndex = getInt(packet, INITIATION_SENDER_INDEX_OFFSET);
            result.localIndex = localIndex;
            result.version = agreedVersion;
            result.peerOptions = payload[PAYLOAD_OPTIONS_OFFSET] & 0xff;
            result.timestamp = timestamp;
            return HandshakeStatus.ACCEPTED;
        }
        finally
        {
            noise.destroy();
            Arrays.fill(key1, (byte)0);
            Arrays.fill(key2, (byte)0);
            Arrays.fill(payload, (byte)0);
        }
    }

    /**
     * @return how many initiations ended with {@code status} since construction.
     */
    public long count(final HandshakeStatus status)
    {
        return counts[status.ordinal()];
    }

    /** @return entries in use in the per-address table (bounded by its capacity). */
    public int addressTableSize()
    {
        return addressTable.size();
    }

    /** @return fixed capacity of the per-address table. */
    public int addressTableCapacity()
    {
        return addressTable.capacity();
    }

    /** @return entries in use in the replay table (bounded by its capacity). */
    public int replayTableSize()
    {
        return replayTable.size();
    }

    /** @return fixed capacity of the replay table. */
    public int replayTableCapacity()
    {
        return replayTable.capacity();
    }

    /**
     * @return true if the responder currently demands MAC2 (for monitoring; does not count as an
     * initiation).
     */
    public boolean isUnderLoad()
    {
        final long nowNs = clock.nanoTime();
        return underLoadSignal.getAsBoolean() || (loadSeen && underLoadUntilNs - nowNs > 0);
    }

    private boolean isUnderLoad(final long nowNs)
    {
        if (nowNs - loadWindowStartNs >= NANOS_PER_SECOND || loadWindowCount == 0)
        {
            loadWindowStartNs = nowNs;
            loadWindowCount = 0;
        }
        if (++loadWindowCount > settings.underLoadInitiationsPerSecond())
        {
            loadSeen = true;
            underLoadUntilNs = nowNs + settings.underLoadHoldNs();
        }
        return underLoadSignal.getAsBoolean() || (loadSeen && underLoadUntilNs - nowNs > 0);
    }

    private boolean hasValidMac2(final byte[] address, final int port, final long nowNs)
    {
        if (HandshakeMacs.isAllZero(packet, INITIATION_MAC2_OFFSET, MAC_LENGTH))
        {
            return false;
        }
        makeCookie(address, port, nowNs);
        return macs.verify(cookie, COOKIE_LENGTH, packet, 0, INITIATION_MAC2_OFFSET, packet, INITIATION_MAC2_OFFSET);
    }

    private void makeCookie(final byte[] address, final int port, final long nowNs)
    {
        if (!hasCookieSecret || nowNs - cookieSecretCreatedNs >= settings.cookieSecretLifetimeNs())
        {
            random.nextBytes(cookieSecret);
            cookieSecretCreatedNs = nowNs;
            hasCookieSecret = true;
        }
        System.arraycopy(address, 0, cookieInput, 0, address.length);
        cookieInput[address.length] = (byte)(port >>> 8);
        cookieInput[address.length + 1] = (byte)port;
        macs.mac(cookieSecret, cookieSecret.length, cookieInput, 0, address.length + 2, cookie, 0);
    }

    private void writeCookieReply(
        final byte[] address, final int port, final long nowNs, final MutableDirectBuffer out, final int outOffset)
    {
        makeCookie(address, port, nowNs);
        Arrays.fill(reply, 0, COOKIE_REPLY_LENGTH, (byte)0);
        reply[TYPE_OFFSET] = TYPE_COOKIE_REPLY;
        System.arraycopy(packet, INITIATION_SENDER_INDEX_OFFSET, reply, COOKIE_RECEIVER_INDEX_OFFSET, 4);
        random.nextBytes(cookieNonce);
        System.arraycopy(cookieNonce, 0, reply, COOKIE_NONCE_OFFSET, COOKIE_NONCE_LENGTH);
        cookieCipher.seal(
            cookieKey, reply, COOKIE_NONCE_OFFSET, packet, INITIATION_MAC1_OFFSET, MAC_LENGTH,
            cookie, 0, COOKIE_LENGTH, reply, COOKIE_ENCRYPTED_OFFSET);
        out.putBytes(outOffset, reply, 0, COOKIE_REPLY_LENGTH);
        Arrays.fill(cookie, (byte)0);
    }

    private HandshakeStatus count(final ResponderResult result, final HandshakeStatus status)
    {
        counts[status.ordinal()]++;
        result.status = status;
        return status;
    }

    static int getInt(final byte[] b, final int offset)
    {
        return (b[offset] & 0xff) << 24 | (b[offset + 1] & 0xff) << 16 | (b[offset + 2] & 0xff) << 8 | (b[offset + 3] & 0xff);
    }

    static void putInt(final byte[] b, final int offset, final int value)
    {
        b[offset] = (byte)(value >>> 24);
        b[offset + 1] = (byte)(value >>> 16);
        b[offset + 2] = (byte)(value >>> 8);
        b[offset + 3] = (byte)value;
    }

    static long getLong(final byte[] b, final int offset)
    {
        return (getInt(b, offset) & 0xffffffffL) << 32 | (getInt(b, offset + 4) & 0xffffffffL);
    }

    static void putLong(final byte[] b, final int offset, final long value)
    {
        putInt(b, offset, (int)(value >>> 32));
        putInt(b, offset + 4, (int)value);
    }
}
