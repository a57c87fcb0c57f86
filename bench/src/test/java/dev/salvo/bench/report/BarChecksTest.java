package dev.salvo.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarChecksTest
{
    private static List<BarChecks.Check> checks(final List<BenchLine> lines)
    {
        return BarChecks.evaluate(BenchResults.from(lines));
    }

    private static List<BenchLine> matrix(final double javaMmsg, final double cMmsg, final double javaNio, final double gso64, final double gso500)
    {
        final List<BenchLine> lines = new ArrayList<>();
        lines.addAll(ReportFixtures.cell("java", "mmsg", 1400, 64, javaMmsg, javaMmsg, javaMmsg));
        lines.addAll(ReportFixtures.cell("c", "mmsg", 1400, 64, cMmsg, cMmsg, cMmsg));
        lines.addAll(ReportFixtures.cell("java", "nio", 1400, 1, javaNio, javaNio, javaNio));
        lines.addAll(ReportFixtures.cell("java", "gso", 1400, 64, gso64, gso64, gso64));
        lines.addAll(ReportFixtures.cell("java", "gso", 1400, 500, gso500, gso500, gso500));
        return lines;
    }

    @Test
    void passesWhenJavaMmsgReachesNinetyPercentOfC()
    {
        final List<BarChecks.Check> checks = checks(matrix(90, 100, 100, 900, 1000));
        assertEquals(BarChecks.Verdict.PASS, checks.get(0).verdict(), checks.get(0).detail());
        assertTrue(checks.get(0).detail().contains("90.0%"), checks.get(0).detail());
    }

    @Test
    void failsWhenJavaMmsgFallsShortOfC()
    {
        assertEquals(BarChecks.Verdict.FAIL, checks(matrix(89, 100, 100, 900, 1000)).get(0).verdict());
    }

    @Test
    void gsoBarUsesBestBatchAndBatch64()
    {
        final List<BarChecks.Check> checks = checks(matrix(90, 100, 100, 790, 1000));
        assertEquals(BarChecks.Verdict.PASS, checks.get(1).verdict(), checks.get(1).detail());
        assertTrue(checks.get(1).detail().startsWith("gso batch 500 "), checks.get(1).detail());
        assertEquals(BarChecks.Verdict.FAIL, checks.get(2).verdict(), checks.get(2).detail());
        assertTrue(checks.get(2).detail().contains("7.9x"), checks.get(2).detail());
    }

    @Test
    void bestBatchCheckKeepsItsNameWhenTheBestBatchIs64()
    {
        final List<BarChecks.Check> checks = checks(matrix(90, 100, 100, 1000, 900));
        assertEquals("Java gso @ 1400 B, best batch >= 8x Java nio @ 1400 B", checks.get(1).bar());
        assertTrue(checks.get(1).detail().startsWith("gso batch 64 "), checks.get(1).detail());
        assertEquals("Java gso @ 1400 B, batch 64 >= 8x Java nio @ 1400 B", checks.get(2).bar());
    }

    @Test
    void missingCellsAreNotMeasuredRatherThanFailed()
    {
        final List<BenchLine> lines = new ArrayList<>(ReportFixtures.cell("c", "mmsg", 1400, 64, 100, 100, 100));
        lines.add(BenchLine.parse("SKIP impl=java mode=gso size=1400 batch=64 reason=no_GSO"));
        final List<BarChecks.Check> checks = checks(lines);
        for (final BarChecks.Check check : checks)
        {
            assertEquals(BarChecks.Verdict.NOT_MEASURED, check.verdict(), check.bar());
        }
        assertTrue(checks.get(0).detail().contains("java mmsg 1400 B x 64: not run"), checks.get(0).detail());
    }

    @Test
    void syscallBarPrefersPerfCountsOverDriverCounters()
    {
        final List<BenchLine> lines = matrix(90, 100, 100, 900, 1000);
        lines.add(BenchLine.parse("PERF impl=java mode=mmsg size=1400 batch=64 tx_datagrams=6400 rx_datagrams=6000 " +
            "sendmmsg=100 recvmmsg=150 sendto=0 recvfrom=0 sendmsg=0 recvmsg=1"));
        final List<BarChecks.Check> checks = checks(lines);
        final BarChecks.Check send = checks.get(3);
        final BarChecks.Check receive = checks.get(4);
        assertEquals(BarChecks.Verdict.PASS, send.verdict(), send.detail());
        assertTrue(send.detail().startsWith("0.0156 per datagram"), send.detail());
        assertEquals(BarChecks.Verdict.FAIL, receive.verdict(), receive.detail());
        assertTrue(receive.detail().startsWith("0.0252 per datagram"), receive.detail());
    }
}
