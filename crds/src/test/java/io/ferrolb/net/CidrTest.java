package io.ferrolb.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # input                         | network text (Go IPNet.String)
            192.168.10.0/24                 | 192.168.10.0/24
            192.168.1.10/24                 | 192.168.1.0/24
            42.176.25.64/32                 | 42.176.25.64/32
            10.1.2.3/0                      | 0.0.0.0/0
            10.1.2.3/08                     | 10.0.0.0/8
            10.1.2.3/0024                   | 10.1.2.0/24
            fc00:f853:0ccd:e799::/124       | fc00:f853:ccd:e799::/124
            fc00:f853:ccd:e799::1f/124      | fc00:f853:ccd:e799::10/124
            2001:db8::ffff/64               | 2001:db8::/64
            ::/0                            | ::/0
            ::1/128                         | ::1/128
            ::ffff:192.0.2.7/120            | 192.0.2.0/24
            ::ffff:192.0.2.7/128            | 192.0.2.7/32
            """)
    void normalisesHostBitsAsGoParseCidrDoes(String input, String expected) {
        assertThat(Cidr.parse(input).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {
        "", "192.168.10.0", "192.168.10.0/", "192.168.10.0/33", "192.168.10.0/-1", "192.168.10.0/ 24",
        " 192.168.10.0/24", "192.168.10.0/24 ", "192.168.10/24", "fc00::/129", "fc00::/1a", "fe80::%eth0/64",
        "10.0.0.0/8/8", "/24", "10.0.0.0/+24", "10.0.0.0/\u0662\u0664",
    })
    void rejectsWhatGoRejects(String input) {
        assertThatThrownBy(() -> Cidr.parse(input))
                .isInstanceOf(AddressParseException.class)
                .hasMessage("invalid CIDR " + GoQuote.quote(input));
    }

    @ParameterizedTest(name = "{0}: first {1}, last {2}, size {3}")
    @CsvSource(delimiter = '|', textBlock = """
            192.168.10.0/24     | 192.168.10.0 | 192.168.10.255 | 256
            192.168.10.4/31     | 192.168.10.4 | 192.168.10.5   | 2
            192.168.10.4/32     | 192.168.10.4 | 192.168.10.4   | 1
            0.0.0.0/0           | 0.0.0.0      | 255.255.255.255| 4294967296
            fc00::/124          | fc00::       | fc00::f        | 16
            fc00::/64           | fc00::       | fc00::ffff:ffff:ffff:ffff | 18446744073709551616
            ::/0                | ::           | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 340282366920938463463374607431768211456
            """)
    void knowsItsBounds(String cidr, String first, String last, String size) {
        Cidr c = Cidr.parse(cidr);
        assertThat(c.first()).hasToString(first);
        assertThat(c.last()).hasToString(last);
        assertThat(c.size()).isEqualTo(new BigInteger(size));
        assertThat(c.contains(IpAddress.parse(first))).isTrue();
        assertThat(c.contains(IpAddress.parse(last))).isTrue();
    }

    @ParameterizedTest(name = "{0} and {1}: overlap={2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/24   | 10.0.0.0/24   | true
            10.0.0.0/24   | 10.0.0.128/25 | true
            10.0.0.128/25 | 10.0.0.0/24   | true
            10.0.0.0/25   | 10.0.0.128/25 | false
            10.0.0.0/24   | 10.0.1.0/24   | false
            0.0.0.0/0     | 10.0.0.0/8    | true
            fc00::/120    | fc00::10/124  | true
            fc00::/124    | fc00::10/124  | false
            0.0.0.0/0     | ::/0          | false
            """)
    void overlapsOnlyWhenOneContainsTheOther(String a, String b, boolean overlap) {
        assertThat(Cidr.parse(a).overlaps(Cidr.parse(b))).isEqualTo(overlap);
    }
}
