package io.ferrolb.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What iputils' {@code arping} printed: the round-trip time of every reply. */
public final class ArpingOutput {

    private static final Pattern RTT = Pattern.compile("time=([0-9.]+) (usec|msec)");

    private ArpingOutput() {
    }

    /** Each reply's round-trip time in microseconds, in the order printed. */
    public static List<Double> rttMicros(String stdout) {
        List<Double> out = new ArrayList<>();
        Matcher m = RTT.matcher(stdout);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            out.add(m.group(2).equals("usec") ? v : v * 1000);
        }
        return out;
    }
}
