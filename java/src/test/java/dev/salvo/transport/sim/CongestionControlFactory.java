/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport.sim;

import java.lang.reflect.Constructor;

import dev.salvo.transport.ConnectionSettings;
import dev.salvo.transport.congestion.CongestionControl;
import dev.salvo.transport.congestion.NewRenoCongestionControl;

/**
 * Makes the congestion controller of one simulated sender, so every scenario runs against any controller.
 */
@FunctionalInterface
public interface CongestionControlFactory
{
    /** RFC 9002 NewReno. */
    CongestionControlFactory NEW_RENO = named("NewReno", s -> new NewRenoCongestionControl(s.maxDatagramSize()));

    /**
     * @param settings the connection's settings (max datagram size).
     * @return a new controller for one connection.
     */
    CongestionControl newController(ConnectionSettings settings);

    /** @return a name for tables and test names. */
    default String name()
    {
        return getClass().getSimpleName();
    }

    /**
     * @return the controller class {@code className} (in {@code dev.salvo.transport.congestion}) made with its
     * {@code (int maxDatagramSize)} constructor, or null if this build does not have it (lets the report run
     * on branches where a controller is still missing).
     */
    static CongestionControlFactory byClassName(final String className)
    {
        final Constructor<?> constructor;
        try
        {
            constructor = Class.forName("dev.salvo.transport.congestion." + className).getConstructor(int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            return null;
        }
        return named(className.replace("CongestionControl", ""), settings ->
        {
            try
            {
                return (CongestionControl)constructor.newInstance(settings.maxDatagramSize());
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
    }

    /** @return {@code factory} reporting {@code name}. */
    static CongestionControlFactory named(final String name, final CongestionControlFactory factory)
    {
        return new CongestionControlFactory()
        {
            @Override
            public CongestionControl newController(final ConnectionSettings settings)
            {
                return factory.newController(settings);
            }

            @Override
            public String name()
            {
                return name;
            }

            @Override
            public String toString()
            {
                return name;
            }
        };
    }
}
