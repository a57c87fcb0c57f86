/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process (usually a JVM running a test main class inside a network namespace) whose merged
 * stdout/stderr is collected line by line. Every wait is bounded; {@link #close()} kills it.
 *
 * <p>Child mains talk to the test through lines: they print {@code READY ...} once listening, result lines such
 * as {@code DONE key=value ...}, and exit 0 on success. {@link #field(String, String)} reads {@code key=value}.
 */
public final class ChildProcess implements AutoCloseable
{
    /** JVM options every child JVM gets: what Agrona needs, a modest heap, few GC threads (2-core CI). */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC");

    private final String description;
    private final Process process;
    private final OutputCollector output;

    private ChildProcess(final List<String> command, final String name) throws IOException
    {
        this.description = String.join(" ", command);
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.output = new OutputCollector(process.getInputStream(), "child-output-" + name);
    }

    /**
     * @param command the full command line.
     * @param name    a short name for diagnostics.
     * @return the started process.
     * @throws IOException if it cannot be started.
     */
    public static ChildProcess start(final List<String> command, final String name) throws IOException
    {
        return new ChildProcess(command, name);
    }

    /**
     * @param prefix   run under this command prefix (e.g. {@code ip netns exec NS}), or empty.
     * @param jvmArgs  extra JVM options after {@link #DEFAULT_JVM_OPTIONS} (e.g. {@code -Dx=y}).
     * @param main     the main class (on the test class path).
     * @param args     its arguments.
     * @return the command line: this JVM's {@code java}, the test class path, the main class and arguments.
     */
    public static List<String> javaCommand(
        final List<String> prefix, final List<String> jvmArgs, final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(DEFAULT_JVM_OPTIONS);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * Writes a line to the child's standard input (a cue the child waits for).
     *
     * @param line the text, without the line end.
     * @throws IOException if the child's input is closed.
     */
    public void println(final String line) throws IOException
    {
        final java.io.OutputStream input = process.getOutputStream();
        input.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        input.flush();
    }

    /**
     * Waits for a line starting with the prefix.
     *
     * @param prefix    e.g. {@code "READY"}.
     * @param timeoutMs longest wait.
     * @return the line.
     * @throws AssertionError if the process ended or the time passed first (with its output so far).
     */
    public String awaitLine(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final String line = output.awaitLine(prefix, timeoutMs);
        if (null == line)
        {
            throw new AssertionError("no line starting with '" + prefix + "' within " + timeoutMs + " ms from " +
                description + "\n--- output ---\n" + output.text());
        }
        return line;
    }

    /**
     * Waits for the process to exit and its output to end; kills it if it does not in time.
     *
     * @param timeoutMs longest wait.
     * @return the exit status, or -1 if it had to be killed.
     */
    public int awaitExit(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            kill();
            return -1;
        }
        output.awaitEnd(HostCommands.COMMAND_TIMEOUT_MS);
        return process.exitValue();
    }

    /** Kills the process at once (SIGKILL) and waits (bounded) until it is gone. */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(HostCommands.COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** @return the process id. */
    public long pid()
    {
        return process.pid();
    }

    /** @return true while it runs. */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** @return the command line and every output line so far (for assertion messages). */
    public String transcript()
    {
        return description + "\n--- output ---\n" + output.text();
    }

    /** @return the output lines so far. */
    public List<String> lines()
    {
        return output.lines();
    }

    /**
     * @param line a result line such as {@code DONE messages=10 bytes=20}.
     * @param key  a key.
     * @return the value after {@code key=} up to the next space.
     * @throws AssertionError if the key is absent.
     */
    public static String field(final String line, final String key)
    {
        final String marker = key + "=";
        for (final String token : line.split(" "))
        {
            if (token.startsWith(marker))
            {
                return token.substring(marker.length());
            }
        }
        throw new AssertionError("no " + key + "= in: " + line);
    }

    /** @return the numeric value of {@link #field(String, String)}. */
    public static long longField(final String line, final String key)
    {
        return Long.parseLong(field(line, key));
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
