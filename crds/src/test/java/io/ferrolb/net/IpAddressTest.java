package io.ferrolb.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            # input                                   | Go's canonical text         | family
            0.0.0.0                                   | 0.0.0.0                     | IPV4
            192.168.10.0                              | 192.168.10.0                | IPV4
            255.255.255.255                           | 255.255.255.255             | IPV4
            fc00:f853:0ccd:e799::1                    | fc00:f853:ccd:e799::1       | IPV6
            FC00:F853:CCD:E799:0:0:0:1                | fc00:f853:ccd:e799::1       | IPV6
            2001:db8:0:0:1:0:0:1                      | 2001:db8::1:0:0:1           | IPV6
            2001:0:0:1:0:0:0:1                        | 2001:0:0:1::1               | IPV6
            2001:db8:0:1:1:1:1:1                      | 2001:db8:0:1:1:1:1:1        | IPV6
            0:0:0:0:0:0:0:0                           | ::                          | IPV6
            ::                                        | ::                          | IPV6
            ::1                                       | ::1                         | IPV6
            1::                                       | 1::                         | IPV6
            1:0:0:2:0:0:0:3                           | 1:0:0:2::3                  | IPV6
            1:0:0:0:2:0:0:3                           | 1::2:0:0:3                  | IPV6
            fe80::1:2:3:4                             | fe80::1:2:3:4               | IPV6
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff   | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | IPV6
            ::192.0.2.1                               | ::c000:201                  | IPV6
            64:ff9b::192.0.2.33                       | 64:ff9b::c000:221           | IPV6
            ::ffff:192.0.2.1                          | 192.0.2.1                   | IPV4
            ::ffff:c000:201                           | 192.0.2.1                   | IPV4
            0:0:0:0:0:ffff:c000:201                   | 192.0.2.1                   | IPV4
            """)
    void parsesAndPrintsLikeGo(String input, String canonical, IpFamily family) {
        IpAddress address = IpAddress.parse(input);
        assertThat(address.toString()).isEqualTo(canonical);
        assertThat(address.family()).isEqualTo(family);
        assertThat(IpAddress.parse(canonical)).isEqualTo(address);
        assertThat(IpAddress.isValid(input)).isTrue();
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {
        "", " 1.2.3.4", "1.2.3.4 ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..3.4", "1.2.3.",
        "-1.2.3.4", "1.2.3.4/32", "a.b.c.d", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1", "1:", "1:::2",
        "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7::8", "1:2:3:4:5:6:7:8::", "fe80::1%eth0",
        "::1.2.3", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "::ffff:01.2.3.4", "localhost",
    })
    void rejectsWhatGoRejects(String input) {
        assertThat(IpAddress.isValid(input)).isFalse();
        assertThatThrownBy(() -> IpAddress.parse(input))
                .isInstanceOf(AddressParseException.class)
                .hasMessage("invalid IP address " + GoQuote.quote(input));
    }

    @Test
    void ordersIpv4BeforeIpv6ThenByUnsignedValue() {
        assertThat(IpAddress.parse("255.255.255.255")).isLessThan(IpAddress.parse("::"));
        assertThat(IpAddress.parse("10.0.0.1")).isLessThan(IpAddress.parse("10.0.0.2"));
        assertThat(IpAddress.parse("7fff::")).isLessThan(IpAddress.parse("8000::"));
        assertThat(IpAddress.parse("::7fff:ffff:ffff:ffff")).isLessThan(IpAddress.parse("::8000:0:0:0"));
    }

    @Test
    void stepsToTheNextAddressAcrossWordBoundaries() {
        assertThat(IpAddress.parse("10.0.0.255").next()).contains(IpAddress.parse("10.0.1.0"));
        assertThat(IpAddress.parse("255.255.255.255").next()).isEmpty();
        assertThat(IpAddress.parse("::ffff:ffff:ffff:ffff").next()).contains(IpAddress.parse("0:0:0:1::"));
        assertThat(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").next()).isEmpty();
    }

    @Test
    void convertsToBytesAndBigIntegers() {
        assertThat(IpAddress.parse("192.168.10.1").toBytes()).containsExactly(192, 168, 10, 1);
        assertThat(IpAddress.parse("fc00::1").toBytes())
                .containsExactly(0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        IpAddress v6 = IpAddress.parse("8000::1:2");
        assertThat(IpAddress.of(IpFamily.IPV6, v6.toBigInteger())).isEqualTo(v6);
        assertThat(IpAddress.parse("255.255.255.255").toBigInteger()).isEqualTo(BigInteger.valueOf(0xFFFFFFFFL));
    }
}
