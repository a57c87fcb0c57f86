/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.io.EndpointConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A transport whose socket receive buffer the kernel capped well below the request says so once, naming
 * {@code net.core.rmem_max} and the figure needed (System.Logger "dev.salvo.transport", backed by
 * java.util.logging here). The request is one no default cap grants (1 GiB, unforced, so the system's
 * {@code rmem_max} applies whatever the privileges).
 */
class ReceiveBufferWarningTest
{
    private static final int REQUEST = 1 << 30;

    @ParameterizedTest
    @EnumSource(TransportFixture.Io.class)
    void aCappedReceiveBufferIsReportedOncePerTransport(final TransportFixture.Io io) throws Exception
    {
        final Logger logger = Logger.getLogger("dev.salvo.transport");
        final List<String> warnings = new CopyOnWriteArrayList<>();
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                if (record.getLevel().intValue() >= Level.WARNING.intValue() &&
                    null != record.getMessage() && record.getMessage().contains("rmem_max"))
                {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        logger.addHandler(capture);
        try (TransportFixture fixture = new TransportFixture())
        {
            final TransportConfig config = io.apply(TransportFixture.config(StaticKeyPair.generate()));
            config.endpointConfig(new EndpointConfig(config.bindAddress()).socketBufferForce(false)
                .receiveBufferSize(REQUEST));
            final Transport transport = fixture.open(config);
            final int granted = TransportAccess.engine(transport).endpoint().receiveBufferSize();
            assumeTrue(granted < REQUEST, () -> "the kernel granted the whole request: " + granted);
            assertEquals(1, warnings.size(), () -> "one warning: " + warnings);
            final String warning = warnings.get(0);
            assertTrue(warning.contains("net.core.rmem_max=" + REQUEST), warning);
            assertTrue(warning.contains(Integer.toString(granted)), warning);
        }
        finally
        {
            logger.removeHandler(capture);
        }
    }
}
