/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

/**
 * The handshake between a thread parking in {@link DatagramEndpoint#awaitReadable(long)} and threads
 * calling {@link DatagramEndpoint#wakeup()}, so a wake-up costs a system call only when the waiter is
 * actually parked, and no wake-up is ever lost.
 *
 * <p>Dekker-style on two volatile flags: a waker writes {@code pending} then reads {@code parked}; the
 * waiter writes {@code parked} then reads {@code pending}. Volatile accesses are sequentially consistent,
 * so at least one side sees the other's write: either the waiter sees {@code pending} and does not sleep,
 * or the waker sees {@code parked} and signals the kernel object (eventfd / {@code Selector.wakeup()}),
 * which stays signalled until the waiter's poll consumes it even if the poll starts later.
 */
final class WakeupState
{
    private volatile boolean pending;
    private volatile boolean parked;

    /**
     * Waker side.
     *
     * @return true if the waiter may be parked in the kernel and must be signalled.
     */
    boolean requestWakeup()
    {
        pending = true;
        return parked;
    }

    /**
     * Waiter side, before the kernel wait.
     *
     * @return true to go ahead and wait; false if a wake-up is already pending (it is consumed).
     */
    boolean beginPark()
    {
        parked = true;
        if (pending)
        {
            pending = false;
            parked = false;
            return false;
        }
        return true;
    }

    /**
     * Waiter side, after the kernel wait: consumes any wake-up that arrived meanwhile.
     */
    void endPark()
    {
        parked = false;
        if (pending)
        {
            pending = false;
        }
    }

    /** @return whether the waiter has announced it is (about to be) parked in the kernel; for tests. */
    boolean isParked()
    {
        return parked;
    }
}
