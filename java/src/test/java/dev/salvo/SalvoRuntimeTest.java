/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SalvoRuntimeTest
{
    @Test
    void passesWithTheFlagThatSurefireGives()
    {
        assertTrue(SalvoRuntime.isInternalMiscAccessible());
        assertDoesNotThrow(SalvoRuntime::ensureSupported);
    }

    /** A child JVM without the flag must get our message, naming the flag, not Agrona's IllegalAccessError. */
    @Test
    void childJvmWithoutTheFlagGetsOneClearError() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(
            List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        builder.redirectErrorStream(true);
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(3, process.exitValue(), output);
        assertTrue(output.contains(SalvoRuntime.REQUIRED_JVM_OPTION), output);
    }

    /** Entry point of the child JVM above. */
    public static final class Main
    {
        public static void main(final String[] args)
        {
            try
            {
                SalvoRuntime.ensureSupported();
                System.out.println("no error");
                System.exit(0);
            }
            catch (final IllegalStateException ex)
            {
                System.out.println(ex.getMessage());
                System.exit(3);
            }
        }
    }

}
