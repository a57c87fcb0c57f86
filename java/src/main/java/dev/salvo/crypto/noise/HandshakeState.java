/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Noise HandshakeState (spec §5.3) for any pattern in {@link HandshakePatterns}, with PSK
 * modifiers. Not thread-safe; one instance per handshake.
 *
 * <p>Lifecycle: construct, set the keys the pattern needs ({@link #setLocalStaticKeyPair},
 * {@link #setRemoteStaticPublicKey}, {@link #addPsk}), call {@link #start()} (which processes
 * the prologue and pre-messages), then alternate {@link #writeMessage} / {@link #readMessage}
 * until {@link #isComplete()}, then take the transport keys with {@link #splitKeys} or
 * {@link #split()}.
 *
 * <p>Failures caused by the peer's bytes (authentication failure, short message, degenerate DH)
 * are {@link NoiseException}s and leave the handshake unusable; misuse by the caller (wrong
 * turn, missing key) is an {@link IllegalStateException}.
 */
public final class HandshakeState
{
    private final NoiseProtocol protocol;
    private final HandshakePattern pattern;
    private final boolean initiator;
    private final byte[] prologue;
    private final SecureRandom random;
    private final DhFunction dh;
    private final int dhLength;
    private final SymmetricState symmetricState;
    private final List<byte[]> psks = new ArrayList<>();

    private byte[] localStaticPrivate;
    private byte[] localStaticPublic;
    private byte[] localEphemeralPrivate;
    private byte[] localEphemeralPublic;
    private byte[] remoteStaticPublic;
    private byte[] remoteEphemeralPublic;
    private final byte[] dhOutput;

    private boolean started;
    private boolean failed;
    private int messageIndex;
    private int pskIndex;
    private byte[] splitKey1;
    private byte[] splitKey2;

    /**
     * @param protocol  the protocol (pattern and functions).
     * @param initiator true for the side that sends the first message.
     * @param prologue  prologue bytes both sides must agree on (copied; may be empty).
     * @param random    source of ephemeral keys.
     */
    public HandshakeState(
        final NoiseProtocol protocol, final boolean initiator, final byte[] prologue, final SecureRandom random)
    {
        this.protocol = protocol;
        this.pattern = protocol.pattern();
        this.initiator = initiator;
        this.prologue = prologue.clone();
        this.random = random;
        this.dh = protocol.dh();
        this.dhLength = dh.dhLength();
        this.dhOutput = new byte[dhLength];
        this.symmetricState = new SymmetricState(
            protocol.name(), protocol.newCipher(), protocol.newHash(), protocol.newHash());
    }

    /**
     * Sets the local static key pair {@code s}.
     *
     * @param privateKey private key (copied).
     * @param publicKey  matching public key (copied), or null to compute it.
     */
    public void setLocalStaticKeyPair(final byte[] privateKey, final byte[] publicKey)
    {
        checkNotStarted();
        localStaticPrivate = checkedKey(privateKey).clone();
        localStaticPublic = new byte[dhLength];
        if (null == publicKey)
        {
            dh.publicKey(localStaticPrivate, localStaticPublic);
        }
        else
        {
            System.arraycopy(checkedKey(publicKey), 0, localStaticPublic, 0, dhLength);
        }
    }

    /**
     * Fixes the local ephemeral key instead of generating one. FOR TEST VECTORS ONLY: reusing an
     * ephemeral key destroys forward secrecy and more.
     *
     * @param privateKey the ephemeral private key (copied).
     */
    public void setLocalEphemeralPrivateKeyForTesting(final byte[] privateKey)
    {
        checkNotStarted();
        localEphemeralPrivate = checkedKey(privateKey).clone();
        localEphemeralPublic = new byte[dhLength];
        dh.publicKey(localEphemeralPrivate, localEphemeralPublic);
    }

    /**
     * Sets the remote static public key {@code rs} known in advance (K/I/X patterns, pre-messages).
     *
     * @param publicKey the key (copied).
     */
    public void setRemoteStaticPublicKey(final byte[] publicKey)
    {
        checkNotStarted();
        remoteStaticPublic = checkedKey(publicKey).clone();
    }

    /**
     * Sets the remote ephemeral public key {@code re} for patterns with an {@code e} pre-message.
     *
     * @param publicKey the key (copied).
     */
    public void setRemoteEphemeralPublicKey(final byte[] publicKey)
    {
        checkNotStarted();
        remoteEphemeralPublic = checkedKey(publicKey).clone();
    }

    /**
     * Adds the next pre-shared key, in the order the psk tokens appear.
     *
     * @param psk 32-byte PSK (copied).
     */
    public void addPsk(final byte[] psk)
    {
        checkNotStarted();
        if (null == psk || 32 != psk.length)
        {
            throw new IllegalArgumentException("a PSK is 32 bytes");
        }
        psks.add(psk.clone());
    }

    /** Initialize(): mixes the prologue and the pre-message keys. Call once, after setting keys. */
    public void start()
    {
        checkNotStarted();
        if (psks.size() != pattern.pskCount())
        {
            throw new IllegalStateException(pattern.name() + " needs " + pattern.pskCount() + " PSKs");
        }
        started = true;
        symmetricState.mixHash(prologue, 0, prologue.length);
        preMessage(pattern.initiatorPreInternal(), initiator);
        preMessage(pattern.responderPreInternal(), !initiator);
    }

    private void preMessage(final Token[] tokens, final boolean local)
    {
        for (final Token token : tokens)
        {
            final byte[] key;
            if (Token.S == token)
            {
                key = local ? localStaticPublic : remoteStaticPublic;
            }
            else if (Token.E == token)
            {
                key = local ? localEphemeralPublic : remoteEphemeralPublic;
            }
            else
            {
                throw new IllegalStateException("pre-message token " + token);
            }
            if (null == key)
            {
                throw new IllegalStateException("pre-message needs a " + (local ? "local " : "remote ") + token + " key");
            }
            symmetricState.mixHash(key, 0, dhLength);
            if (Token.E == token && pattern.isPsk())
            {
                symmetricState.mixKey(key, 0, dhLength);
            }
        }
    }

    /** @return true if the handshake cipher has a key, i.e. payloads are being encrypted. */
    boolean hasCipherKey()
    {
        return symmetricState.cipherState().hasKey();
    }

    /** @return true if this side initiated. */
    public boolean isInitiator()
    {
        return initiator;
    }

    /** @return the protocol. */
    public NoiseProtocol protocol()
    {
        return protocol;
    }

    /** @return true once the last handshake message has been written or read. */
    public boolean isComplete()
    {
        return null != splitKey1;
    }

    /** @return true if the next handshake message is this side's to write. */
    public boolean isMyTurnToWrite()
    {
        return !isComplete() && (initiator == (messageIndex % 2 == 0));
    }

    /**
     * @param payloadLength payload bytes to be sent.
     * @return the size of the next message this side writes.
     */
    public int nextWriteLength(final int payloadLength)
    {
        int length = 0;
        boolean hasKey = symmetricState.cipherState().hasKey();
        for (final Token token : pattern.messagesInternal()[messageIndex])
        {
            switch (token)
            {
                case E:
                    length += dhLength;
                    hasKey |= pattern.isPsk();
                    break;
                case S:
                    length += dhLength + (hasKey ? CipherFunction.TAG_LENGTH : 0);
                    break;
                default:
                    hasKey = true;
                    break;
            }
        }
        return length + payloadLength + (hasKey ? CipherFunction.TAG_LENGTH : 0);
    }

    /**
     * WriteMessage(payload, message_buffer).
     *
     * @param payload       payload bytes (may overlap {@code out} only if they are the same region
     *                      as the payload's final position, which callers should avoid).
     * @param payloadOffset offset of the payload.
     * @param payloadLength payload length.
     * @param out           destination; must have room for {@link #nextWriteLength(int)} bytes.
     * @param outOffset     offset in {@code out}.
     * @return bytes written.
     * @throws NoiseException if a DH result is degenerate or the nonce is exhausted.
     */
    public int writeMessage(
        final byte[] payload, final int payloadOffset, final int payloadLength, final byte[] out, final int outOffset)
        throws NoiseException
    {
        checkTurn(true);
        if (out.length - outOffset < nextWriteLength(payloadLength))
        {
            throw new IllegalArgumentException("output buffer too small");
        }
        boolean ok = false;
        try
        {
            int position = outOffset;
            for (final Token token : pattern.messagesInternal()[messageIndex])
            {
                switch (token)
                {
                    case E:
                        if (null == localEphemeralPrivate)
                        {
                            localEphemeralPrivate = new byte[dhLength];
                            localEphemeralPublic = new byte[dhLength];
                            dh.generatePrivateKey(random, localEphemeralPrivate);
                            dh.publicKey(localEphemeralPrivate, localEphemeralPublic);
                        }
                        System.arraycopy(localEphemeralPublic, 0, out, position, dhLength);
                        position += dhLength;
                        symmetricState.mixHash(localEphemeralPublic, 0, dhLength);
                        if (pattern.isPsk())
                        {
                            symmetricState.mixKey(localEphemeralPublic, 0, dhLength);
                        }
                        break;
                    case S:
                        require(localStaticPublic, "local static");
                        position += symmetricState.encryptAndHash(localStaticPublic, 0, dhLength, out, position);
                        break;
                    case PSK:
                        mixPsk();
                        break;
                    default:
                        mixDh(token);
                        break;
                }
            }
            position += symmetricState.encryptAndHash(payload, payloadOffset, payloadLength, out, position);
            finishMessage();
            ok = true;
            return position - outOffset;
        }
        finally
        {
            failed = !ok;
        }
    }

    /**
     * ReadMessage(message, payload_buffer).
     *
     * @param message       the received message.
     * @param offset        offset of the message.
     * @param length        message length.
     * @param payloadOut    destination of the payload; must not overlap the message.
     * @param payloadOffset offset in {@code payloadOut}.
     * @return payload bytes written.
     * @throws NoiseException if the message is short, fails authentication, carries a degenerate
     *                        key, or its payload does not fit {@code payloadOut}.
     */
    public int readMessage(
        final byte[] message, final int offset, final int length, final byte[] payloadOut, final int payloadOffset)
        throws NoiseException
    {
        checkTurn(false);
        boolean ok = false;
        try
        {
            if (offset < 0 || length < 0 || offset > message.length - length)
            {
                throw new NoiseException("message bounds");
            }
            int position = offset;
            final int end = offset + length;
            for (final Token token : pattern.messagesInternal()[messageIndex])
            {
                switch (token)
                {
                    case E:
                        if (end - position < dhLength)
                        {
                            throw new NoiseException("message too short");
                        }
                        remoteEphemeralPublic = Arrays.copyOfRange(message, position, position + dhLength);
                        position += dhLength;
                        symmetricState.mixHash(remoteEphemeralPublic, 0, dhLength);
                        if (pattern.isPsk())
                        {
                            symmetricState.mixKey(remoteEphemeralPublic, 0, dhLength);
                        }
                        break;
                    case S:
                    {
                        final int sLength =
                            dhLength + (symmetricState.cipherState().hasKey() ? CipherFunction.TAG_LENGTH : 0);
                        if (end - position < sLength)
                        {
                            throw new NoiseException("message too short");
                        }
                        final byte[] rs = new byte[dhLength];
                        symmetricState.decryptAndHash(message, position, sLength, rs, 0);
                        remoteStaticPublic = rs;
                        position += sLength;
                        break;
                    }
                    case PSK:
                        mixPsk();
                        break;
                    default:
                        mixDh(token);
                        break;
                }
            }
            final int remaining = end - position;
            final int plaintextLength =
                remaining - (symmetricState.cipherState().hasKey() ? CipherFunction.TAG_LENGTH : 0);
            if (plaintextLength < 0)
            {
                throw new NoiseException("message too short");
            }
            if (payloadOut.length - payloadOffset < plaintextLength)
            {
                throw new NoiseException("payload too large");
            }
            final int written = symmetricState.decryptAndHash(message, position, remaining, payloadOut, payloadOffset);
            finishMessage();
            ok = true;
            return written;
        }
        finally
        {
            failed = !ok;
        }
    }

    private void mixPsk()
    {
        final byte[] psk = psks.get(pskIndex++);
        symmetricState.mixKeyAndHash(psk, 0, psk.length);
    }

    private void mixDh(final Token token) throws NoiseException
    {
        switch (token)
        {
            case EE:
                dh.dh(require(localEphemeralPrivate, "local ephemeral"),
                    require(remoteEphemeralPublic, "remote ephemeral"), 0, dhOutput, 0);
                break;
            case ES:
                if (initiator)
                {
                    dh.dh(require(localEphemeralPrivate, "local ephemeral"),
                        require(remoteStaticPublic, "remote static"), 0, dhOutput, 0);
                }
                else
                {
                    dh.dh(require(localStaticPrivate, "local static"),
                        require(remoteEphemeralPublic, "remote ephemeral"), 0, dhOutput, 0);
                }
                break;
            case SE:
                if (initiator)
                {
                    dh.dh(require(localStaticPrivate, "local static"),
                        require(remoteEphemeralPublic, "remote ephemeral"), 0, dhOutput, 0);
                }
                else
                {
                    dh.dh(require(localEphemeralPrivate, "local ephemeral"),
                        require(remoteStaticPublic, "remote static"), 0, dhOutput, 0);
                }
                break;
            case SS:
                dh.dh(require(localStaticPrivate, "local static"),
                    require(remoteStaticPublic, "remote static"), 0, dhOutput, 0);
                break;
            default:
                throw new IllegalStateException("not a DH token: " + token);
        }
        symmetricState.mixKey(dhOutput, 0, dhLength);
        Arrays.fill(dhOutput, (byte)0);
    }

    private void finishMessage()
    {
        messageIndex++;
        if (messageIndex == pattern.messageCount())
        {
            splitKey1 = new byte[CipherFunction.KEY_LENGTH];
            splitKey2 = new byte[CipherFunction.KEY_LENGTH];
            symmetricState.split(splitKey1, splitKey2);
        }
    }

    /**
     * The transport keys from Split(), once complete.
     *
     * @param key1 receives the initiator-to-responder key (32 bytes).
     * @param key2 receives the responder-to-initiator key (32 bytes).
     */
    public void splitKeys(final byte[] key1, final byte[] key2)
    {
        checkComplete();
        System.arraycopy(splitKey1, 0, key1, 0, splitKey1.length);
        System.arraycopy(splitKey2, 0, key2, 0, splitKey2.length);
    }

    /**
     * The transport CipherStates from Split(), once complete.
     *
     * @return {@code [send, receive]} from this side's point of view. For one-way patterns the
     * responder's "send" state must not be used.
     */
    public CipherState[] split()
    {
        checkComplete();
        final CipherState c1 = new CipherState(protocol.newCipher());
        final CipherState c2 = new CipherState(protocol.newCipher());
        c1.initializeKey(splitKey1, 0);
        c2.initializeKey(splitKey2, 0);
        return initiator ? new CipherState[]{ c1, c2 } : new CipherState[]{ c2, c1 };
    }

    /**
     * @param out destination of HASHLEN bytes: the handshake hash {@code h}, which both sides share
     *            once complete (channel binding).
     */
    public void handshakeHash(final byte[] out)
    {
        symmetricState.handshakeHash(out, 0);
    }

    /** @return a copy of the remote static public key, or null if not (yet) known. */
    public byte[] remoteStaticPublicKey()
    {
        return null == remoteStaticPublic ? null : remoteStaticPublic.clone();
    }

    /** @return a copy of the local ephemeral public key, or null before it exists. */
    public byte[] localEphemeralPublicKey()
    {
        return null == localEphemeralPublic ? null : localEphemeralPublic.clone();
    }

    /** Overwrites every secret this state holds. */
    public void destroy()
    {
        wipe(localStaticPrivate);
        wipe(localEphemeralPrivate);
        wipe(splitKey1);
        wipe(splitKey2);
        for (final byte[] psk : psks)
        {
            wipe(psk);
        }
        symmetricState.destroy();
        failed = true;
    }

    private static void wipe(final byte[] secret)
    {
        if (null != secret)
        {
            Arrays.fill(secret, (byte)0);
        }
    }

    private static byte[] require(final byte[] key, final String what)
    {
        if (null == key)
        {
            throw new IllegalStateException("the pattern needs a " + what + " key that was not set");
        }
        return key;
    }

    private byte[] checkedKey(final byte[] key)
    {
        if (null == key || dhLength != key.length)
        {
            throw new IllegalArgumentException("a key is " + dhLength + " bytes");
        }
        return key;
    }

    private void checkNotStarted()
    {
        if (started)
        {
            throw new IllegalStateException("handshake already started");
        }
    }

    private void checkComplete()
    {
        if (!isComplete())
        {
            throw new IllegalStateException("handshake not complete");
        }
    }

    private void checkTurn(final boolean write)
    {
        if (!started)
        {
            throw new IllegalStateException("start() not called");
        }
        if (failed)
        {
            throw new IllegalStateException("handshake failed earlier");
        }
        if (isComplete())
        {
            throw new IllegalStateException("handshake already complete");
        }
        if (write != isMyTurnToWrite())
        {
            throw new IllegalStateException(write ? "not this side's turn to write" : "not this side's turn to read");
        }
    }
}
