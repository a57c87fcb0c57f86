/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.crypto.noise;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handshake patterns of the Noise spec (rev 34): one-way (§7.4), fundamental interactive
 * (§7.5) and deferred (§7.6), plus {@code pskN} modifiers (§9) applied on lookup.
 */
public final class HandshakePatterns
{
    private static final Map<String, HandshakePattern> BASE = new LinkedHashMap<>();

    static
    {
        // One-way patterns.
        add("N", "<- s\n...\n-> e, es");
        add("K", "-> s\n<- s\n...\n-> e, es, ss");
        add("X", "<- s\n...\n-> e, es, s, ss");

        // Fundamental interactive patterns.
        add("NN", "-> e\n<- e, ee");
        add("NK", "<- s\n...\n-> e, es\n<- e, ee");
        add("NX", "-> e\n<- e, ee, s, es");
        add("KN", "-> s\n...\n-> e\n<- e, ee, se");
        add("KK", "-> s\n<- s\n...\n-> e, es, ss\n<- e, ee, se");
        add("KX", "-> s\n...\n-> e\n<- e, ee, se, s, es");
        add("XN", "-> e\n<- e, ee\n-> s, se");
        add("XK", "<- s\n...\n-> e, es\n<- e, ee\n-> s, se");
        add("XX", "-> e\n<- e, ee, s, es\n-> s, se");
        add("IN", "-> e, s\n<- e, ee, se");
        add("IK", "<- s\n...\n-> e, es, s, ss\n<- e, ee, se");
        add("IX", "-> e, s\n<- e, ee, se, s, es");

        // Deferred patterns.
        add("NK1", "<- s\n...\n-> e\n<- e, ee, es");
        add("NX1", "-> e\n<- e, ee, s\n-> es");
        add("X1N", "-> e\n<- e, ee\n-> s\n<- se");
        add("X1K", "<- s\n...\n-> e, es\n<- e, ee\n-> s\n<- se");
        add("XK1", "<- s\n...\n-> e\n<- e, ee, es\n-> s, se");
        add("X1K1", "<- s\n...\n-> e\n<- e, ee, es\n-> s\n<- se");
        add("X1X", "-> e\n<- e, ee, s, es\n-> s\n<- se");
        add("XX1", "-> e\n<- e, ee, s\n-> es, s, se");
        add("X1X1", "-> e\n<- e, ee, s\n-> es, s\n<- se");
        add("K1N", "-> s\n...\n-> e\n<- e, ee\n-> se");
        add("K1K", "-> s\n<- s\n...\n-> e, es\n<- e, ee\n-> se");
        add("KK1", "-> s\n<- s\n...\n-> e\n<- e, ee, se, es");
        add("K1K1", "-> s\n<- s\n...\n-> e\n<- e, ee, es\n-> se");
        add("K1X", "-> s\n...\n-> e\n<- e, ee, s, es\n-> se");
        add("KX1", "-> s\n...\n-> e\n<- e, ee, se, s\n-> es");
        add("K1X1", "-> s\n...\n-> e\n<- e, ee, s\n-> se, es");
        add("I1N", "-> e, s\n<- e, ee\n-> se");
        add("I1K", "<- s\n...\n-> e, es, s\n<- e, ee\n-> se");
        add("IK1", "<- s\n...\n-> e, s\n<- e, ee, se, es");
        add("I1K1", "<- s\n...\n-> e, s\n<- e, ee, es\n-> se");
        add("I1X", "-> e, s\n<- e, ee, s, es\n-> se");
        add("IX1", "-> e, s\n<- e, ee, se, s\n-> es");
        add("I1X1", "-> e, s\n<- e, ee, s\n-> se, es");
    }

    private HandshakePatterns()
    {
    }

    private static void add(final String name, final String notation)
    {
        BASE.put(name, HandshakePattern.parse(name, notation));
    }

    /** @return the base pattern names known, in spec order. */
    public static Iterable<String> baseNames()
    {
        return Collections.unmodifiableSet(BASE.keySet());
    }

    /**
     * Looks up a pattern by name with optional modifiers, e.g. {@code "XX"}, {@code "NNpsk0+psk2"}.
     *
     * @param nameWithModifiers the pattern part of a Noise protocol name.
     * @return the pattern with modifiers applied.
     * @throws IllegalArgumentException if the pattern or a modifier is unknown.
     */
    public static HandshakePattern lookup(final String nameWithModifiers)
    {
        int split = 0;
        while (split < nameWithModifiers.length() && !Character.isLowerCase(nameWithModifiers.charAt(split)))
        {
            split++;
        }
        final String baseName = nameWithModifiers.substring(0, split);
        HandshakePattern pattern = BASE.get(baseName);
        if (null == pattern)
        {
            throw new IllegalArgumentException("unknown handshake pattern: " + baseName);
        }
        if (split < nameWithModifiers.length())
        {
            for (final String modifier : nameWithModifiers.substring(split).split("\\+"))
            {
                if (!modifier.startsWith("psk") || modifier.length() < 4)
                {
                    throw new IllegalArgumentException("unsupported modifier: " + modifier);
                }
                final int position;
                try
                {
                    position = Integer.parseInt(modifier.substring(3));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("unsupported modifier: " + modifier, ex);
                }
                pattern = pattern.withPsk(position, nameWithModifiers);
            }
        }
        return pattern;
    }
}
