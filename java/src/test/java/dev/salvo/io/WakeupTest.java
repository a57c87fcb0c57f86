/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DatagramEndpoint#wakeup()}: a parked waiter returns promptly, wake-ups are never lost (one made
 * before the wait makes the next wait return at once), a busy endpoint makes no wake-up system call, and
 * close still wakes a waiter.
 */
class WakeupTest
{
    private static final long LONG_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void wakeupReleasesAParkedWaiter(final EndpointKind kind) throws Exception
    {
        try (DatagramEndpoint endpoint = kind.open(Loopback.ipv4()))
        {
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread waiter = startWaiter(endpoint, outcome);
            awaitParked(endpoint);

            endpoint.wakeup();
            waiter.join(TimeUnit.NANOSECONDS.toMillis(Loopback.TIMEOUT_NANOS));
            assertFalse(waiter.isAlive(), "the parked waiter was woken");
            assertEquals(Boolean.FALSE, outcome.get(), "woken, not readable");
            assertEquals(1, endpoint.stats().wakeupSignals(), "one signal reached the kernel");
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void wakeupBeforeTheWaitIsNotLostAndCostsNoSystemCall(final EndpointKind kind) throws Exception
    {
        try (DatagramEndpoint endpoint = kind.open(Loopback.ipv4()))
        {
            for (int i = 0; i < 1000; i++)
            {
                endpoint.wakeup(); // nobody parked: only flags change
            }
            assertEquals(0, endpoint.stats().wakeupSignals());

            final AtomicReference<Object> outcome = new AtomicReference<>();
            final Thread waiter = startWaiter(endpoint, outcome);
            waiter.join(TimeUnit.NANOSECONDS.toMillis(Loopback.TIMEOUT_NANOS));
            assertFalse(waiter.isAlive(), "the pending wake-up made the wait return at once");
            assertEquals(Boolean.FALSE, outcome.get());

            // The pending wake-up was consumed: the next wait sleeps its full (short) timeout.
            final long start = System.nanoTime();
            assertFalse(endpoint.awaitReadable(TimeUnit.MILLISECONDS.toNanos(20)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(19), "slept the timeout");
        }
    }

    @ParameterizedTest
    @EnumSource(EndpointKind.class)
    void datagramStillWakesAndCloseStillWakes(final EndpointKind kind) throws Exception
    {
        final DatagramEndpoint endpoint = kind.open(Loopback.ipv4());
        try (DatagramEndpoint sender = kind.open(Loopback.ipv4()))
        {
            final AtomicReference<Object> outcome = new AtomicReference<>();
            Thread waiter = startWaiter(endpoint, outcome);
            awaitParked(endpoint);
            final SendBatch batch = new SendBatch(1, 64);
            batch.add(endpoint.localPeerAddress(), 8);
            assertEquals(1, sender.send(batch));
            waiter.join(TimeUnit.NANOSECONDS.toMillis(Loopback.TIMEOUT_NANOS));
            assertFalse(waiter.isAlive());
            assertEquals(Boolean.TRUE, outcome.get(), "readable");
            assertEquals(1, endpoint.receive(endpoint.newReceiveBatch(4, 64)));

            waiter = startWaiter(endpoint, outcome);
            awaitParked(endpoint);
            endpoint.close();
            waiter.join(TimeUnit.NANOSECONDS.toMillis(Loopback.TIMEOUT_NANOS));
            assertFalse(waiter.isAlive(), "close woke the waiter");
            assertTrue(outcome.get() instanceof ClosedChannelException, "outcome: " + outcome.get());
            endpoint.wakeup(); // harmless after close
        }
        finally
        {
            endpoint.close();
        }
    }

    private static Thread startWaiter(final DatagramEndpoint endpoint, final AtomicReference<Object> outcome)
    {
        outcome.set(null);
        final Thread waiter = new Thread(() ->
        {
            try
            {
                outcome.set(endpoint.awaitReadable(LONG_WAIT_NANOS));
            }
            catch (final Throwable ex)
            {
                outcome.set(ex);
            }
        }, "wakeup-test-waiter");
        waiter.setDaemon(true);
        waiter.start();
        return waiter;
    }

    private static void awaitParked(final DatagramEndpoint endpoint)
    {
        final long deadline = System.nanoTime() + Loopback.TIMEOUT_NANOS;
        while (!isParked(endpoint))
        {
            assertTrue(System.nanoTime() < deadline, "waiter never parked");
            Thread.onSpinWait();
        }
    }

    private static boolean isParked(final DatagramEndpoint endpoint)
    {
        return endpoint instanceof NativeDatagramEndpoint ?
            ((NativeDatagramEndpoint)endpoint).isParked() : ((NioDatagramEndpoint)endpoint).isParked();
    }
}
