package io.ferrolb.e2e.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc/<pid>} says of a process: its memory and CPU time, as users' tools report them. */
public final class ProcStatus {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStatus() {
    }

    /** VmRSS (resident set) in KiB, or -1 when the process is gone. */
    public static long rssKib(long pid) {
        return statusKib(pid, "VmRSS:");
    }

    /** VmHWM (the resident set's peak) in KiB, or -1 when the process is gone. */
    public static long peakRssKib(long pid) {
        return statusKib(pid, "VmHWM:");
    }

    /** User plus system CPU seconds the process has used ({@code utime + stime}), NaN when it is gone. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long statusKib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
