package dev.salvo.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchResultsTest
{
    @Test
    void parsesKeyValueTokensAndIgnoresOtherLines()
    {
        final BenchLine line = BenchLine.parse("RESULT impl=java mode=mmsg size=1400 batch=64 run=2 seconds=2.5 rx_bytes=10");
        assertEquals("RESULT", line.kind());
        assertEquals(new CellKey("java", "mmsg", 1400, 64), line.cellKey());
        assertEquals(2.5, line.getDouble("seconds"));
        assertEquals(10, line.getLong("rx_bytes"));
        assertNull(BenchLine.parse("udp_ceiling: warmup 0.50s rx 423.9 MiB/s"));
        assertNull(BenchLine.parse(""));
        assertThrows(IllegalArgumentException.class, () -> line.getLong("lost"));
        assertThrows(IllegalArgumentException.class, () -> BenchLine.parse("RESULT impl=c size=x").getLong("size"));
    }

    @Test
    void malformedResultLinesAreIgnoredNotFatal()
    {
        final List<BenchLine> lines = new ArrayList<>();
        lines.add(BenchLine.parse("RESULT impl=java mode=mmsg size=1400 batch=64 run=1 seconds=1.0 rx_bytes=10"));
        lines.add(BenchLine.parse("RESULT impl=java mode=mmsg batch=64"));
        lines.add(ReportFixtures.result("c", "mmsg", 1400, 64, 1, 400, 0));
        final BenchResults results = BenchResults.from(lines);

        assertTrue(results.cell(new CellKey("java", "mmsg", 1400, 64)).isEmpty());
        assertEquals(1, results.cells().size());
    }

    @Test
    void medianOfOddAndEvenSamples()
    {
        assertEquals(3.0, BenchResults.median(new double[] {9, 1, 3}));
        assertEquals(2.5, BenchResults.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(BenchResults.median(new double[0])));
    }

    @Test
    void aggregatesRunsIntoMediansPerCell()
    {
        final List<BenchLine> lines = new ArrayList<>();
        lines.add(ReportFixtures.result("c", "mmsg", 1400, 64, 1, 400, 0));
        lines.add(ReportFixtures.result("c", "mmsg", 1400, 64, 2, 100, 500));
        lines.add(ReportFixtures.result("c", "mmsg", 1400, 64, 3, 300, 100));
        final CellSummary cell = BenchResults.from(lines).cell(new CellKey("c", "mmsg", 1400, 64)).orElseThrow();

        assertEquals(CellSummary.Status.OK, cell.status());
        assertEquals(3, cell.runs());
        assertEquals(300.0, cell.medianMibPerSecond(), 1e-6);
        assertEquals(10.0, cell.medianLossPercent(), 1e-9);
        assertEquals(15.0 / 1000, cell.txSyscallsPerDatagram(), 1e-9);
    }

    @Test
    void cellsWithoutResultsAreSkippedOrFailed()
    {
        final List<BenchLine> lines = new ArrayList<>();
        lines.add(BenchLine.parse("SKIP impl=java mode=gso size=1400 batch=64 reason=no_GSO"));
        lines.add(BenchLine.parse("FAIL impl=java mode=mmsg size=1400 batch=64 reason=timeout"));
        lines.add(BenchLine.parse("FAIL impl=c mode=mmsg size=1400 batch=64 reason=exit_3"));
        lines.add(ReportFixtures.result("c", "mmsg", 1400, 64, 1, 400, 0));
        final BenchResults results = BenchResults.from(lines);

        final CellSummary skipped = results.cell(new CellKey("java", "gso", 1400, 64)).orElseThrow();
        assertEquals(CellSummary.Status.SKIP, skipped.status());
        assertEquals("no_GSO", skipped.reason());
        assertEquals(CellSummary.Status.FAIL, results.cell(new CellKey("java", "mmsg", 1400, 64)).orElseThrow().status());
        final CellSummary partial = results.cell(new CellKey("c", "mmsg", 1400, 64)).orElseThrow();
        assertEquals(CellSummary.Status.OK, partial.status());
        assertEquals("partial: exit_3", partial.reason());
        assertTrue(results.mibPerSecond(new CellKey("java", "gso", 1400, 64)).isEmpty());
    }

    @Test
    void writesOneCsvRowPerCellInMatrixOrder(@TempDir final Path dir) throws Exception
    {
        final List<BenchLine> lines = new ArrayList<>();
        lines.addAll(ReportFixtures.cell("c", "gso", 1400, 64, 5000, 5000, 5000));
        lines.addAll(ReportFixtures.cell("java", "nio", 1400, 1, 250, 250, 250));
        lines.add(BenchLine.parse("SKIP impl=java mode=gso size=1400 batch=64 reason=no_GSO"));
        final Path raw = dir.resolve("raw.txt");
        final StringBuilder text = new StringBuilder("progress noise\n");
        lines.forEach(line -> text.append(line).append('\n'));
        Files.writeString(raw, text, StandardCharsets.UTF_8);

        final Path csv = dir.resolve("results.csv");
        BenchResults.read(raw).writeCsv(csv);
        final List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);

        assertEquals(BenchResults.CSV_HEADER, rows.get(0));
        assertEquals(4, rows.size());
        assertTrue(rows.get(1).startsWith("java,nio,1400,1,OK,3,262144000,250.00,0.000,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("java,gso,1400,64,SKIP,0,,,,,,no_GSO"), rows.get(2));
        assertTrue(rows.get(3).startsWith("c,gso,1400,64,OK,3,"), rows.get(3));
    }
}
