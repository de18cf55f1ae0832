package io.ferrolb.speaker.membership;

import java.util.ArrayList;
import java.util.List;

/**
 * Saturates the CPU for the membership benchmark: {@code threads} busy-loop threads for
 * {@code seconds}, then exits on its own (bounded even if the benchmark dies).
 * Usage: {@code BusyLoad threads=4 seconds=90}.
 */
public final class BusyLoad {

    private static volatile long sink;

    private BusyLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = 4;
        long seconds = 60;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            switch (kv[0]) {
                case "threads" -> threads = Integer.parseInt(kv[1]);
                case "seconds" -> seconds = Long.parseLong(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread spinner = new Thread(() -> {
                long x = 0;
                while (System.nanoTime() < until) {
                    for (int j = 0; j < 100_000; j++) {
                        x += j ^ (x >>> 3);
                    }
                    sink = x;
                }
            }, "busy-" + i);
            spinner.start();
            spinners.add(spinner);
        }
        System.out.println("LOAD threads=" + threads + " seconds=" + seconds);
        System.out.flush();
        for (Thread spinner : spinners) {
            spinner.join();
        }
    }
}
