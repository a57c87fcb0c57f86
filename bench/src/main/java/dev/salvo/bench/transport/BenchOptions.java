/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --name value} options of {@link TransportBench}, with defaults and range checks.
 */
final class BenchOptions
{
    private final Map<String, String> values = new HashMap<>();

    BenchOptions(final String[] args, final int from)
    {
        for (int i = from; i < args.length; i++)
        {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String string(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue).toLowerCase(Locale.ROOT);
    }

    double seconds(final String name, final double defaultValue)
    {
        final double value = Double.parseDouble(values.getOrDefault(name, Double.toString(defaultValue)));
        if (!(value >= 0 && value <= 600))
        {
            throw new IllegalArgumentException("--" + name + " must be 0..600 seconds: " + value);
        }
        return value;
    }

    int integer(final String name, final int defaultValue, final int min, final int max)
    {
        final int value = Integer.parseInt(values.getOrDefault(name, Integer.toString(defaultValue)));
        if (value < min || value > max)
        {
            throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ": " + value);
        }
        return value;
    }

    boolean flag(final String name, final String on, final String off, final String defaultValue)
    {
        final String value = string(name, defaultValue);
        if (!value.equals(on) && !value.equals(off))
        {
            throw new IllegalArgumentException("--" + name + " must be " + on + " or " + off + ": " + value);
        }
        return value.equals(on);
    }
}
