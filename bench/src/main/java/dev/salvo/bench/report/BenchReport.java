package dev.salvo.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the raw output of {@code scripts/run_benchmarks.sh} into results.csv, results.md and
 * results.png. Pure JDK (Java2D headless for the chart).
 * <pre>
 * java -Djava.awt.headless=true -cp CLASSES dev.salvo.bench.report.BenchReport --raw raw.txt --meta meta.txt --out DIR
 * </pre>
 * {@code raw.txt} holds the drivers' RESULT/SKIP lines and the script's FAIL/PERF lines;
 * {@code meta.txt} holds {@code key=value} lines (date, JDK, kernel, cores, CPU, command, ...) printed
 * at the top of results.md in file order. Prints the bar checks to stdout; exits 0 whatever they say.
 */
public final class BenchReport
{
    /** File name of the per-cell CSV. */
    public static final String CSV_NAME = "results.csv";
    /** File name of the Markdown report. */
    public static final String MARKDOWN_NAME = "results.md";
    /** File name of the chart. */
    public static final String CHART_NAME = "results.png";

    private BenchReport()
    {
    }

    /**
     * @param args {@code --raw FILE --meta FILE --out DIR}.
     * @throws IOException if an input cannot be read or an output written.
     */
    public static void main(final String[] args) throws IOException
    {
        Path raw = null;
        Path meta = null;
        Path out = null;
        for (int i = 0; i < args.length; i++)
        {
            final String flag = args[i];
            if (i + 1 >= args.length)
            {
                usage("missing value for " + flag);
            }
            final Path value = Path.of(args[++i]);
            switch (flag)
            {
                case "--raw" -> raw = value;
                case "--meta" -> meta = value;
                case "--out" -> out = value;
                default -> usage("unknown option " + flag);
            }
        }
        if (raw == null || out == null)
        {
            usage("--raw and --out are required");
        }

        final BenchResults results = BenchResults.read(raw);
        final Map<String, String> metadata = meta == null ? new LinkedHashMap<>() : readMeta(meta);
        final List<BarChecks.Check> checks = BarChecks.evaluate(results);
        Files.createDirectories(out);
        results.writeCsv(out.resolve(CSV_NAME));
        MarkdownReport.write(out.resolve(MARKDOWN_NAME), results, metadata, checks);
        try
        {
            ThroughputChart.write(out.resolve(CHART_NAME), results, subtitle(metadata));
        }
        catch (final RuntimeException | Error ex)
        {
            // A machine without fonts (fontconfig) cannot render text; the CSV and Markdown still stand.
            System.err.println("BenchReport: could not render " + CHART_NAME + ": " + ex);
        }
        for (final BarChecks.Check check : checks)
        {
            System.out.printf("%-13s %s: %s%n", check.verdict(), check.bar(), check.detail());
        }
    }

    /**
     * Reads {@code key=value} lines in order; blank lines and lines starting with '#' are ignored.
     *
     * @param path the meta file.
     * @return the entries in file order.
     * @throws IOException if it cannot be read.
     */
    public static Map<String, String> readMeta(final Path path) throws IOException
    {
        final Map<String, String> meta = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(path, StandardCharsets.UTF_8))
        {
            final int equals = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && equals > 0)
            {
                meta.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        return meta;
    }

    static String subtitle(final Map<String, String> meta)
    {
        final StringBuilder builder = new StringBuilder();
        for (final String key : List.of("Date", "Kernel", "Cores", "CPU", "JDK", "Per cell"))
        {
            final String value = "JDK".equals(key) ? shortJdk(meta.get(key)) : meta.get(key);
            if (value != null && !value.isEmpty())
            {
                if (builder.length() > 0)
                {
                    builder.append("  ·  ");
                }
                builder.append(key).append(": ").append(value);
            }
        }
        return builder.toString();
    }

    /** From {@code openjdk version "17.0.15" 2025-04-15; ...} keeps {@code 17.0.15}. */
    static String shortJdk(final String jdk)
    {
        if (jdk == null)
        {
            return null;
        }
        final int open = jdk.indexOf('"');
        final int close = open < 0 ? -1 : jdk.indexOf('"', open + 1);
        return close > open ? jdk.substring(open + 1, close) : jdk;
    }

    private static void usage(final String problem)
    {
        System.err.println("BenchReport: " + problem);
        System.err.println("usage: BenchReport --raw raw.txt [--meta meta.txt] --out DIR");
        System.exit(2);
    }
}
