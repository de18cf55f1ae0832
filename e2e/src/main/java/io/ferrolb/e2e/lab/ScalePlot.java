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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * The scale benchmark's picture: left, for each size and signal, the takeover time of every VIP of
 * the stopped speaker in its median run (VIPs sorted, so a flat line is a flat takeover); right, the
 * first, median and last VIP against the number of Services (median over the runs).
 */
public final class ScalePlot {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 520;
    private static final Color[] COLORS = {new Color(0, 110, 200), new Color(220, 120, 0), new Color(0, 150, 60),
        new Color(160, 0, 160), new Color(200, 0, 0), new Color(90, 90, 90)};

    private ScalePlot() {
    }

    public static void write(List<ScaleBenchmark.Run> runs, Path png) throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Map<String, List<ScaleBenchmark.Run>> groups = runs.stream().collect(Collectors.groupingBy(
                r -> r.services() + " Services, " + (r.signal().equals("kill") ? "kill -9" : "SIGTERM"),
                LinkedHashMap::new, Collectors.toList()));
        long yMax = Math.max(500, runs.stream().mapToLong(ScaleBenchmark.Run::lastMs).max().orElse(500));
        perVip(g, groups, yMax);
        curve(g, runs, yMax);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void perVip(Graphics2D g, Map<String, List<ScaleBenchmark.Run>> groups, long yMax) {
        int left = 70;
        int right = 580;
        int top = 40;
        int bottom = HEIGHT - 60;
        axes(g, left, right, top, bottom, yMax, "takeover per VIP of the stopped speaker, median run (VIPs sorted)",
                "VIP rank (0 = first taken over, 1 = last)");
        int i = 0;
        for (Map.Entry<String, List<ScaleBenchmark.Run>> e : groups.entrySet()) {
            List<ScaleBenchmark.Run> sorted = e.getValue().stream()
                    .sorted(Comparator.comparingLong(ScaleBenchmark.Run::lastMs)).toList();
            List<Long> perVip = sorted.get(sorted.size() / 2).perVipMs();
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(2));
            for (int k = 1; k < perVip.size(); k++) {
                g.drawLine(x(left, right, (k - 1) / (double) Math.max(1, perVip.size() - 1)),
                        y(top, bottom, perVip.get(k - 1), yMax),
                        x(left, right, k / (double) Math.max(1, perVip.size() - 1)), y(top, bottom, perVip.get(k), yMax));
            }
            if (perVip.size() == 1) {
                g.fillOval(x(left, right, 0) - 3, y(top, bottom, perVip.get(0), yMax) - 3, 6, 6);
            }
            g.drawString(e.getKey(), right - 170, top + 20 + 16 * i);
            i++;
        }
    }

    private static void curve(Graphics2D g, List<ScaleBenchmark.Run> runs, long yMax) {
        int left = 680;
        int right = WIDTH - 30;
        int top = 40;
        int bottom = HEIGHT - 60;
        axes(g, left, right, top, bottom, yMax, "takeover against the number of Services (median of runs)",
                "Services (log scale)");
        Map<String, Map<Integer, List<ScaleBenchmark.Run>>> bySignal = runs.stream().collect(Collectors.groupingBy(
                ScaleBenchmark.Run::signal, LinkedHashMap::new, Collectors.groupingBy(ScaleBenchmark.Run::services,
                        java.util.TreeMap::new, Collectors.toList())));
        int minN = runs.stream().mapToInt(ScaleBenchmark.Run::services).min().orElse(1);
        int maxN = Math.max(minN * 10, runs.stream().mapToInt(ScaleBenchmark.Run::services).max().orElse(10));
        int i = 0;
        for (Map.Entry<String, Map<Integer, List<ScaleBenchmark.Run>>> e : bySignal.entrySet()) {
            for (String what : List.of("first", "median", "last")) {
                g.setColor(COLORS[i % COLORS.length]);
                g.setStroke(new BasicStroke(what.equals("last") ? 3 : 1.5f));
                int px = -1;
                int py = -1;
                for (Map.Entry<Integer, List<ScaleBenchmark.Run>> n : e.getValue().entrySet()) {
                    List<Long> values = n.getValue().stream().map(r -> switch (what) {
                        case "first" -> r.firstMs();
                        case "median" -> r.medianMs();
                        default -> r.lastMs();
                    }).toList();
                    int cx = x(left, right, Math.log((double) n.getKey() / minN) / Math.log((double) maxN / minN));
                    int cy = y(top, bottom, FailoverReport.percentile(values, 50), yMax);
                    g.fillOval(cx - 4, cy - 4, 8, 8);
                    g.drawString(String.valueOf(n.getKey()), cx - 8, bottom + 16);
                    if (px >= 0) {
                        g.drawLine(px, py, cx, cy);
                    }
                    px = cx;
                    py = cy;
                }
                g.drawString((e.getKey().equals("kill") ? "kill -9" : "SIGTERM") + ", " + what + " VIP", left + 10,
                        top + 20 + 16 * i);
                i++;
            }
        }
    }

    private static void axes(Graphics2D g, int left, int right, int top, int bottom, long yMax, String title,
            String xLabel) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, left, top - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        long step = yMax > 4000 ? 1000 : yMax > 1000 ? 250 : 100;
        for (long v = 0; v <= yMax; v += step) {
            int y = y(top, bottom, v, yMax);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(v + " ms", left - 60, y + 4);
        }
        g.drawString(xLabel, (left + right) / 2 - 80, bottom + 36);
    }

    private static int x(int left, int right, double fraction) {
        return left + (int) (fraction * (right - left));
    }

    private static int y(int top, int bottom, long value, long yMax) {
        return bottom - (int) (Math.min(value, yMax) * (bottom - top) / (double) yMax);
    }
}
