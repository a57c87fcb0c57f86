package dev.salvo.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * Renders results.png with Java2D (headless, no dependency): one panel per payload size, throughput
 * (MiB/s received, log scale) against datagrams per call (log scale), one line per mode and
 * implementation. Colour is the mode, line style the implementation (Java solid with dots, C dashed
 * with hollow squares). NIO is per packet and measured at batch 1 only, so it is drawn as a flat
 * reference line across the panel.
 */
public final class ThroughputChart
{
    /** Image width in pixels. */
    public static final int WIDTH = 1800;
    /** Height of one row of panels in pixels. */
    public static final int ROW_HEIGHT = 600;
    /** Height of the title and legend band in pixels. */
    public static final int HEADER_HEIGHT = 175;

    private static final int PANEL_COLUMNS = 2;
    private static final int MARGIN_LEFT = 110;
    private static final int MARGIN_RIGHT = 40;
    private static final int MARGIN_TOP = 60;
    private static final int MARGIN_BOTTOM = 80;
    private static final int PANEL_GAP = 20;

    private static final Map<String, Color> MODE_COLOURS = Map.of(
        "nio", new Color(0x1f, 0x77, 0xb4),
        "mmsg", new Color(0xe6, 0x6a, 0x00),
        "gso", new Color(0x2c, 0xa0, 0x2c));
    private static final Map<String, String> MODE_LABELS = Map.of(
        "nio", "nio (1 syscall per datagram)",
        "mmsg", "sendmmsg / recvmmsg",
        "gso", "GSO / GRO");
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final Color AXIS = new Color(0x33, 0x33, 0x33);
    private static final Stroke JAVA_STROKE = new BasicStroke(3.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke C_STROKE = new BasicStroke(
        2.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {12f, 7f}, 0f);
    private static final Stroke JAVA_REFERENCE_STROKE = new BasicStroke(
        2.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 5f}, 0f);
    private static final Stroke C_REFERENCE_STROKE = new BasicStroke(
        2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {12f, 4f, 2f, 4f}, 0f);

    private ThroughputChart()
    {
    }

    /**
     * Renders the chart.
     *
     * @param results the aggregated run.
     * @param subtitle one line describing the machine and date.
     * @return the image.
     */
    public static BufferedImage render(final BenchResults results, final String subtitle)
    {
        final TreeSet<Integer> sizes = new TreeSet<>();
        final TreeSet<Integer> batches = new TreeSet<>();
        double minMib = Double.POSITIVE_INFINITY;
        double maxMib = 0;
        for (final CellSummary cell : results.cells())
        {
            if (cell.measured() && cell.medianMibPerSecond() > 0)
            {
                sizes.add(cell.key().size());
                batches.add(cell.key().batch());
                minMib = Math.min(minMib, cell.medianMibPerSecond());
                maxMib = Math.max(maxMib, cell.medianMibPerSecond());
            }
        }
        final int panels = Math.max(1, sizes.size());
        final int columns = Math.min(PANEL_COLUMNS, panels);
        final int rows = (panels + columns - 1) / columns;
        final BufferedImage image = new BufferedImage(WIDTH, HEADER_HEIGHT + rows * ROW_HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            drawHeader(g, subtitle);
            if (sizes.isEmpty())
            {
                g.setColor(AXIS);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
                g.drawString("No measured cells.", MARGIN_LEFT, HEADER_HEIGHT + 100);
                return image;
            }
            final Scale x = Scale.log(batches.first(), batches.last(), 1.35);
            final Scale y = Scale.log(minMib, maxMib, 1.4);
            final int panelWidth = (WIDTH - PANEL_GAP * (columns + 1)) / columns;
            int index = 0;
            for (final int size : sizes)
            {
                final int left = PANEL_GAP + (index % columns) * (panelWidth + PANEL_GAP);
                final int top = HEADER_HEIGHT + (index / columns) * ROW_HEIGHT;
                drawPanel(g, results, size, batches, x, y,
                    new Rectangle2D.Double(left + MARGIN_LEFT, top + MARGIN_TOP,
                        panelWidth - MARGIN_LEFT - MARGIN_RIGHT, ROW_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM));
                index++;
            }
        }
        finally
        {
            g.dispose();
        }
        return image;
    }

