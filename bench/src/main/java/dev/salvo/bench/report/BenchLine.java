package dev.salvo.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the benchmark's raw output: a kind word followed by {@code key=value} tokens.
 * <p>
 * The drivers (Java {@code DatagramThroughput} and C {@code udp_ceiling}) print {@code RESULT} and
 * {@code SKIP} lines; {@code scripts/run_benchmarks.sh} adds {@code FAIL} lines for cells whose
 * driver crashed or timed out and {@code PERF} lines with syscall counts from {@code perf stat}.
 * Values never contain whitespace (the script replaces it), so tokens split on whitespace.
 */
public final class BenchLine
{
    /** A measured run. */
    public static final String RESULT = "RESULT";
    /** A cell the driver declared unavailable (e.g. no GSO here). */
    public static final String SKIP = "SKIP";
    /** A cell whose driver failed, timed out or printed nothing. */
    public static final String FAIL = "FAIL";
    /** Syscall counts of one cell from {@code perf stat}. */
    public static final String PERF = "PERF";

    private final String kind;
    private final Map<String, String> fields;

    private BenchLine(final String kind, final Map<String, String> fields)
    {
        this.kind = kind;
        this.fields = Collections.unmodifiableMap(fields);
    }

    /**
     * Parses one line.
     *
     * @param line text as printed by a driver or the script.
     * @return the parsed line, or {@code null} if it is not one of the known kinds.
     */
    public static BenchLine parse(final String line)
    {
        final String[] tokens = line.trim().split("\\s+");
        if (tokens.length == 0)
        {
            return null;
        }
        final String kind = tokens[0];
        if (!RESULT.equals(kind) && !SKIP.equals(kind) && !FAIL.equals(kind) && !PERF.equals(kind))
        {
            return null;
        }
        final Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < tokens.length; i++)
        {
            final int equals = tokens[i].indexOf('=');
            if (equals > 0)
            {
                fields.put(tokens[i].substring(0, equals), tokens[i].substring(equals + 1));
            }
        }
        return new BenchLine(kind, fields);
    }

    /**
     * @return RESULT, SKIP, FAIL or PERF.
     */
    public String kind()
    {
        return kind;
    }

    /**
     * @param key field name.
     * @return the value, or {@code null} when absent.
     */
    public String get(final String key)
    {
        return fields.get(key);
    }

    /**
     * @param key field name.
     * @return the value as a long.
     * @throws IllegalArgumentException when absent or not a number.
     */
    public long getLong(final String key)
    {
        final String value = require(key);
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("field " + key + "=" + value + " is not an integer in: " + this, ex);
        }
    }

    /**
     * @param key field name.
     * @return the value as a double.
     * @throws IllegalArgumentException when absent or not a number.
     */
    public double getDouble(final String key)
    {
        final String value = require(key);
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("field " + key + "=" + value + " is not a number in: " + this, ex);
        }
    }

    /**
     * @param key field name.
     * @param fallback returned when the field is absent or not a number.
     * @return the value as a long, or the fallback.
     */
    public long getLong(final String key, final long fallback)
    {
        final String value = fields.get(key);
        if (value == null)
        {
            return fallback;
        }
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            return fallback;
        }
    }

    /**
     * @return the cell this line belongs to.
     * @throws IllegalArgumentException when impl, mode, size or batch is missing.
     */
    public CellKey cellKey()
    {
        return new CellKey(require("impl"), require("mode"), (int)getLong("size"), (int)getLong("batch"));
    }

    private String require(final String key)
    {
        final String value = fields.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("missing field " + key + " in: " + this);
        }
        return value;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder(kind);
        fields.forEach((key, value) -> builder.append(' ').append(key).append('=').append(value));
        return builder.toString();
    }
}
