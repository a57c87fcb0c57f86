/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

/**
 * Checks, once, that the JVM lets Salvo's dependencies do what they need.
 *
 * <p>Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}. Without
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} its first use fails deep inside a
 * static initialiser with an {@link IllegalAccessError} that does not say what to do. Salvo's entry
 * points call {@link #ensureSupported()} first, so a user who forgets the flag gets one clear error
 * that names it.
 */
public final class SalvoRuntime
{
    /** The JVM option Salvo needs; scripts, tests and the CLI pass it. */
    public static final String REQUIRED_JVM_OPTION = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final String INTERNAL_MISC = "jdk.internal.misc";
    private static volatile boolean checked;

    private SalvoRuntime()
    {
    }

    /**
     * Throws unless {@code jdk.internal.misc} is accessible to Salvo's (and Agrona's) module.
     *
     * @throws IllegalStateException naming {@link #REQUIRED_JVM_OPTION} when the flag is missing.
     */
    public static void ensureSupported()
    {
        if (checked)
        {
            return;
        }
        if (!isInternalMiscAccessible())
        {
            throw new IllegalStateException(
                "Salvo needs the JVM option '" + REQUIRED_JVM_OPTION + "' (Agrona uses jdk.internal.misc.Unsafe); " +
                "add it to the java command line or to JDK_JAVA_OPTIONS");
        }
        checked = true;
    }

    /** @return true if Agrona can reach {@code jdk.internal.misc} from where Salvo is loaded. */
    public static boolean isInternalMiscAccessible()
    {
        final Module javaBase = Object.class.getModule();
        final Module agrona = org.agrona.DirectBuffer.class.getModule();
        return javaBase.isExported(INTERNAL_MISC, agrona);
    }
}
