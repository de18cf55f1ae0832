package io.ferrolb.speaker.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The IPVS handoff's operations (this machine's kernel has no ip_vs: the fake plays it). */
class IpvsHandoffTest {

    static final List<IpAddress> NODE = List.of(IpAddress.parse("198.18.10.11"), IpAddress.parse("fd00:10::11"));
    static final IpAddress VIP = IpAddress.parse("198.18.10.200");

    final FakeIpvs fake = new FakeIpvs();

    @Test
    void installCreatesTheDeviceTheVirtualServiceAndThenTheAddress() {
        IpvsHandoff handoff = new IpvsHandoff(fake, NODE);

        handoff.install("ns/web", List.of(VIP), List.of(new PortMapping("TCP", 80, 30080),
                new PortMapping("UDP", 53, 30053)));

        assertThat(fake.mutations).containsExactly(
                "ip link add ferrolb-ipvs0 type dummy",
                "ipvsadm -A -t 198.18.10.200:80 -s rr",
                "ipvsadm -a -t 198.18.10.200:80 -r 198.18.10.11:30080 -m -w 1",
                "ipvsadm -A -u 198.18.10.200:53 -s rr",
                "ipvsadm -a -u 198.18.10.200:53 -r 198.18.10.11:30053 -m -w 1",
                "ip -4 addr add 198.18.10.200/32 dev ferrolb-ipvs0");
    }

    @Test
    void installingTheSameTwiceChangesNothingAndIpv6UsesBrackets() {
        IpvsHandoff handoff = new IpvsHandoff(fake, NODE);
        handoff.install("ns/web", List.of(IpAddress.parse("fd00:10::200")), List.of(new PortMapping("TCP", 80, 30080)));
        fake.mutations.clear();

        handoff.install("ns/web", List.of(IpAddress.parse("fd00:10::200")), List.of(new PortMapping("TCP", 80, 30080)));
        handoff.reconcile();

        assertThat(fake.mutations).isEmpty();
        assertThat(fake.virtuals).containsEntry("-t [fd00:10::200]:80", Set.of("[fd00:10::11]:30080"));
        assertThat(fake.devices.get("ferrolb-ipvs0")).containsExactly("fd00:10::200/128");
    }

    @Test
    void removeTakesTheAddressAwayFirstAndLeavesForeignServicesAlone() {
        fake.virtuals.put("-t 10.96.0.10:53", new java.util.LinkedHashSet<>(Set.of("10.244.0.5:53")));
        IpvsHandoff handoff = new IpvsHandoff(fake, NODE);
        handoff.install("ns/web", List.of(VIP), List.of(new PortMapping("TCP", 80, 30080)));
        fake.mutations.clear();

        handoff.remove("ns/web");

        assertThat(fake.mutations).containsExactly("ip -4 addr del 198.18.10.200/32 dev ferrolb-ipvs0",
                "ipvsadm -D -t 198.18.10.200:80");
        assertThat(fake.virtuals).containsOnlyKeys("-t 10.96.0.10:53");
    }

    @Test
    void aChangedNodePortSwapsTheRealServer() {
        IpvsHandoff handoff = new IpvsHandoff(fake, NODE);
        handoff.install("ns/web", List.of(VIP), List.of(new PortMapping("TCP", 80, 30080)));
        fake.mutations.clear();

        handoff.install("ns/web", List.of(VIP), List.of(new PortMapping("TCP", 80, 30081)));

        assertThat(fake.mutations).containsExactly("ipvsadm -d -t 198.18.10.200:80 -r 198.18.10.11:30080",
                "ipvsadm -a -t 198.18.10.200:80 -r 198.18.10.11:30081 -m -w 1");
    }

    @Test
    void reconcileDropsLeftoversOfAPreviousRunAndCloseRemovesTheDevice() {
        new IpvsHandoff(fake, NODE).install("ns/old", List.of(VIP), List.of(new PortMapping("TCP", 80, 30080)));
        fake.mutations.clear();
        IpvsHandoff restarted = new IpvsHandoff(fake, NODE);
        assertThat(fake.mutations).isEmpty();

        restarted.reconcile();
        restarted.close();

        assertThat(fake.mutations).containsExactly("ip -4 addr del 198.18.10.200/32 dev ferrolb-ipvs0",
                "ipvsadm -D -t 198.18.10.200:80", "ip link del ferrolb-ipvs0");
        assertThat(fake.virtuals).isEmpty();
        assertThat(fake.devices).isEmpty();
    }
}
