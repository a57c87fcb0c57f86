/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Maps the shim's {@code -errno} results to Java exceptions (the would-block case is handled by
 * callers as "nothing done" before they get here).
 */
final class IoErrors
{
    private IoErrors()
    {
    }

    static boolean isWouldBlock(final int result)
    {
        return -result == NativeLibrary.eagain || -result == NativeLibrary.ewouldblock;
    }

    static IOException exception(final String call, final int result)
    {
        if (NativeIo.ERR_BAD_DESCRIPTOR == result)
        {
            throw new IllegalStateException(call + ": the native shim rejected a malformed descriptor table");
        }
        if (NativeIo.ERR_BAD_ARGUMENT == result)
        {
            throw new IllegalArgumentException(call + ": the native shim rejected an argument");
        }
        final int errno = -result;
        if (errno == NativeLibrary.ebadf)
        {
            final ClosedChannelException closed = new ClosedChannelException();
            closed.initCause(new IOException(call + " failed: " + NativeIo.errorText(errno) + " (errno " + errno + ")"));
            return closed;
        }
        if (errno == NativeLibrary.emsgsize)
        {
            return new DatagramTooLargeException(call + " failed: " + NativeIo.errorText(errno) + " (errno " + errno + ")");
        }
        return new IOException(call + " failed: " + NativeIo.errorText(errno) + " (errno " + errno + ")");
    }
}
