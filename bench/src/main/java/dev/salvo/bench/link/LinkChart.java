/*
 * Copyright 2026 The Salvo authors.
 */
package dev.salvo.bench.link;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * One PNG per link scenario (Java2D, headless, no dependency; as {@code report.ThroughputChart}): two panels over
 * time since the first flow started — throughput at the receiver per flow (Mbit/s, data-packet bytes accepted per
 * 100 ms sample, with the link rate dashed) and congestion window per flow (KiB) — with the steady-state window
 * shaded.
 */
public final class LinkChart
{
    /** Image width in pixels. */
    public static final int WIDTH = 1400;
    /** Height of one panel in pixels. */
    public static final int PANEL_HEIGHT = 420;
    /** Height of the title band in pixels. */
    public static final int HEADER_HEIGHT = 90;

    private static final int MARGIN_LEFT = 110;
    private static final int MARGIN_RIGHT = 40;
    private static final int MARGIN_TOP = 40;
    private static final int MARGIN_BOTTOM = 60;
    private static final Color[] FLOW_COLOURS = {
        new Color(0x1f, 0x77, 0xb4), new Color(0xe6, 0x6a, 0x00), new Color(0x2c, 0xa0, 0x2c), new Color(0xd6, 0x27, 0x28) };
    private static final Color GRID = new Color(0xdd, 0xdd, 0xdd);
    private static final Color AXIS = new Color(0x33, 0x33, 0x33);
    private static final Color WINDOW = new Color(0xf2, 0xf2, 0xd0);
    private static final Stroke LINE = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DASHED = new BasicStroke(
        1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {10f, 6f}, 0f);

    private LinkChart()
    {
    }

