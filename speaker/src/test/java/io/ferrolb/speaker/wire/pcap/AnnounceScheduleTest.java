package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The burst schedule, driven as the wire drives it: events at given times, {@code due()} at every
 * {@code nextDeadline()}. Times in seconds; {@code +a} announces address a, {@code -a} withdraws
 * it; the expected column lists every burst per address.
 */
class AnnounceScheduleTest {

    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fresh ticker: five bursts                    | 0      | 0 +a                   | 20 | a: 0 1.1 2.2 3.3 4.4
            re-trigger inside the window extends it      | 0      | 0 +a; 2 +a             | 20 | a: 0 1.1 2.2 3.3 4.4 5.5 6.6
            re-trigger bursts nothing extra at once       | 0      | 0 +a; 0.5 +a           | 20 | a: 0 1.1 2.2 3.3 4.4 5.5
            joining a running ticker: six bursts          | 0      | 0 +a; 0.5 +b           | 20 | a: 0 1.1 2.2 3.3 4.4; b: 0.5 1.1 2.2 3.3 4.4 5.5
            joining just after a tick: five bursts        | 0      | 0 +a; 1.2 +b           | 20 | a: 0 1.1 2.2 3.3 4.4; b: 1.2 2.2 3.3 4.4 5.5
            withdraw stops at once                        | 0      | 0 +a; 2 -a             | 20 | a: 0 1.1
            withdraw one keeps the other                  | 0      | 0 +a; 0.2 +b; 2 -a     | 20 | a: 0 1.1; b: 0.2 1.1 2.2 3.3 4.4
            after the window a trigger starts afresh      | 0      | 0 +a; 7 +a             | 20 | a: 0 1.1 2.2 3.3 4.4 7 8.1 9.2 10.3 11.4
            trigger right after the last tick             | 0      | 0 +a; 5.2 +a           | 20 | a: 0 1.1 2.2 3.3 4.4 5.2 5.5 6.6 7.7 8.8 9.9
            withdraw and announce again bursts at once    | 0      | 0 +a; 1.5 -a; 1.6 +a   | 20 | a: 0 1.1 1.6 2.2 3.3 4.4 5.5 6.6
            refresh after the burst, then periodically    | 30     | 0 +a                   | 100 | a: 0 1.1 2.2 3.3 4.4 34.4 64.4 94.4
            refresh counts from the latest burst          | 30     | 0 +a; 40 +a            | 100 | a: 0 1.1 2.2 3.3 4.4 34.4 40 41.1 42.2 43.3 44.4 74.4
            refresh stops on withdraw                     | 30     | 0 +a; 50 -a            | 100 | a: 0 1.1 2.2 3.3 4.4 34.4
            """)
    void schedule(String name, double refreshSeconds, String events, double until, String expected) {
        assertThat(format(run((long) (refreshSeconds * SECOND), events, (long) (until * SECOND))))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "late caller at {0} s")
    @CsvSource({"2.5, 0 1.1 2.5 3.3 4.4", "3.4, 0 1.1 3.4 4.4"})
    void aLateCallerSkipsMissedTicks(double late, String expected) {
        long[] now = {0};
        AnnounceSchedule schedule = new AnnounceSchedule(() -> now[0], 0);
        IpAddress a = IpAddress.parse("198.18.0.200");
        List<Long> bursts = new ArrayList<>();
        schedule.trigger(a);
        bursts.add(0L);
        now[0] = (long) (1.1 * SECOND);
        schedule.due().forEach(ip -> bursts.add(now[0]));
        now[0] = (long) (late * SECOND);
        schedule.due().forEach(ip -> bursts.add(now[0]));
        for (OptionalLong next = schedule.nextDeadline(); next.isPresent(); next = schedule.nextDeadline()) {
            now[0] = next.getAsLong();
            schedule.due().forEach(ip -> bursts.add(now[0]));
        }
        assertThat(bursts.stream().map(AnnounceScheduleTest::seconds).collect(Collectors.joining(" ")))
                .isEqualTo(expected);
    }

    /** Runs the events and the ticker until the given time, returning every burst time per address. */
    private static Map<String, List<Long>> run(long refresh, String events, long until) {
        long[] now = {0};
        AnnounceSchedule schedule = new AnnounceSchedule(() -> now[0], refresh);
        Map<String, List<Long>> bursts = new TreeMap<>();
        List<String[]> pending = new ArrayList<>();
        for (String e : events.split(";")) {
            pending.add(e.strip().split(" "));
        }
        while (true) {
            long nextEvent = pending.isEmpty() ? Long.MAX_VALUE : (long) (Double.parseDouble(pending.get(0)[0]) * SECOND);
            OptionalLong deadline = schedule.nextDeadline();
            long nextTick = deadline.orElse(Long.MAX_VALUE);
            long next = Math.min(nextEvent, nextTick);
            if (next == Long.MAX_VALUE || next > until) {
                return bursts;
            }
            now[0] = next;
            if (nextEvent <= nextTick) {
                String[] e = pending.remove(0);
                String name = e[1].substring(1);
                IpAddress ip = ip(name);
                if (e[1].startsWith("+")) {
                    if (schedule.trigger(ip)) {
                        bursts.computeIfAbsent(name, k -> new ArrayList<>()).add(now[0]);
                    }
                } else {
                    schedule.cancel(ip);
                }
            } else {
                for (IpAddress ip : schedule.due()) {
                    bursts.computeIfAbsent(name(ip), k -> new ArrayList<>()).add(now[0]);
                }
            }
        }
    }

    private static IpAddress ip(String name) {
        return IpAddress.parse("198.18.0." + (200 + name.charAt(0) - 'a'));
    }

    private static String name(IpAddress ip) {
        return String.valueOf((char) ('a' + (int) ip.low() - IpAddress.parse("198.18.0.200").low()));
    }

    private static String format(Map<String, List<Long>> bursts) {
        return bursts.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().stream().map(AnnounceScheduleTest::seconds)
                        .collect(Collectors.joining(" ")))
                .collect(Collectors.joining("; "));
    }

    private static String seconds(long nanos) {
        String s = String.format(Locale.ROOT, "%.1f", nanos / (double) SECOND);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
