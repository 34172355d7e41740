package io.c2cstream.job.report;

import io.c2cstream.engine.eval.ItemResult;
import io.c2cstream.engine.eval.ScoreSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The human side of a replay: {@code report.html} with the accuracy and latency table and two PNG charts,
 * accuracy per mode and the latency distribution per mode, drawn with Java2D (no display needed).
 */
public final class ReplayReport {
    private static final Color[] PALETTE = {new Color(0x4C78A8), new Color(0xF58518), new Color(0x54A24B),
        new Color(0xE45756), new Color(0x72B7B2)};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;

    private ReplayReport() {}

    /** Writes report.html, accuracy.png and latency.png into {@code dir}. */
    public static void write(Path dir, ScoreSummary summary, List<ItemResult> results) throws IOException {
        Map<String, double[]> latencies = new LinkedHashMap<>();
        for (String mode : summary.modes().keySet()) {
            latencies.put(mode, results.stream().filter(r -> r.mode().equals(mode)).mapToDouble(ItemResult::latencyMs).toArray());
        }
        ImageIO.write(accuracyChart(summary), "png", dir.resolve("accuracy.png").toFile());
        ImageIO.write(latencyChart(latencies), "png", dir.resolve("latency.png").toFile());
        Files.writeString(dir.resolve("report.html"), html(summary), StandardCharsets.UTF_8);
    }

    private static String html(ScoreSummary summary) {
        StringBuilder rows = new StringBuilder();
        summary.modes().forEach((mode, s) -> rows.append(String.format(Locale.ROOT,
                "<tr><td>%s</td><td>%.1f %%</td><td>%d / %d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>%n",
                escape(mode), 100 * s.accuracy().value(), s.accuracy().correct(), s.accuracy().total(),
                s.latency().mean(), s.latency().p50(), s.latency().p95())));
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>C2C replay: %1$s</title>
                <style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:.3em .8em;text-align:right}td:first-child{text-align:left}
                img{max-width:100%%;margin:1em 0}</style></head><body>
                <h1>C2C replay: %1$s</h1>
                <p>%2$d items per mode. Accuracy is exact-letter match after the method's answer extraction;
                latency is the whole answer, prefill and decode, in milliseconds.</p>
                <table><tr><th>mode</th><th>accuracy</th><th>correct</th><th>mean ms</th><th>p50 ms</th><th>p95 ms</th></tr>
                %3$s</table>
                <h2>Accuracy per mode</h2><img src="accuracy.png" alt="accuracy per mode">
                <h2>Latency per mode</h2><img src="latency.png" alt="latency distribution per mode">
                <p>Per-item answers: <a href="items.jsonl">items.jsonl</a>; totals: <a href="summary.json">summary.json</a>.</p>
                </body></html>
                """.formatted(escape(summary.benchmark()), summary.items(), rows);
    }

    private static BufferedImage accuracyChart(ScoreSummary summary) {
        Chart chart = new Chart("Accuracy per mode (%)");
        List<String> modes = new ArrayList<>(summary.modes().keySet());
        int slot = chart.plotWidth() / Math.max(1, modes.size());
        for (int i = 0; i < modes.size(); i++) {
            double accuracy = 100 * summary.modes().get(modes.get(i)).accuracy().value();
            int barHeight = (int) Math.round(chart.plotHeight() * accuracy / 100);
            int x = chart.left() + i * slot + slot / 5;
            chart.g.setColor(PALETTE[i % PALETTE.length]);
            chart.g.fillRect(x, chart.bottom() - barHeight, slot * 3 / 5, barHeight);
            chart.g.setColor(Color.DARK_GRAY);
            chart.g.drawString(String.format(Locale.ROOT, "%.1f", accuracy), x, chart.bottom() - barHeight - 4);
            chart.g.drawString(modes.get(i), x, chart.bottom() + 16);
        }
        chart.yAxis(0, 100);
        return chart.done();
    }

    /** One strip per mode: every item's latency as a dot, with the p50 and p95 marked. */
    private static BufferedImage latencyChart(Map<String, double[]> latencies) {
        Chart chart = new Chart("Latency per item (ms)");
        double max = latencies.values().stream().flatMapToDouble(Arrays::stream).max().orElse(1) * 1.05;
        List<String> modes = new ArrayList<>(latencies.keySet());
        int slot = chart.plotWidth() / Math.max(1, modes.size());
        for (int i = 0; i < modes.size(); i++) {
            double[] values = latencies.get(modes.get(i)).clone();
            Arrays.sort(values);
            int center = chart.left() + i * slot + slot / 2;
            chart.g.setColor(PALETTE[i % PALETTE.length]);
            for (int k = 0; k < values.length; k++) {
                int jitter = (int) ((k * 37 % 21) - 10) * slot / 80;
                int y = chart.bottom() - (int) (chart.plotHeight() * values[k] / max);
                chart.g.fillOval(center + jitter - 2, y - 2, 4, 4);
            }
            if (values.length > 0) {
                chart.g.setColor(Color.BLACK);
                for (double q : new double[] {0.5, 0.95}) {
                    double v = values[(int) Math.min(values.length - 1, Math.floor(q * (values.length - 1)))];
                    int y = chart.bottom() - (int) (chart.plotHeight() * v / max);
                    chart.g.drawLine(center - slot / 4, y, center + slot / 4, y);
                    chart.g.drawString(q == 0.5 ? "p50" : "p95", center + slot / 4 + 3, y + 4);
                }
            }
            chart.g.setColor(Color.DARK_GRAY);
            chart.g.drawString(modes.get(i), center - slot / 4, chart.bottom() + 16);
        }
        chart.yAxis(0, max);
        return chart.done();
    }

    /** A canvas with margins, a title and a y axis. */
    private static final class Chart {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();

        Chart(String title) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.drawString(title, left(), 20);
        }

        int left() {
            return 60;
        }

        int bottom() {
            return HEIGHT - 30;
        }

        int plotWidth() {
            return WIDTH - left() - 20;
        }

        int plotHeight() {
            return bottom() - 40;
        }

        void yAxis(double from, double to) {
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(left(), bottom(), left(), bottom() - plotHeight());
            g.drawLine(left(), bottom(), left() + plotWidth(), bottom());
            for (int k = 0; k <= 4; k++) {
                double v = from + (to - from) * k / 4;
                int y = bottom() - plotHeight() * k / 4;
                g.drawString(String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v), 8, y + 4);
                g.drawLine(left() - 3, y, left(), y);
            }
        }

        BufferedImage done() {
            g.dispose();
            return image;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
