/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the JNI shim once per JVM and says whether it can be used, and if not, why.
 *
 * <p>Order: {@code System.loadLibrary("salvo")} from {@code java.library.path}; else the jar
 * resource {@code META-INF/native/linux-<cpu>/libsalvo.so} is copied into
 * {@link #WORK_DIR_PROP_NAME} (default {@code java.io.tmpdir}), loaded, and the copy deleted
 * straight away. Whatever fails (not Linux, no resource for this CPU, a {@code noexec} work
 * directory, a shim whose layout disagrees with ours, or {@link #FORCE_NIO_PROP_NAME}) leaves the
 * library unavailable; the reason is logged once through {@link System.Logger} and endpoints use
 * NIO.
 */
public final class NativeLibrary
{
    /** Set to {@code true} to never load the shim and always use the NIO fallback. */
    public static final String FORCE_NIO_PROP_NAME = "salvo.io.forceNio";
    /** Directory the shim is extracted into before loading. */
    public static final String WORK_DIR_PROP_NAME = "salvo.io.nativeWorkDir";
    /** Default for {@link #WORK_DIR_PROP_NAME}: the system property {@code java.io.tmpdir}. */
    public static final String WORK_DIR_DEFAULT = System.getProperty("java.io.tmpdir");

    /** Library name on {@code java.library.path} ({@code libsalvo.so}). */
    public static final String LIBRARY_NAME = "salvo";

    private static final System.Logger LOGGER = System.getLogger("dev.salvo.io");
    private static final Outcome OUTCOME = loadOnce();

    static int eagain;
    static int ewouldblock;
    static int ebadf;
    static int eio;
    static int einval;
    static int emsgsize;
    static int msgTrunc;
    static int msgCtrunc;
    static int sendScratchPerMessage;
    static int receiveScratchPerSlot;
    static int maxMessagesPerCall;

    private NativeLibrary()
    {
    }

    /**
     * Whether the shim is loaded and usable.
     *
     * @return true when native endpoints can be opened.
     */
    public static boolean isAvailable()
    {
        return OUTCOME.available;
    }

    /**
     * Why the shim is not in use, or how it was loaded when it is.
     *
     * @return a human-readable description.
     */
    public static String description()
    {
        return OUTCOME.description;
    }

    /**
     * Whether the shim is loaded for native code other than I/O (the native AEAD in dev.salvo.crypto.aead).
     * {@link #FORCE_NIO_PROP_NAME} is about I/O only: with it set, this still loads the shim, and endpoints
     * still use NIO.
     *
     * @return true when the shim's non-I/O entry points can be called.
     */
    public static boolean isShimLoaded()
    {
        return ShimHolder.OUTCOME.available;
    }

    /**
     * Why the shim is not loaded for non-I/O use, or how it was loaded.
     *
     * @return a human-readable description.
     */
    public static String shimDescription()
    {
        return ShimHolder.OUTCOME.description;
    }

    /** Loaded on first use only, so forcing NIO loads nothing unless native crypto asks for it. */
    private static final class ShimHolder
    {
        static final Outcome OUTCOME = NativeLibrary.OUTCOME.available || !Boolean.getBoolean(FORCE_NIO_PROP_NAME) ?
            NativeLibrary.OUTCOME : load(false, System.getProperty(WORK_DIR_PROP_NAME, WORK_DIR_DEFAULT), resourceName());
    }

    /**
     * The platform directory name the jar uses for this JVM, e.g. {@code linux-x86_64}.
     *
     * @return the directory name, or {@code null} on an OS other than Linux.
     */
    public static String platformDirectory()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux"))
        {
            return null;
        }
        String cpu = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if ("amd64".equals(cpu) || "x64".equals(cpu))
        {
            cpu = "x86_64";
        }
        else if ("arm64".equals(cpu))
        {
            cpu = "aarch64";
        }
        return "linux-" + cpu;
    }

    /**
     * The jar resource the shim is extracted from on this platform.
     *
     * @return the resource name, or {@code null} on an OS other than Linux.
     */
    public static String resourceName()
    {
        final String platform = platformDirectory();
        return null == platform ? null : "META-INF/native/" + platform + "/lib" + LIBRARY_NAME + ".so";
    }

    static final class Outcome
    {
        final boolean available;
        final String description;

        Outcome(final boolean available, final String description)
        {
            this.available = available;
            this.description = description;
        }
    }

    private static Outcome loadOnce()
    {
        final Outcome outcome = load(
            Boolean.getBoolean(FORCE_NIO_PROP_NAME),
            System.getProperty(WORK_DIR_PROP_NAME, WORK_DIR_DEFAULT),
            resourceName());
        if (!outcome.available)
        {
            LOGGER.log(Level.INFO, "Salvo native I/O shim not in use, falling back to NIO: {0}", outcome.description);
        }
        else
        {
            LOGGER.log(Level.DEBUG, "Salvo native I/O shim: {0}", outcome.description);
        }
        return outcome;
    }

    /**
     * The loading decision with its inputs explicit (tested directly for the failure branches).
     */
    static Outcome load(final boolean forceNio, final String workDir, final String resource)
    {
        if (forceNio)
        {
            return new Outcome(false, FORCE_NIO_PROP_NAME + "=true");
        }
        if (null == resource)
        {
            return new Outcome(false, "no native shim for " + System.getProperty("os.name") + "/" +
                System.getProperty("os.arch"));
        }

        String how;
        try
        {
            System.loadLibrary(LIBRARY_NAME);
            how = "loaded lib" + LIBRARY_NAME + ".so from java.library.path";
        }
        catch (final UnsatisfiedLinkError | SecurityException fromPath)
        {
            final Outcome extracted = loadFromResource(workDir, resource);
            if (!extracted.available)
            {
                return extracted;
            }
            how = extracted.description;
        }

        final String mismatch = verifyLayout();
        if (null != mismatch)
        {
            return new Outcome(false, "shim layout mismatch: " + mismatch);
        }
        return new Outcome(true, how);
    }

    private static Outcome loadFromResource(final String workDir, final String resource)
    {
        final ClassLoader loader = NativeLibrary.class.getClassLoader();
        try (InputStream in = null == loader ?
            ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource))
        {
            if (null == in)
            {
                return new Outcome(false, "resource " + resource + " not found (shim not built for this CPU?)");
            }
            final Path dir = Paths.get(workDir);
            if (!Files.isDirectory(dir))
            {
                return new Outcome(false, "work directory " + dir + " (" + WORK_DIR_PROP_NAME + ") does not exist");
            }
            final Path file = Files.createTempFile(dir, "lib" + LIBRARY_NAME + "-", ".so");
            try
            {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            }
            finally
            {
                Files.deleteIfExists(file);
            }
            return new Outcome(true, "extracted " + resource + " into " + dir + " and loaded it");
        }
        catch (final IOException | UnsatisfiedLinkError | SecurityException ex)
        {
            return new Outcome(false, "cannot load " + resource + " via " + workDir + ": " + ex);
        }
    }

    private static String verifyLayout()
    {
        try
        {
            final int version = NativeIo.layout(NativeIo.LAYOUT_VERSION);
            if (NativeIo.EXPECTED_LAYOUT_VERSION != version)
            {
                return "layout version " + version + ", expected " + NativeIo.EXPECTED_LAYOUT_VERSION;
            }
            final int[][] expected = {
                {NativeIo.LAYOUT_AF_INET, SockaddrDescriptor.AF_INET},
                {NativeIo.LAYOUT_AF_INET6, SockaddrDescriptor.AF_INET6},
                {NativeIo.LAYOUT_SOCKADDR_IN_SIZE, SockaddrDescriptor.SOCKADDR_IN_LENGTH},
                {NativeIo.LAYOUT_SOCKADDR_IN6_SIZE, SockaddrDescriptor.SOCKADDR_IN6_LENGTH},
                {NativeIo.LAYOUT_SIN_FAMILY_OFFSET, SockaddrDescriptor.FAMILY_OFFSET},
                {NativeIo.LAYOUT_SIN_PORT_OFFSET, SockaddrDescriptor.PORT_OFFSET},
                {NativeIo.LAYOUT_SIN_ADDR_OFFSET, SockaddrDescriptor.IN_ADDR_OFFSET},
                {NativeIo.LAYOUT_SIN6_FAMILY_OFFSET, SockaddrDescriptor.FAMILY_OFFSET},
                {NativeIo.LAYOUT_SIN6_PORT_OFFSET, SockaddrDescriptor.PORT_OFFSET},
                {NativeIo.LAYOUT_SIN6_FLOWINFO_OFFSET, SockaddrDescriptor.IN6_FLOWINFO_OFFSET},
                {NativeIo.LAYOUT_SIN6_ADDR_OFFSET, SockaddrDescriptor.IN6_ADDR_OFFSET},
                {NativeIo.LAYOUT_SIN6_SCOPE_ID_OFFSET, SockaddrDescriptor.IN6_SCOPE_ID_OFFSET},
                {NativeIo.LAYOUT_SEND_ENTRY_LENGTH, SendEntryDescriptor.ENTRY_LENGTH},
                {NativeIo.LAYOUT_SEND_ENTRY_ADDRESS, SendEntryDescriptor.ADDRESS_OFFSET},
                {NativeIo.LAYOUT_RECV_SLOT_LENGTH, ReceiveSlotDescriptor.SLOT_LENGTH},
                {NativeIo.LAYOUT_RECV_SLOT_ADDRESS, ReceiveSlotDescriptor.ADDRESS_OFFSET},
                {NativeIo.LAYOUT_RECV_SLOT_CONTROL, ReceiveSlotDescriptor.CONTROL_OFFSET},
            };
            for (final int[] pair : expected)
            {
                final int actual = NativeIo.layout(pair[0]);
                if (actual != pair[1])
                {
                    return "layout key " + pair[0] + " is " + actual + ", expected " + pair[1];
                }
            }
            eagain = NativeIo.layout(NativeIo.LAYOUT_EAGAIN);
            ewouldblock = NativeIo.layout(NativeIo.LAYOUT_EWOULDBLOCK);
            ebadf = NativeIo.layout(NativeIo.LAYOUT_EBADF);
            eio = NativeIo.layout(NativeIo.LAYOUT_EIO);
            einval = NativeIo.layout(NativeIo.LAYOUT_EINVAL);
            emsgsize = NativeIo.layout(NativeIo.LAYOUT_EMSGSIZE);
            msgTrunc = NativeIo.layout(NativeIo.LAYOUT_MSG_TRUNC);
            msgCtrunc = NativeIo.layout(NativeIo.LAYOUT_MSG_CTRUNC);
            sendScratchPerMessage = NativeIo.layout(NativeIo.LAYOUT_SEND_SCRATCH_PER_MESSAGE);
            receiveScratchPerSlot = NativeIo.layout(NativeIo.LAYOUT_RECV_SCRATCH_PER_SLOT);
            maxMessagesPerCall = NativeIo.layout(NativeIo.LAYOUT_MAX_MESSAGES_PER_CALL);
            if (sendScratchPerMessage <= 0 || receiveScratchPerSlot <= 0 || maxMessagesPerCall <= 0)
            {
                return "bad scratch sizes";
            }
            return null;
        }
        catch (final UnsatisfiedLinkError ex)
        {
            return "missing entry point: " + ex.getMessage();
        }
    }
}
