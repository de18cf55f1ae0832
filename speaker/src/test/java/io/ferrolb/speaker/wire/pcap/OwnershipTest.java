package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Interfaces;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnershipTest {

    static final IpAddress VIP = IpAddress.parse("198.18.10.200");

    @Test
    void anAddressIsOwnedWhileAnyServiceAnnouncesIt() {
        Ownership o = Ownership.EMPTY.with("ns/a", VIP, Interfaces.only(List.of("eth0")))
                .with("ns/b", VIP, Interfaces.only(List.of("eth1")));

        assertThat(o.owns(VIP, "eth0")).isTrue();
        assertThat(o.owns(VIP, "eth1")).isTrue();
        assertThat(o.owns(VIP, "eth2")).isFalse();
        Ownership withoutA = o.without("ns/a", VIP);
        assertThat(withoutA.owns(VIP, "eth0")).isFalse();
        assertThat(withoutA.owns(VIP)).isTrue();
        assertThat(withoutA.without("ns/b", VIP).owns(VIP)).isFalse();
        assertThat(withoutA.without("ns/b", VIP).addresses()).isEmpty();
    }

    @Test
    void reannouncingReplacesTheServicesInterfacesAndUnknownWithdrawalsChangeNothing() {
        Ownership o = Ownership.EMPTY.with("ns/a", VIP, Interfaces.only(List.of("eth0")))
                .with("ns/a", VIP, Interfaces.all());

        assertThat(o.owns(VIP, "eth9")).isTrue();
        assertThat(o.without("ns/zzz", VIP)).isSameAs(o);
        assertThat(o.without("ns/a", IpAddress.parse("198.18.10.201"))).isSameAs(o);
    }
}
