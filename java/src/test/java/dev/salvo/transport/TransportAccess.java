/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.lang.reflect.Field;

import dev.salvo.Transport;

/**
 * Reaches a transport's engine for tests that must break things underneath it (e.g. close its socket).
 */
final class TransportAccess
{
    private TransportAccess()
    {
    }

    static TransportEngine engine(final Transport transport)
    {
        try
        {
            final Field field = Transport.class.getDeclaredField("engine");
            field.setAccessible(true);
            return (TransportEngine)field.get(transport);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