    /**
     * Renders the chart and writes it as PNG.
     *
     * @param path     destination.
     * @param results  the aggregated run.
     * @param subtitle one line describing the machine and date.
     * @throws IOException if it cannot be written.
     */
    public static void write(final Path path, final BenchResults results, final String subtitle) throws IOException
    {
        if (!ImageIO.write(render(results, subtitle), "png", path.toFile()))
        {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void drawHeader(final Graphics2D g, final String subtitle)
    {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
        g.drawString("Salvo UDP throughput on loopback: MiB/s received vs datagrams per call", 30, 45);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 19));
        g.setColor(AXIS);
        g.drawString(subtitle, 30, 75);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
        final int columnWidth = 420;
        int legendY = 115;
        for (final String impl : CellKey.IMPLS)
        {
            int legendX = 30;
            for (final String mode : CellKey.MODES)
            {
                final Color colour = MODE_COLOURS.get(mode);
                g.setColor(colour);
                g.setStroke(lineStroke(impl, "nio".equals(mode)));
                g.draw(new Line2D.Double(legendX, legendY - 7, legendX + 56, legendY - 7));
                drawMarker(g, impl, legendX + 28, legendY - 7, colour);
                g.setColor(Color.BLACK);
                final String label = ("java".equals(impl) ? "Java " : "C ") + MODE_LABELS.get(mode);
                g.drawString(label, legendX + 66, legendY);
                legendX += columnWidth;
            }
            legendY += 32;
        }
        g.setColor(AXIS);
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 18));
        g.drawString("nio: per packet, run at batch 1, drawn flat", 30 + 3 * columnWidth, 115);
        g.drawString("C: the plain C ceiling, same structure", 30 + 3 * columnWidth, 147);
    }

    private static void drawPanel(
        final Graphics2D g,
        final BenchResults results,
        final int size,
        final TreeSet<Integer> batches,
        final Scale x,
        final Scale y,
        final Rectangle2D area)
    {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
        g.setColor(Color.BLACK);
        final String title = "payload " + size + " bytes";
        final FontMetrics titleMetrics = g.getFontMetrics();
        g.drawString(title, (float)(area.getCenterX() - titleMetrics.stringWidth(title) / 2.0), (float)(area.getY() - 20));

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        final FontMetrics metrics = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (final double tick : y.ticks())
        {
            final double py = y.toPixel(tick, area.getMaxY(), area.getY());
            g.setColor(GRID);
            g.draw(new Line2D.Double(area.getX(), py, area.getMaxX(), py));
            g.setColor(AXIS);
            final String label = formatMib(tick);
            g.drawString(label, (float)(area.getX() - 10 - metrics.stringWidth(label)), (float)(py + metrics.getAscent() / 2.0 - 2));
        }
        for (final int batch : batches)
        {
            final double px = x.toPixel(batch, area.getX(), area.getMaxX());
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, area.getY(), px, area.getMaxY()));
            g.setColor(AXIS);
            final String label = Integer.toString(batch);
            g.drawString(label, (float)(px - metrics.stringWidth(label) / 2.0), (float)(area.getMaxY() + 26));
        }
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(area);
        final String xLabel = "batch: datagrams per call (log scale)";
        g.drawString(xLabel, (float)(area.getCenterX() - metrics.stringWidth(xLabel) / 2.0), (float)(area.getMaxY() + 58));
        final String yLabel = "MiB/s received (log scale)";
        final Graphics2D rotated = (Graphics2D)g.create();
        try
        {
            rotated.translate(area.getX() - 82, area.getCenterY() + metrics.stringWidth(yLabel) / 2.0);
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(yLabel, 0, 0);
        }
        finally
        {
            rotated.dispose();
        }

        final Shape previousClip = g.getClip();
        g.clip(new Rectangle2D.Double(area.getX() - 8, area.getY() - 8, area.getWidth() + 16, area.getHeight() + 16));
        for (final String mode : CellKey.MODES)
        {
            for (final String impl : CellKey.IMPLS)
            {
                drawSeries(g, series(results, impl, mode, size), impl, mode, x, y, area);
            }
        }
        g.setClip(previousClip);
    }

    private static TreeMap<Integer, Double> series(
        final BenchResults results, final String impl, final String mode, final int size)
    {
        final TreeMap<Integer, Double> points = new TreeMap<>();
        for (final CellSummary cell : results.cells())
        {
            final CellKey key = cell.key();
            if (cell.measured() && cell.medianMibPerSecond() > 0 && key.impl().equals(impl) && key.mode().equals(mode) &&
                key.size() == size)
            {
                points.put(key.batch(), cell.medianMibPerSecond());
            }
        }
        return points;
    }

    private static void drawSeries(
        final Graphics2D g,
        final TreeMap<Integer, Double> points,
        final String impl,
        final String mode,
        final Scale x,
        final Scale y,
        final Rectangle2D area)
    {
        if (points.isEmpty())
        {
            return;
        }
        final Color colour = MODE_COLOURS.get(mode);
        g.setColor(colour);
        if (points.size() == 1 && "nio".equals(mode))
        {
            // A single point (nio at batch 1): per-packet I/O does not batch, so show it as a reference level.
            final double py = y.toPixel(points.firstEntry().getValue(), area.getMaxY(), area.getY());
            g.setStroke(lineStroke(impl, true));
            g.draw(new Line2D.Double(area.getX(), py, area.getMaxX(), py));
        }
        else
        {
            final Path2D.Double path = new Path2D.Double();
            boolean first = true;
            for (final Map.Entry<Integer, Double> point : points.entrySet())
            {
                final double px = x.toPixel(point.getKey(), area.getX(), area.getMaxX());
                final double py = y.toPixel(point.getValue(), area.getMaxY(), area.getY());
                if (first)
                {
                    path.moveTo(px, py);
                    first = false;
                }
                else
                {
                    path.lineTo(px, py);
                }
            }
            g.setStroke(lineStroke(impl, false));
            g.draw(path);
        }
        for (final Map.Entry<Integer, Double> point : points.entrySet())
        {
            drawMarker(g, impl, x.toPixel(point.getKey(), area.getX(), area.getMaxX()),
                y.toPixel(point.getValue(), area.getMaxY(), area.getY()), colour);
        }
    }

    private static Stroke lineStroke(final String impl, final boolean reference)
    {
        if ("java".equals(impl))
        {
            return reference ? JAVA_REFERENCE_STROKE : JAVA_STROKE;
        }
        return reference ? C_REFERENCE_STROKE : C_STROKE;
    }

    private static void drawMarker(final Graphics2D g, final String impl, final double px, final double py, final Color colour)
    {
        if ("java".equals(impl))
        {
            final double r = 6.5;
            g.setColor(colour);
            g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
        }
        else
        {
            final double r = 6;
            final Rectangle2D square = new Rectangle2D.Double(px - r, py - r, 2 * r, 2 * r);
            g.setColor(Color.WHITE);
            g.fill(square);
            g.setColor(colour);
            g.setStroke(new BasicStroke(2.4f));
            g.draw(square);
        }
    }

    private static String formatMib(final double value)
    {
        return value >= 10 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * A logarithmic axis from {@code min} to {@code max} (already padded).
     */
    private static final class Scale
    {
        private final double logMin;
        private final double logMax;

        private Scale(final double min, final double max)
        {
            this.logMin = Math.log10(min);
            this.logMax = Math.log10(max);
        }

        static Scale log(final double low, final double high, final double padFactor)
        {
            final double min = low > 0 ? low : 1;
            final double max = high > min ? high : min * 2;
            return new Scale(min / padFactor, max * padFactor);
        }

        double toPixel(final double value, final double pixelAtMin, final double pixelAtMax)
        {
            final double fraction = (Math.log10(value) - logMin) / (logMax - logMin);
            return pixelAtMin + fraction * (pixelAtMax - pixelAtMin);
        }

        /** Ticks at 1, 2, 5 x 10^k inside the range; 1, 2, 3, 5, 7 when the range is under two decades. */
        List<Double> ticks()
        {
            final double[] steps = logMax - logMin < 2 ? new double[] {1, 1.5, 2, 3, 5, 7} : new double[] {1, 2, 5};
            final List<Double> ticks = new ArrayList<>();
            for (int decade = (int)Math.floor(logMin); decade <= (int)Math.ceil(logMax); decade++)
            {
                for (final double step : steps)
                {
                    final double value = step * Math.pow(10, decade);
                    final double log = Math.log10(value);
                    if (log >= logMin && log <= logMax)
                    {
                        ticks.add(value);
                    }
                }
            }
            return ticks;
        }
    }
}
