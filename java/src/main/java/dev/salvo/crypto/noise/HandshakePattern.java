/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable Noise handshake pattern: pre-messages and message token sequences, with any PSK
 * modifiers applied. Obtain instances from {@link HandshakePatterns}.
 */
public final class HandshakePattern
{
    private final String name;
    private final Token[] initiatorPreMessage;
    private final Token[] responderPreMessage;
    private final Token[][] messages;
    private final boolean psk;

    HandshakePattern(
        final String name,
        final Token[] initiatorPreMessage,
        final Token[] responderPreMessage,
        final Token[][] messages)
    {
        this.name = name;
        this.initiatorPreMessage = initiatorPreMessage;
        this.responderPreMessage = responderPreMessage;
        this.messages = messages;
        boolean hasPsk = false;
        for (final Token[] message : messages)
        {
            for (final Token token : message)
            {
                hasPsk |= Token.PSK == token;
            }
        }
        this.psk = hasPsk;
    }

    /**
     * Parses the pattern notation of the spec, e.g. {@code "<- s\n...\n-> e, es, s, ss\n<- e, ee, se"}.
     */
    static HandshakePattern parse(final String name, final String notation)
    {
        final List<Token> initiatorPre = new ArrayList<>();
        final List<Token> responderPre = new ArrayList<>();
        final List<Token[]> messages = new ArrayList<>();
        final boolean hasPreMessages = notation.contains("...");
        boolean inPre = hasPreMessages;
        for (final String rawLine : notation.split("\n"))
        {
            final String line = rawLine.trim();
            if (line.isEmpty())
            {
                continue;
            }
            if ("...".equals(line))
            {
                inPre = false;
                continue;
            }
            final boolean fromInitiator = line.startsWith("->");
            if (!fromInitiator && !line.startsWith("<-"))
            {
                throw new IllegalArgumentException("bad pattern line: " + line);
            }
            final String[] parts = line.substring(2).trim().split(",");
            final Token[] tokens = new Token[parts.length];
            for (int i = 0; i < parts.length; i++)
            {
                tokens[i] = Token.parse(parts[i].trim());
            }
            if (inPre)
            {
                (fromInitiator ? initiatorPre : responderPre).addAll(Arrays.asList(tokens));
            }
            else
            {
                if (fromInitiator != (messages.size() % 2 == 0))
                {
                    throw new IllegalArgumentException("messages must alternate, starting with ->: " + name);
                }
                messages.add(tokens);
            }
        }
        return new HandshakePattern(
            name, initiatorPre.toArray(new Token[0]), responderPre.toArray(new Token[0]), messages.toArray(new Token[0][]));
    }

    /**
     * Applies one {@code pskN} modifier: {@code psk0} prepends a psk token to the first message,
     * {@code pskN} appends one to message N (spec §9.2).
     */
    HandshakePattern withPsk(final int position, final String newName)
    {
        final Token[][] copy = new Token[messages.length][];
        for (int i = 0; i < messages.length; i++)
        {
            copy[i] = messages[i].clone();
        }
        if (0 == position)
        {
            copy[0] = prepend(copy[0]);
        }
        else
        {
            if (position > copy.length)
            {
                throw new IllegalArgumentException("psk" + position + " beyond the last message of " + name);
            }
            copy[position - 1] = Arrays.copyOf(copy[position - 1], copy[position - 1].length + 1);
            copy[position - 1][copy[position - 1].length - 1] = Token.PSK;
        }
        return new HandshakePattern(newName, initiatorPreMessage, responderPreMessage, copy);
    }

    private static Token[] prepend(final Token[] tokens)
    {
        final Token[] result = new Token[tokens.length + 1];
        result[0] = Token.PSK;
        System.arraycopy(tokens, 0, result, 1, tokens.length);
        return result;
    }

    /** @return the pattern name including modifiers, e.g. {@code "IKpsk2"}. */
    public String name()
    {
        return name;
    }

    /** @return tokens of the initiator's pre-message (copy). */
    public Token[] initiatorPreMessage()
    {
        return initiatorPreMessage.clone();
    }

    /** @return tokens of the responder's pre-message (copy). */
    public Token[] responderPreMessage()
    {
        return responderPreMessage.clone();
    }

    /** @return the number of handshake messages. */
    public int messageCount()
    {
        return messages.length;
    }

    /**
     * @param index message index, 0 = the initiator's first message.
     * @return the tokens of that message (copy).
     */
    public Token[] message(final int index)
    {
        return messages[index].clone();
    }

    Token[][] messagesInternal()
    {
        return messages;
    }

    Token[] initiatorPreInternal()
    {
        return initiatorPreMessage;
    }

    Token[] responderPreInternal()
    {
        return responderPreMessage;
    }

    /** @return true for a one-way pattern (N, K, X and their PSK variants): only the initiator sends. */
    public boolean isOneWay()
    {
        return 1 == messages.length;
    }

    /** @return true if the pattern carries a PSK modifier. */
    public boolean isPsk()
    {
        return psk;
    }

    /** @return the number of psk tokens, i.e. PSKs the handshake needs. */
    public int pskCount()
    {
        int count = 0;
        for (final Token[] message : messages)
        {
            for (final Token token : message)
            {
                count += Token.PSK == token ? 1 : 0;
            }
        }
        return count;
    }

    @Override
    public String toString()
    {
        return "HandshakePattern{" + name + "}";
    }
}
