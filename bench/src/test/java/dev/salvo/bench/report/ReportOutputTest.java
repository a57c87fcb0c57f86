package dev.salvo.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportOutputTest
{
    private static BenchResults sample()
    {
        final List<BenchLine> lines = new ArrayList<>();
        for (final int size : new int[] {512, 1400, 4096})
        {
            lines.addAll(ReportFixtures.cell("java", "nio", size, 1, 200, 210, 220));
            lines.addAll(ReportFixtures.cell("c", "nio", size, 1, 240, 250, 260));
            for (final int batch : new int[] {1, 64, 500})
            {
                lines.addAll(ReportFixtures.cell("java", "mmsg", size, batch, 380, 380, 380));
                lines.addAll(ReportFixtures.cell("c", "mmsg", size, batch, 400, 400, 400));
                if (batch > 1)
                {
                    lines.addAll(ReportFixtures.cell("java", "gso", size, batch, 2900, 2900, 2900));
                    lines.addAll(ReportFixtures.cell("c", "gso", size, batch, 3000, 3000, 3000));
                }
            }
        }
        return BenchResults.from(lines);
    }

    @Test
    void markdownPutsJavaAndCSideBySideWithTheirRatio()
    {
        final BenchResults results = sample();
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("Date", "2026-01-01T00:00:00Z");
        meta.put("Kernel", "6.1.0");
        final String md = MarkdownReport.render(results, meta, BarChecks.evaluate(results));

        assertTrue(md.contains("- **Date**: 2026-01-01T00:00:00Z\n- **Kernel**: 6.1.0\n"), md);
        assertTrue(md.contains("| 1400 | 64 | mmsg | 380.0 | 400.0 | 0.95 | 0.00 / 0.00 |"), md);
        assertTrue(md.contains("| 1400 | 1 | nio | 210.0 | 250.0 | 0.84 |"), md);
        assertTrue(md.contains("| Java mmsg @ 1400 B x 64 >= 90% of C mmsg | **PASS** | Java 380.0 MiB/s / C 400.0 MiB/s = 95.0% |"), md);
        assertTrue(md.contains("| Java gso @ 1400 B, batch 64 >= 8x Java nio @ 1400 B | **PASS** |"), md);
    }

    @Test
    void chartHasOnePanelPerSizeAndDrawsEveryMode(@TempDir final Path dir) throws Exception
    {
        final Path png = dir.resolve("results.png");
        ThroughputChart.write(png, sample(), "Date: test");
        final BufferedImage image = ImageIO.read(png.toFile());

        assertEquals(ThroughputChart.WIDTH, image.getWidth());
        assertEquals(ThroughputChart.HEADER_HEIGHT + 2 * ThroughputChart.ROW_HEIGHT, image.getHeight(), "3 sizes: 2 rows of 2 panels");
        final int panelsTop = ThroughputChart.HEADER_HEIGHT;
        assertTrue(countPixels(image, 0x2ca02c, panelsTop) > 500, "gso lines are drawn in green");
        assertTrue(countPixels(image, 0xe66a00, panelsTop) > 500, "mmsg lines are drawn in orange");
        assertTrue(countPixels(image, 0x1f77b4, panelsTop) > 500, "nio reference lines are drawn in blue");
    }

    @Test
    void mainWritesCsvMarkdownAndPng(@TempDir final Path dir) throws Exception
    {
        final Path raw = dir.resolve("raw.txt");
        final StringBuilder text = new StringBuilder();
        ReportFixtures.cell("c", "mmsg", 1400, 64, 400, 410, 420).forEach(line -> text.append(line).append('\n'));
        Files.writeString(raw, text, StandardCharsets.UTF_8);
        final Path meta = dir.resolve("meta.txt");
        Files.writeString(meta, "# comment\nDate=today\nJDK=openjdk version \"17.0.15\" 2025-04-15; OpenJDK\n", StandardCharsets.UTF_8);
        final Path out = dir.resolve("out");

        BenchReport.main(new String[] {"--raw", raw.toString(), "--meta", meta.toString(), "--out", out.toString()});

        assertTrue(Files.readString(out.resolve(BenchReport.MARKDOWN_NAME)).contains("| 1400 | 64 | mmsg | — | 410.0 | — |"));
        assertEquals(2, Files.readAllLines(out.resolve(BenchReport.CSV_NAME)).size());
        assertTrue(ImageIO.read(out.resolve(BenchReport.CHART_NAME).toFile()).getWidth() > 0);
        assertEquals("Date: today  ·  JDK: 17.0.15", BenchReport.subtitle(BenchReport.readMeta(meta)));
    }

    private static int countPixels(final BufferedImage image, final int rgb, final int fromY)
    {
        int count = 0;
        for (int y = fromY; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                if ((image.getRGB(x, y) & 0xffffff) == rgb)
                {
                    count++;
                }
            }
        }
        return count;
    }
}
