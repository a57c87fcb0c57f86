/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.io;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM (same java, same class path), optionally under a command
 * prefix such as {@code ip netns exec <ns>}, bounded in time.
 */
final class ChildJvm
{
    static final class Result
    {
        final int exitCode;
        final String output;

        Result(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    private ChildJvm()
    {
    }

    static Result run(final List<String> prefix, final Class<?> main, final String... jvmArgs) throws Exception
    {
        final List<String> command = new ArrayList<>();
        if (null != prefix)
        {
            command.addAll(prefix);
        }
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("--add-opens");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.addAll(Arrays.asList(jvmArgs));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[][] output = new byte[1][];
        final Thread reader = new Thread(() ->
        {
            try
            {
                output[0] = process.getInputStream().readAllBytes();
            }
            catch (final java.io.IOException ex)
            {
                output[0] = ex.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        final String text = null == output[0] ? "" : new String(output[0], StandardCharsets.UTF_8);
        return new Result(process.isAlive() ? -1 : process.exitValue(), String.join(" ", command) + "\n" + text);
    }
}
