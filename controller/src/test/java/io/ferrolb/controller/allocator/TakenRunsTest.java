package io.ferrolb.controller.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TakenRunsTest {

    private static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    @ParameterizedTest(name = "{0} taken, first free from {1} is {2}")
    @CsvSource(delimiter = ';', value = {
        "'';                                        10.0.0.0; 10.0.0.0",
        "10.0.0.0;                                  10.0.0.0; 10.0.0.1",
        "10.0.0.0,10.0.0.1,10.0.0.2;                10.0.0.0; 10.0.0.3",
        "10.0.0.0,10.0.0.2;                         10.0.0.0; 10.0.0.1",
        "10.0.0.1,10.0.0.2;                         10.0.0.0; 10.0.0.0",
        "10.0.0.1,10.0.0.2;                         10.0.0.2; 10.0.0.3",
        "10.0.0.255,10.0.1.0;                       10.0.0.255; 10.0.1.1",
        "255.255.255.254,255.255.255.255;           255.255.255.254; ''",
        "fc00::ffff:ffff:ffff:ffff,fc00::1:0:0:0:0; fc00::ffff:ffff:ffff:ffff; fc00:0:0:1::1",
    })
    void firstFreeAddress(String takenList, String from, String expected) {
        TakenRuns runs = new TakenRuns();
        if (!takenList.isEmpty()) {
            for (String t : takenList.split(",")) {
                runs.add(ip(t));
            }
        }
        IpAddress free = runs.firstFreeFrom(ip(from));
        assertThat(free == null ? "" : free.toString()).isEqualTo(expected);
    }

    @Test
    void removingFromTheMiddleSplitsARunAndAddingBackJoinsIt() {
        TakenRuns runs = new TakenRuns();
        for (int i = 0; i < 10; i++) {
            runs.add(IpAddress.ofV4(0x0A000000L + i));
        }
        assertThat(runs.runCount()).isEqualTo(1);
        runs.remove(ip("10.0.0.4"));
        assertThat(runs.runCount()).isEqualTo(2);
        assertThat(runs.firstFreeFrom(ip("10.0.0.0"))).isEqualTo(ip("10.0.0.4"));
        runs.add(ip("10.0.0.4"));
        assertThat(runs.runCount()).isEqualTo(1);
        assertThat(runs.firstFreeFrom(ip("10.0.0.0"))).isEqualTo(ip("10.0.0.10"));
    }

    @Test
    void previousBorrowsAcrossTheLowWordOfIpv6() {
        assertThat(TakenRuns.previous(ip("fc00::1:0:0:0:0"))).isEqualTo(ip("fc00::ffff:ffff:ffff:ffff"));
        assertThat(TakenRuns.previous(ip("10.0.1.0"))).isEqualTo(ip("10.0.0.255"));
    }

    /** Random adds and removes agree with a plain sorted set at every step. */
    @Test
    void agreesWithASortedSetUnderRandomChanges() {
        Random random = new Random(42);
        TakenRuns runs = new TakenRuns();
        TreeSet<IpAddress> model = new TreeSet<>();
        for (int step = 0; step < 20_000; step++) {
            IpAddress a = IpAddress.ofV4(0x0A000000L + random.nextInt(64));
            if (random.nextInt(3) == 0) {
                runs.remove(a);
                model.remove(a);
            } else {
                runs.add(a);
                model.add(a);
            }
            IpAddress from = IpAddress.ofV4(0x0A000000L + random.nextInt(64));
            IpAddress expected = from;
            while (model.contains(expected)) {
                expected = expected.next().orElseThrow();
            }
            assertThat(runs.firstFreeFrom(from)).as("step %d from %s", step, from).isEqualTo(expected);
            assertThat(runs.firstFreeFrom(a).equals(a)).isEqualTo(!model.contains(a));
        }
    }
}
