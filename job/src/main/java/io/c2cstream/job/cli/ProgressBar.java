package io.c2cstream.job.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar for long CLI work. On a terminal it redraws in place; otherwise (CI logs, pipes)
 * it prints a line at every tenth of the work so that logs stay short.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String task;
    private final long total;
    private final boolean interactive;
    private final long started = System.nanoTime();
    private long lastDecile = -1;

    ProgressBar(PrintWriter out, String task, long total) {
        this(out, task, total, System.console() != null);
    }

    ProgressBar(PrintWriter out, String task, long total, boolean interactive) {
        this.out = out;
        this.task = task;
        this.total = Math.max(1, total);
        this.interactive = interactive;
    }

    /** Shows {@code done} of the total, with a status such as "loss 2.31". */
    void update(long done, String status) {
        long decile = done * 10 / total;
        if (!interactive && decile == lastDecile && done < total) {
            return;
        }
        lastDecile = decile;
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        double seconds = (System.nanoTime() - started) / 1e9;
        String eta = done > 0 && done < total ? String.format(Locale.ROOT, " eta %s", duration(seconds * (total - done) / done)) : "";
        String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d %s %s%s", task, "=".repeat(filled),
                " ".repeat(WIDTH - filled), done, total, duration(seconds), status, eta);
        if (interactive) {
            out.print("\r" + line + "\u001b[K");
            if (done >= total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Prints a message on its own line without breaking the bar. */
    void note(String message) {
        out.println((interactive ? "\r\u001b[K" : "") + message);
        out.flush();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
