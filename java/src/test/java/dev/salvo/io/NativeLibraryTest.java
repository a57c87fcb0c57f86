/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loading decisions and capabilities. The failure branches are exercised through
 * {@link NativeLibrary#load}, which takes its inputs explicitly; a child JVM checks that forcing
 * NIO makes {@link DatagramEndpoint#open} return the fallback and logs the reason once.
 */
class NativeLibraryTest
{
    @Test
    void forceNioWins()
    {
        final NativeLibrary.Outcome outcome = NativeLibrary.load(true, "/tmp", NativeLibrary.resourceName());
        assertFalse(outcome.available);
        assertTrue(outcome.description.contains(NativeLibrary.FORCE_NIO_PROP_NAME), outcome.description);
    }

    @Test
    void missingResourceFallsBackWithReason(@TempDir final Path dir)
    {
        final NativeLibrary.Outcome outcome =
            NativeLibrary.load(false, dir.toString(), "META-INF/native/linux-nocpu/libsalvo.so");
        assertFalse(outcome.available);
        assertTrue(outcome.description.contains("not found"), outcome.description);
    }

    @Test
    void missingWorkDirFallsBackWithReason(@TempDir final Path dir)
    {
        assumeTrue(null != NativeLibrary.resourceName() &&
            null != NativeLibrary.class.getClassLoader().getResource(NativeLibrary.resourceName()),
            "no shim resource on this platform");
        final NativeLibrary.Outcome outcome =
            NativeLibrary.load(false, dir.resolve("missing").toString(), NativeLibrary.resourceName());
        assertFalse(outcome.available);
        assertTrue(outcome.description.contains("does not exist"), outcome.description);
    }

    @Test
    void extractionLeavesNoFileBehind(@TempDir final Path dir) throws Exception
    {
        assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
        final NativeLibrary.Outcome outcome = NativeLibrary.load(false, dir.toString(), NativeLibrary.resourceName());
        assertTrue(outcome.available, outcome.description);
        try (var files = Files.list(dir))
        {
            assertEquals(0, files.count(), "the extracted copy is deleted after loading");
        }
    }

    @Test
    void nativeCapabilitiesAreReported() throws Exception
    {
        assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
        try (DatagramEndpoint endpoint = DatagramEndpoint.open(new EndpointConfig(Loopback.ipv4())))
        {
            final IoCapabilities capabilities = endpoint.capabilities();
            assertEquals("native", capabilities.implementation());
            assertTrue(capabilities.batchSyscalls());
            if (capabilities.gso())
            {
                assertEquals(64, capabilities.gsoMaxSegments());
            }
            assertTrue(endpoint.sendBufferSize() > 0 && endpoint.receiveBufferSize() > 0);
        }
        try (DatagramEndpoint endpoint = NativeDatagramEndpoint.open(
            new EndpointConfig(Loopback.ipv4()).gsoEnabled(false).groEnabled(false)))
        {
            assertFalse(endpoint.capabilities().gso());
            assertFalse(endpoint.capabilities().gro());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(EndpointKind.class)
    void buffersAreRequestedAtTheirDefaultsAndGrantedSizesReported(final EndpointKind kind) throws Exception
    {
        assertEquals(64 * 1024 * 1024, new EndpointConfig(Loopback.ipv4()).receiveBufferSize());
        assertEquals(16 * 1024 * 1024, new EndpointConfig(Loopback.ipv4()).sendBufferSize());
        final Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        final Path wmemMax = Path.of("/proc/sys/net/core/wmem_max");
        assumeTrue(Files.isReadable(rmemMax) && Files.isReadable(wmemMax), "not Linux: no /proc/sys/net/core");
        // readAllLines: /proc files report size 0, which trips size-hinted readers.
        final long rmem = Long.parseLong(Files.readAllLines(rmemMax).get(0).trim());
        final long wmem = Long.parseLong(Files.readAllLines(wmemMax).get(0).trim());
        try (DatagramEndpoint endpoint = kind.open(Loopback.ipv4()))
        {
            // Linux grants min(request, *mem_max) and getsockopt reports it doubled (bookkeeping
            // overhead); the JDK's NIO reports the granted size without the doubling.
            // The native endpoint uses SO_*BUFFORCE first, which lifts the cap with CAP_NET_ADMIN.
            final long factor = EndpointKind.NIO == kind ? 1 : 2;
            final boolean uncapped = EndpointKind.NIO != kind && hasNetAdminCapability();
            final long receiveRequest = 64L * 1024 * 1024;
            final long sendRequest = 16L * 1024 * 1024;
            assertEquals(factor * (uncapped ? receiveRequest : Math.min(receiveRequest, rmem)), endpoint.receiveBufferSize());
            assertEquals(factor * (uncapped ? sendRequest : Math.min(sendRequest, wmem)), endpoint.sendBufferSize());
        }
    }

    @Test
    void withoutForcingTheNativeEndpointKeepsTheSystemCaps() throws Exception
    {
        assumeTrue(NativeLibrary.isAvailable(), () -> "native shim unavailable: " + NativeLibrary.description());
        final Path rmemMax = Path.of("/proc/sys/net/core/rmem_max");
        final Path wmemMax = Path.of("/proc/sys/net/core/wmem_max");
        assumeTrue(Files.isReadable(rmemMax) && Files.isReadable(wmemMax), "not Linux: no /proc/sys/net/core");
        final long rmem = Long.parseLong(Files.readAllLines(rmemMax).get(0).trim());
        final long wmem = Long.parseLong(Files.readAllLines(wmemMax).get(0).trim());
        final int receiveRequest = (int)Math.min(Integer.MAX_VALUE / 2, rmem + 4096); // past the cap
        final int sendRequest = (int)Math.min(Integer.MAX_VALUE / 2, wmem + 4096);
        try (DatagramEndpoint endpoint = NativeDatagramEndpoint.open(new EndpointConfig(Loopback.ipv4())
            .socketBufferForce(false).receiveBufferSize(receiveRequest).sendBufferSize(sendRequest)))
        {
            // What an unprivileged process gets whatever it asks: the cap, reported doubled.
            assertEquals(2 * rmem, endpoint.receiveBufferSize());
            assertEquals(2 * wmem, endpoint.sendBufferSize());
        }
    }

    @Test
    void forcedNioInChildJvmUsesFallbackAndLogsOnce() throws Exception
    {
        final ChildJvm.Result result = ChildJvm.run(
            null, ForcedNioMain.class, "-D" + NativeLibrary.FORCE_NIO_PROP_NAME + "=true");
        assertEquals(0, result.exitCode, result.output);
        assertTrue(result.output.contains("implementation=nio"), result.output);
        int count = 0;
        for (int i = result.output.indexOf("falling back to NIO"); i >= 0; i = result.output.indexOf("falling back to NIO", i + 1))
        {
            count++;
        }
        assertEquals(1, count, "the reason is logged once: " + result.output);
    }

    /** Child JVM main: opens two endpoints and prints the implementation. */
    public static final class ForcedNioMain
    {
        public static void main(final String[] args) throws Exception
        {
            try (DatagramEndpoint a = DatagramEndpoint.open(new EndpointConfig(Loopback.ipv4()));
                DatagramEndpoint b = DatagramEndpoint.open(new EndpointConfig(Loopback.ipv4())))
            {
                System.out.println("implementation=" + a.capabilities().implementation() + "," +
                    b.capabilities().implementation());
            }
        }
    }

    /** CAP_NET_ADMIN (bit 12) in this process's effective capability set, read from /proc/self/status. */
    private static boolean hasNetAdminCapability() throws java.io.IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("CapEff:"))
            {
                final long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                return (effective & (1L << 12)) != 0;
            }
        }
        return false;
    }
}
