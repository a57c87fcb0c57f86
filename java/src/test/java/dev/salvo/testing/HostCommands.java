/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs host tools ({@code ip}, {@code nft}, {@code tc}) with a time limit and reports what they said.
 */
public final class HostCommands
{
    /** Longest any one setup or teardown command may take. */
    public static final long COMMAND_TIMEOUT_MS = 20_000;

    private HostCommands()
    {
    }

    /** What a finished command returned. */
    public static final class Outcome
    {
        /** Exit status, or -1 if it was killed after {@link #COMMAND_TIMEOUT_MS}. */
        public final int exitCode;
        /** Standard output and error, merged. */
        public final String output;

        Outcome(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }

        /** @return true if the command exited with status 0. */
        public boolean succeeded()
        {
            return 0 == exitCode;
        }
    }

    /**
     * @param command the command and its arguments.
     * @param stdin   text written to its standard input, or null.
     * @return the outcome; never throws for a failing command.
     * @throws IOException if the command cannot be started.
     */
    public static Outcome run(final List<String> command, final String stdin) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (null != stdin)
        {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        final OutputCollector output = new OutputCollector(process.getInputStream(), "cmd-output");
        try
        {
            if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                return new Outcome(-1, "timed out after " + COMMAND_TIMEOUT_MS + " ms: " + output.text());
            }
            output.awaitEnd(COMMAND_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted");
        }
        return new Outcome(process.exitValue(), output.text());
    }

    /**
     * @param tool a program name such as {@code ip}.
     * @return its absolute path (PATH plus /usr/sbin and /sbin), or null if it is not installed.
     */
    public static String find(final String tool)
    {
        for (final String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":"))
        {
            if (dir.isEmpty())
            {
                continue;
            }
            final Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        return null;
    }

    /** @return true if this process runs as uid 0 on Linux. */
    public static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return "0".equals(line.split("\\s+")[2]);
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // not Linux: not root for our purposes
        }
        return false;
    }
}
