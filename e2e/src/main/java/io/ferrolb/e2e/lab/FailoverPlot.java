package io.ferrolb.e2e.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * The timeline plot of the benchmark: for the median run of each signal, every probe attempt from
 * 1 s before the stop to at least 2 s after (past the takeover), placed on the row of the node that answered (green) or on the
 * "failed" row (red), with the stop and the first answer of the new owner marked.
 */
public final class FailoverPlot {

    private static final int WIDTH = 1100;
    private static final int PANEL = 260;
    private static final int LEFT = 110;
    private static final int RIGHT = 30;
    private static final long BEFORE_MS = 1000;
    private static final long MIN_AFTER_MS = 2000;

    private FailoverPlot() {
    }

    public static void write(List<FailoverRun> runs, Path png) throws IOException {
        Map<String, List<FailoverRun>> bySignal = runs.stream().collect(Collectors.groupingBy(
                r -> r.profile() + " profile, " + switch (r.signal()) {
                    case "kill" -> "kill -9 of the speaker";
                    case "term" -> "SIGTERM of the speaker";
                    default -> "node down (link down + kill -9)";
                },
                java.util.LinkedHashMap::new, Collectors.toList()));
        BufferedImage img = new BufferedImage(WIDTH, Math.max(1, bySignal.size()) * PANEL + 20,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int top = 10;
        for (Map.Entry<String, List<FailoverRun>> e : bySignal.entrySet()) {
            List<FailoverRun> sorted = e.getValue().stream()
                    .sorted(Comparator.comparingLong(FailoverRun::interruptionMs)).toList();
            panel(g, top, e.getKey(), sorted.get(sorted.size() / 2), sorted.size());
            top += PANEL;
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int top, String title, FailoverRun run, int count) {
        long after = Math.max(MIN_AFTER_MS, (run.interruptionMs() / 1000 + 2) * 1000);
        TreeSet<String> nodes = new TreeSet<>();
        run.window().stream().filter(ProberRun.Attempt::ok).forEach(a -> nodes.add(a.detail()));
        List<String> rows = new java.util.ArrayList<>(nodes);
        rows.add("failed");
        int plotTop = top + 40;
        int plotHeight = PANEL - 80;
        int rowHeight = plotHeight / rows.size();
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(String.format("%s: median of %d runs (run %d), %s stopped, %s took over after %d ms, "
                + "%d failed", title, count, run.run(), run.stoppedNode(), run.newOwner(), run.interruptionMs(),
                run.failed()), 10, top + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < rows.size(); i++) {
            int y = plotTop + i * rowHeight + rowHeight / 2;
            g.setColor(Color.DARK_GRAY);
            g.drawString(rows.get(i), 10, y + 4);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
        }
        g.setColor(Color.GRAY);
        long step = after > 4000 ? 2000 : 500;
        for (long t = -BEFORE_MS; t <= after; t += step) {
            int x = x(t, after);
            g.drawLine(x, plotTop + plotHeight, x, plotTop + plotHeight + 5);
            g.drawString(t + " ms", x - 20, plotTop + plotHeight + 20);
        }
        for (ProberRun.Attempt a : run.window()) {
            long t = a.epochMs() - run.stoppedAt();
            if (t < -BEFORE_MS || t > after) {
                continue;
            }
            int row = a.ok() ? rows.indexOf(a.detail()) : rows.size() - 1;
            int y = plotTop + row * rowHeight + rowHeight / 2;
            g.setColor(a.ok() ? new Color(0, 150, 0) : new Color(200, 0, 0));
            g.fillOval(x(t, after) - 3, y - 3, 6, 6);
        }
        g.setStroke(new BasicStroke(2));
        g.setColor(Color.BLACK);
        g.drawLine(x(0, after), plotTop, x(0, after), plotTop + plotHeight);
        g.drawString("stop", x(0, after) + 4, plotTop + 12);
        g.setColor(new Color(0, 90, 200));
        int answered = x(run.interruptionMs(), after);
        g.drawLine(answered, plotTop, answered, plotTop + plotHeight);
        g.drawString("new owner answers", answered + 4, plotTop + 26);
        g.setStroke(new BasicStroke(1));
    }

    private static int x(long t, long after) {
        return LEFT + (int) ((t + BEFORE_MS) * (WIDTH - LEFT - RIGHT) / (BEFORE_MS + after));
    }
}
