/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.transport;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.salvo.CongestionControlAlgorithm;
import dev.salvo.ConnectOptions;
import dev.salvo.Connection;
import dev.salvo.Transport;
import dev.salvo.TransportConfig;
import dev.salvo.crypto.StaticKeyPair;
import dev.salvo.transport.congestion.BackgroundCongestionControl;
import dev.salvo.transport.congestion.CongestionControllers;
import dev.salvo.transport.congestion.CubicCongestionControl;
import dev.salvo.transport.congestion.NewRenoCongestionControl;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TransportConfig#CONGESTION_CONTROL_PROP_NAME} and the per-connection override of
 * {@link Transport#connect(java.net.InetSocketAddress, byte[], dev.salvo.ConnectionHandler, ConnectOptions)}
 * reach the connection cores: over real sockets on loopback, each side reports the controller its core runs.
 */
class CongestionControlSelectionTest
{
    private static final long WAIT = RecordingHandler.WAIT_SECONDS;

    @Test
    void propertyDefaultAndNames()
    {
        final String saved = System.getProperty(TransportConfig.CONGESTION_CONTROL_PROP_NAME);
        try
        {
            System.clearProperty(TransportConfig.CONGESTION_CONTROL_PROP_NAME);
            assertEquals(CongestionControlAlgorithm.CUBIC,
                TransportFixture.config(StaticKeyPair.generate()).congestionControl(), "cubic by default");
            System.setProperty(TransportConfig.CONGESTION_CONTROL_PROP_NAME, "Background");
            final TransportConfig config = TransportFixture.config(StaticKeyPair.generate());
            assertEquals(CongestionControlAlgorithm.BACKGROUND, config.congestionControl());
            assertEquals(CongestionControlAlgorithm.BACKGROUND, config.connectionSettings().congestionControl());
            System.setProperty(TransportConfig.CONGESTION_CONTROL_PROP_NAME, "vegas");
            assertThrows(IllegalArgumentException.class, () -> TransportFixture.config(StaticKeyPair.generate()));
        }
        finally
        {
            if (null == saved)
            {
                System.clearProperty(TransportConfig.CONGESTION_CONTROL_PROP_NAME);
            }
            else
            {
                System.setProperty(TransportConfig.CONGESTION_CONTROL_PROP_NAME, saved);
            }
        }
        assertEquals(CongestionControlAlgorithm.CUBIC, new ConnectionSettings().congestionControl());
        assertInstanceOf(CubicCongestionControl.class,
            CongestionControllers.newController(CongestionControlAlgorithm.CUBIC, 1200));
        assertInstanceOf(NewRenoCongestionControl.class,
            CongestionControllers.newController(CongestionControlAlgorithm.NEWRENO, 1200));
        assertInstanceOf(BackgroundCongestionControl.class,
            CongestionControllers.newController(CongestionControlAlgorithm.BACKGROUND, 1200));
        for (final CongestionControlAlgorithm algorithm : CongestionControlAlgorithm.values())
        {
            assertEquals(algorithm.propertyValue(),
                CongestionControllers.newController(algorithm, 1200).name(), "stats name = property value");
        }
    }

    @Test
    void transportDefaultAndPerConnectionOverrideReachTheCores() throws Exception
    {
        try (TransportFixture fixture = new TransportFixture())
        {
            final StaticKeyPair serverKey = StaticKeyPair.generate();
            final RecordingHandler serverHandler = new RecordingHandler();
            final Transport server = fixture.open(TransportFixture.config(serverKey)
                .congestionControl(CongestionControlAlgorithm.BACKGROUND)
                .acceptHandler(serverHandler));
            final Transport client = fixture.open(TransportFixture.config(StaticKeyPair.generate()));

            final RecordingHandler plainHandler = new RecordingHandler();
            final Connection plain =
                client.connect(server.localAddress(), serverKey.publicKey(), plainHandler).get(WAIT, TimeUnit.SECONDS);
            final Connection plainAccepted = serverHandler.nextConnected();

            final RecordingHandler overriddenHandler = new RecordingHandler();
            final Connection overridden = client.connect(server.localAddress(), serverKey.publicKey(), overriddenHandler,
                new ConnectOptions().congestionControl(CongestionControlAlgorithm.NEWRENO)).get(WAIT, TimeUnit.SECONDS);
            final Connection overriddenAccepted = serverHandler.nextConnected();

            for (final Connection connection : new Connection[]{plain, overridden})
            {
                assertTrue(connection.send(new byte[1000], WAIT, TimeUnit.SECONDS) >= 0);
            }
            serverHandler.nextMessage();
            serverHandler.nextMessage();

            awaitName(plain, "cubic");
            awaitName(overridden, "newreno");
            awaitName(plainAccepted, "background");
            awaitName(overriddenAccepted, "background");
        }
    }

    private static void awaitName(final Connection connection, final String expected)
    {
        awaitTrue(() -> expected.equals(connection.stats().congestionControl()),
            () -> "congestion control " + expected + ", stats say '" + connection.stats().congestionControl() + "'");
    }

    private static void awaitTrue(final BooleanSupplier condition, final java.util.function.Supplier<String> what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, () -> "not within " + WAIT + " s: " + what.get());
            Thread.yield();
        }
    }
}
