/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.transport;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report takes medians per cell and judges the issue-4 bars from them.
 */
class TransportReportTest
{
    private static final List<String> RAW = List.of(
        "RESULT bench=seal datagram=1472 run=0 aead=AES_128_GCM/NATIVE payload=1450 mibps=1000.00",
        "RESULT bench=baseline datagram=1472 run=0 mibps=100.00",
        "RESULT bench=baseline datagram=1472 run=1 mibps=300.00",
        "RESULT bench=baseline datagram=1472 run=2 mibps=200.00",
        "RESULT bench=e1 io=native datagram=1472 run=0 message=1048576 mibps=900.00",
        "RESULT bench=e1 io=native datagram=1472 run=1 message=1048576 mibps=700.00",
        "RESULT bench=e1 io=nio datagram=1472 run=0 message=1048576 mibps=250.00",
        "RESULT bench=e2 idle=park batching=on wait=park p50_us=30 p99_us=120 p999_us=400 max_us=900 count=10 timeouts=0",
        "RESULT bench=e2 idle=park batching=off wait=park p50_us=30 p99_us=100 p999_us=400 max_us=900 count=10 timeouts=0",
        "RESULT bench=idle connections=100 peers=10 seconds=10.00 process_cpu_ms=50.00 core_percent=0.50",
        "FAIL cell=e1-nio-1200 exit=124 log=logs/e1-nio-1200.log");

    @Test
    void mediansAndBars()
    {
        final String md = renderWithoutMeta();
        // Medians: baseline 200, native (700+900)/2 = 800.
        assertTrue(md.contains("| 1472 | 1000 | 200 | 250 | 800 | 4.00x | 80% |"), md);
        assertTrue(md.contains("| E1 native ≥ 4× per-packet baseline (1472 B) | 4.00x | met |"), md);
        assertTrue(md.contains("| E1 native ≥ 70% of 1-core seal rate (1472 B) | 80% | met |"), md);
        assertTrue(md.contains("E2 p99 batching on ≤ 1.1× off (park) | 120 vs 100 µs = 1.20x | **not met** |"), md);
        assertTrue(md.contains("whole process < 1% of a core | 0.50% | met |"), md);
        assertTrue(md.contains("`FAIL cell=e1-nio-1200"), md);
    }

    @Test
    void missingCellsAreNoDataNotFailures()
    {
        final String md = renderWith(List.of("RESULT bench=e1 io=native datagram=1200 run=0 mibps=900.00"));
        assertTrue(md.contains("| E1 native ≥ 4× per-packet baseline (1200 B) | – | no data |"), md);
        assertEquals(-1, md.indexOf("## E2"), md);
    }

    private static String renderWithoutMeta()
    {
        return renderWith(RAW);
    }

    private static String renderWith(final List<String> raw)
    {
        return newReport(raw).render(List.of("Date=2026-01-01"), raw);
    }

    private static TransportReport newReport(final List<String> raw)
    {
        return new TransportReport(raw);
    }
}
