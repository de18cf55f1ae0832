package io.ferrolb.speaker.membership;

import static io.ferrolb.speaker.membership.SwimTimers.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MembershipSettingsTest {

    private static final InetAddress HOST = InetAddress.getLoopbackAddress();

    @Test
    void defaultsBindAndAdvertiseTheHostOn7946() {
        MembershipSettings settings = MembershipSettings.defaults("node-a", HOST);

        assertThat(settings.port()).isEqualTo(7946);
        assertThat(settings.bindAddress()).isEqualTo(HOST);
        assertThat(settings.advertisedEndpoint()).isEqualTo("127.0.0.1:7946");
        assertThat(settings.timers()).isEqualTo(SwimTimers.ferrolb());
        assertThat(settings.joinDeadline()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theNodeNameIsRequired() {
        assertThatThrownBy(() -> MembershipSettings.defaults(" ", HOST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeName");
    }

    @Test
    void aWildcardMayBeBoundButNotAdvertised() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        MembershipSettings base = MembershipSettings.defaults("a", HOST);

        assertThat(new MembershipSettings("a", any, HOST, 7946, base.timers(), base.joinDeadline(), base.joinSettle(),
                base.peerRefreshInterval(), base.rejoinInterval(), true).advertisedEndpoint()).isEqualTo("127.0.0.1:7946");
        assertThatThrownBy(() -> MembershipSettings.defaults("a", any))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advertiseAddress");
    }

    @ParameterizedTest
    @CsvSource({"0", "65536", "-1"})
    void portsOutsideTheTcpRangeAreRefused(int port) {
        assertThatThrownBy(() -> MembershipSettings.defaults("a", HOST).withPort(port))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }

    @Test
    void theJoinDeadlineMustCoverTheInitialSync() {
        assertThatThrownBy(() -> MembershipSettings.defaults("a", HOST).withJoinDeadline(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial sync");
    }

    @Test
    void pingTimeoutMustLeaveRoomForIndirectProbes() {
        assertThatThrownBy(() -> new SwimTimers(ms(100), ms(100), 1, 2, ms(50), 3, 3, ms(1000), ms(2000), ms(1000),
                ms(1000))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pingTimeout");
    }

    @Test
    void zeroTimersAndMultipliersAreRefused() {
        assertThatThrownBy(() -> new SwimTimers(ms(0), ms(50), 1, 2, ms(50), 3, 3, ms(1000), ms(2000), ms(1000),
                ms(1000))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pingInterval");
        assertThatThrownBy(() -> new SwimTimers(ms(150), ms(50), 1, 0, ms(50), 3, 3, ms(1000), ms(2000), ms(1000),
                ms(1000))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("suspicionMult");
        assertThatThrownBy(() -> new SwimTimers(ms(150), ms(50), -1, 2, ms(50), 3, 3, ms(1000), ms(2000), ms(1000),
                ms(1000))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pingReqMembers");
    }

    /** scalecube: suspicionMult × bitLength(table size) × pingInterval; the table includes self. */
    @ParameterizedTest
    @CsvSource({"1, 150", "2, 300", "3, 300", "4, 450", "7, 450", "8, 600", "15, 600"})
    void suspicionTimeoutGrowsWithTheLogOfTheGroup(int members, long expectedMillis) {
        SwimTimers t = new SwimTimers(ms(150), ms(75), 2, 1, ms(50), 3, 3, ms(1000), ms(2000), ms(1000), ms(1000));

        assertThat(t.suspicionTimeout(members)).isEqualTo(Duration.ofMillis(expectedMillis));
        assertThat(t.detectionTime(members)).isEqualTo(Duration.ofMillis(150 + expectedMillis));
    }

    @Test
    void scalecubeDefaultsGiveTheMeasuredTenSecondsForThreeMembers() {
        assertThat(SwimTimers.scalecubeDefaults().suspicionTimeout(3)).isEqualTo(Duration.ofSeconds(10));
    }
}
