package io.ferrolb.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRangesTest {

    @ParameterizedTest(name = "{0} - {1}")
    @CsvSource(delimiter = '|', textBlock = """
            192.168.9.1     | 192.168.9.5     | 192.168.9.1/32 192.168.9.2/31 192.168.9.4/31
            192.168.10.0    | 192.168.10.255  | 192.168.10.0/24
            192.168.10.7    | 192.168.10.7    | 192.168.10.7/32
            198.18.0.200    | 198.18.0.250    | 198.18.0.200/29 198.18.0.208/28 198.18.0.224/28 198.18.0.240/29 198.18.0.248/31 198.18.0.250/32
            10.0.0.255      | 10.0.1.0        | 10.0.0.255/32 10.0.1.0/32
            0.0.0.0         | 255.255.255.255 | 0.0.0.0/0
            255.255.255.254 | 255.255.255.255 | 255.255.255.254/31
            fc00::1         | fc00::5         | fc00::1/128 fc00::2/127 fc00::4/127
            fc00::          | fc00::ffff      | fc00::/112
            ::              | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ::/0
            ::ffff:ffff:ffff:ffff | 0:0:0:1:: | ::ffff:ffff:ffff:ffff/128 0:0:0:1::/128
            """)
    void coversTheRangeWithTheFewestPrefixes(String first, String last, String expected) {
        var cidrs = IpRanges.summarize(IpAddress.parse(first), IpAddress.parse(last));
        assertThat(cidrs).map(Cidr::toString).containsExactlyElementsOf(Arrays.asList(expected.split(" ")));
    }

    @Test
    void refusesReversedAndMixedRanges() {
        assertThatThrownBy(() -> IpRanges.summarize(IpAddress.parse("10.0.0.2"), IpAddress.parse("10.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpRanges.summarize(IpAddress.parse("10.0.0.1"), IpAddress.parse("fc00::1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
