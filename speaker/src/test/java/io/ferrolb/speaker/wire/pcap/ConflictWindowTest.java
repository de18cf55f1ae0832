package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.packet.Mac;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Claims at given times (seconds after the address was acquired, by MAC letter) and which of them
 * are reported. Window 3 s, repeat 10 s.
 */
class ConflictWindowTest {

    private static final long S = 1_000_000_000L;
    private static final IpAddress VIP = IpAddress.parse("198.18.10.200");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            previous owner inside the window is tolerated        | 0.1 p; 1 p; 2.9 p         | -
            previous owner after the window is reported          | 0.1 p; 3.2 p              | 3.2 p
            a second MAC inside the window is reported at once   | 0.1 p; 0.5 r              | 0.5 r
            any claim after the window is reported               | 4 r                       | 4 r
            reports repeat every ten seconds                      | 4 r; 5 r; 13.9 r; 14 r    | 4 r; 14 r
            two foreign MACs are reported separately             | 4 r; 4.1 q; 5 r           | 4 r; 4.1 q
            """)
    void reports(String name, String claims, String expected) {
        ConflictWindow window = new ConflictWindow(3 * S, 10 * S);
        window.acquired(VIP, 0, true);
        StringBuilder reported = new StringBuilder();
        for (String claim : claims.split(";")) {
            String[] parts = claim.strip().split(" ");
            long at = (long) (Double.parseDouble(parts[0]) * S);
            if (window.claim(VIP, mac(parts[1]), at).isPresent()) {
                reported.append(reported.length() == 0 ? "" : "; ").append(claim.strip());
            }
        }
        assertThat(reported.length() == 0 ? "-" : reported.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "released: {0}")
    @CsvSource({"true", "false"})
    void nothingIsReportedForAnAddressNotOwnedAndReacquiringOpensANewWindow(boolean reacquire) {
        ConflictWindow window = new ConflictWindow(3 * S, 10 * S);
        window.acquired(VIP, 0, true);
        window.released(VIP);

        assertThat(window.claim(VIP, mac("r"), 5 * S)).isEmpty();
        if (reacquire) {
            window.acquired(VIP, 20 * S, true);
            assertThat(window.claim(VIP, mac("r"), 21 * S)).isEmpty();
            assertThat(window.claim(VIP, mac("r"), 24 * S)).contains(mac("r"));
        }
    }

    @ParameterizedTest(name = "claim after {0} s")
    @CsvSource({"0.01", "1", "2.9"})
    void anAddressNoOtherSpeakerHeldHasNoWindow(double seconds) {
        // A brand-new Service: a rogue host claiming its VIP once is reported, not excused.
        ConflictWindow window = new ConflictWindow(3 * S, 10 * S);
        window.acquired(VIP, 0, false);
        assertThat(window.claim(VIP, mac("r"), (long) (seconds * S))).contains(mac("r"));
    }

    private static Mac mac(String letter) {
        return new Mac(0x0242_c612_0a00L + letter.charAt(0));
    }
}
