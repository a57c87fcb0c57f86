/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import java.util.Locale;

/**
 * The congestion controllers a connection can run ({@link TransportConfig#CONGESTION_CONTROL_PROP_NAME},
 * or per connection with {@link ConnectOptions#congestionControl}).
 */
public enum CongestionControlAlgorithm
{
    /** CUBIC (RFC 9438) with HyStart++ (RFC 9406): the default, fills a path and shares it with TCP. */
    CUBIC("cubic"),

    /** NewReno as RFC 9002 specifies it for QUIC. */
    NEWRENO("newreno"),

    /**
     * Low priority, LEDBAT++-style: keeps its added queueing delay under 60 ms and yields most of a
     * bottleneck to other traffic; for bulk transfers that must not slow anything else.
     */
    BACKGROUND("background");

    private final String propertyValue;

    CongestionControlAlgorithm(final String propertyValue)
    {
        this.propertyValue = propertyValue;
    }

    /** @return the name as the property spells it ({@code cubic}, {@code newreno}, {@code background}). */
    public String propertyValue()
    {
        return propertyValue;
    }

    /**
     * @param value a property value, case-insensitive.
     * @return the algorithm it names.
     * @throws IllegalArgumentException if it names none.
     */
    public static CongestionControlAlgorithm fromPropertyValue(final String value)
    {
        final String name = value.trim().toLowerCase(Locale.ROOT);
        for (final CongestionControlAlgorithm algorithm : values())
        {
            if (algorithm.propertyValue.equals(name))
            {
                return algorithm;
            }
        }
        throw new IllegalArgumentException(
            "unknown congestion control '" + value + "': expected cubic, newreno or background");
    }
}