    /**
     * Renders and writes the chart.
     *
     * @param samples   the run's samples.
     * @param title     first title line.
     * @param subtitle  second title line.
     * @param originMs  wall-clock ms of time 0 (the first flow's first send).
     * @param fromMs    steady-state window start (wall-clock ms).
     * @param toMs      steady-state window end.
     * @param rateBps   link rate, drawn as a dashed line.
     * @param flowNames label per flow number.
     * @param file      the PNG to write.
     */
    public static void write(
        final LinkSamples samples, final String title, final String subtitle, final long originMs, final long fromMs,
        final long toMs, final double rateBps, final List<String> flowNames, final Path file) throws IOException
    {
        final TreeMap<Integer, List<double[]>> throughput = new TreeMap<>();
        final TreeMap<Integer, long[]> previous = new TreeMap<>();
        for (final long[] sample : samples.rxSamples())
        {
            final int flow = (int)sample[1];
            final long[] before = previous.put(flow, sample);
            if (null != before && sample[0] > before[0])
            {
                throughput.computeIfAbsent(flow, f -> new ArrayList<>()).add(new double[] {
                    (sample[0] - originMs) / 1000.0, (sample[3] - before[3]) * 8.0 / 1000 / (sample[0] - before[0]) });
            }
        }
        final TreeMap<Integer, List<double[]>> cwnd = new TreeMap<>();
        for (final long[] sample : samples.txSamples())
        {
            cwnd.computeIfAbsent((int)sample[1], f -> new ArrayList<>()).add(new double[] {
                (sample[0] - originMs) / 1000.0, sample[5] / 1024.0 });
        }
        double maxT = 1;
        double maxRate = rateBps / 1e6;
        double maxCwnd = 1;
        for (final List<double[]> series : throughput.values())
        {
            for (final double[] point : series)
            {
                maxT = Math.max(maxT, point[0]);
                maxRate = Math.max(maxRate, point[1]);
            }
        }
        for (final List<double[]> series : cwnd.values())
        {
            for (final double[] point : series)
            {
                maxT = Math.max(maxT, point[0]);
                maxCwnd = Math.max(maxCwnd, point[1]);
            }
        }
        final BufferedImage image = new BufferedImage(WIDTH, HEADER_HEIGHT + 2 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(AXIS);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString(title, MARGIN_LEFT, 34);
        int size = 15;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        while (size > 9 && g.getFontMetrics().stringWidth(subtitle) > WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
        {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, --size));
        }
        g.drawString(subtitle, MARGIN_LEFT, 58);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        int legendX = MARGIN_LEFT;
        for (final Integer flow : throughput.navigableKeySet().isEmpty() ? cwnd.navigableKeySet() : throughput.navigableKeySet())
        {
            final String name = flow < flowNames.size() ? flowNames.get(flow) : "flow " + flow;
            g.setColor(FLOW_COLOURS[flow % FLOW_COLOURS.length]);
            g.fillRect(legendX, 70, 24, 8);
            g.setColor(AXIS);
            g.drawString(name, legendX + 30, 80);
            legendX += 40 + g.getFontMetrics().stringWidth(name);
        }
        final double windowFrom = (fromMs - originMs) / 1000.0;
        final double windowTo = (toMs - originMs) / 1000.0;
        panel(g, HEADER_HEIGHT, "throughput at the receiver (Mbit/s, per 100 ms)", throughput, maxT, niceCeiling(maxRate * 1.05),
            rateBps / 1e6, windowFrom, windowTo);
        panel(g, HEADER_HEIGHT + PANEL_HEIGHT, "congestion window (KiB)", cwnd, maxT, niceCeiling(maxCwnd * 1.05), -1,
            windowFrom, windowTo);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(
        final Graphics2D g, final int top, final String label, final TreeMap<Integer, List<double[]>> series,
        final double maxT, final double maxY, final double reference, final double windowFrom, final double windowTo)
    {
        final double left = MARGIN_LEFT;
        final double right = WIDTH - MARGIN_RIGHT;
        final double y0 = top + MARGIN_TOP;
        final double y1 = top + PANEL_HEIGHT - MARGIN_BOTTOM;
        final double tMax = Math.ceil(maxT);
        g.setColor(WINDOW);
        final double wx0 = left + (right - left) * Math.max(0, windowFrom) / tMax;
        final double wx1 = left + (right - left) * Math.min(tMax, windowTo) / tMax;
        if (wx1 > wx0)
        {
            g.fill(new Rectangle2D.Double(wx0, y0, wx1 - wx0, y1 - y0));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i <= 5; i++)
        {
            final double y = y1 - (y1 - y0) * i / 5;
            g.setColor(GRID);
            g.draw(new Line2D.Double(left, y, right, y));
            g.setColor(AXIS);
            final String text = String.format(Locale.ROOT, maxY >= 50 ? "%.0f" : "%.1f", maxY * i / 5);
            g.drawString(text, (float)(left - 10 - g.getFontMetrics().stringWidth(text)), (float)y + 5);
        }
        final int step = tMax <= 15 ? 1 : tMax <= 40 ? 5 : 10;
        for (int t = 0; t <= tMax; t += step)
        {
            final double x = left + (right - left) * t / tMax;
            g.setColor(GRID);
            g.draw(new Line2D.Double(x, y0, x, y1));
            g.setColor(AXIS);
            final String text = t + " s";
            g.drawString(text, (float)x - g.getFontMetrics().stringWidth(text) / 2f, (float)y1 + 20);
        }
        g.setColor(AXIS);
        g.draw(new Line2D.Double(left, y1, right, y1));
        g.draw(new Line2D.Double(left, y0, left, y1));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(label, (float)left, (float)y0 - 12);
        if (reference > 0)
        {
            final double y = y1 - (y1 - y0) * reference / maxY;
            g.setStroke(DASHED);
            g.draw(new Line2D.Double(left, y, right, y));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("link rate", (float)right - 70, (float)y - 6);
        }
        g.setStroke(LINE);
        for (final var entry : series.entrySet())
        {
            g.setColor(FLOW_COLOURS[entry.getKey() % FLOW_COLOURS.length]);
            final Path2D.Double path = new Path2D.Double();
            boolean first = true;
            for (final double[] point : entry.getValue())
            {
                if (point[0] < 0)
                {
                    continue;
                }
                final double x = left + (right - left) * point[0] / tMax;
                final double y = y1 - (y1 - y0) * Math.min(point[1], maxY) / maxY;
                if (first)
                {
                    path.moveTo(x, y);
                    first = false;
                }
                else
                {
                    path.lineTo(x, y);
                }
            }
            g.draw(path);
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double niceCeiling(final double value)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] {1, 2, 2.5, 5, 10})
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
