/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this whole process (every thread): {@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}
 * (nanosecond resolution), and as a cross-check {@code /proc/self/stat} utime + stime (clock ticks, 10 ms).
 */
final class ProcessCpu
{
    /** USER_HZ: the unit of utime/stime in /proc; 100 on every mainstream Linux build. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Path STAT = Path.of("/proc/self/stat");

    private ProcessCpu()
    {
    }

    /** @return process CPU time in nanoseconds from the MXBean, else from /proc, else -1. */
    static long nanos()
    {
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
        {
            final long nanos = ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
            if (nanos >= 0)
            {
                return nanos;
            }
        }
        return procNanos();
    }

    /** @return process CPU time in nanoseconds from /proc/self/stat (10 ms resolution), or -1 off Linux. */
    static long procNanos()
    {
        try
        {
            final String stat = Files.readString(STAT);
            // Fields after the command name (which may hold spaces) start after the last ')': field 3 is at index 0.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
