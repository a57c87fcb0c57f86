/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a process's output line by line on a daemon thread, keeps every line, and lets callers wait (bounded)
 * for a line with a given prefix or for the end of the stream.
 */
final class OutputCollector
{
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    OutputCollector(final InputStream stream, final String threadName)
    {
        reader = new Thread(() -> readAll(stream), threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll(final InputStream stream)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                synchronized (this)
                {
                    lines.add(line);
                    notifyAll();
                }
            }
        }
        catch (final IOException ex)
        {
            synchronized (this)
            {
                lines.add("(output read failed: " + ex + ")");
            }
        }
        finally
        {
            synchronized (this)
            {
                ended = true;
                notifyAll();
            }
        }
    }

    /**
     * @param prefix    what the line starts with.
     * @param timeoutMs longest wait.
     * @return the first line starting with the prefix, or null if the stream ended or the time passed first.
     * @throws InterruptedException if interrupted.
     */
    synchronized String awaitLine(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int checked = 0;
        while (true)
        {
            for (; checked < lines.size(); checked++)
            {
                if (lines.get(checked).startsWith(prefix))
                {
                    return lines.get(checked);
                }
            }
            final long remainingMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (ended || remainingMs <= 0)
            {
                return null;
            }
            wait(remainingMs);
        }
    }

    /**
     * @param timeoutMs longest wait.
     * @return true if the stream ended.
     * @throws InterruptedException if interrupted.
     */
    synchronized boolean awaitEnd(final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!ended)
        {
            final long remainingMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (remainingMs <= 0)
            {
                return false;
            }
            wait(remainingMs);
        }
        return true;
    }

    /** @return every line so far, joined with newlines. */
    synchronized String text()
    {
        return String.join("\n", lines);
    }

    /** @return a copy of the lines so far. */
    synchronized List<String> lines()
    {
        return new ArrayList<>(lines);
    }
}
