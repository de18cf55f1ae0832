package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.wire.Wire;
import io.ferrolb.speaker.wire.packet.ArpPacket;
import io.ferrolb.speaker.wire.packet.Frame;
import io.ferrolb.speaker.wire.packet.Mac;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborAdvertisement;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborSolicitation;
import io.ferrolb.speaker.wire.packet.NdpPacket;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponderTest {

    static final Mac OURS = Mac.parse("02:42:c6:12:0a:0b");
    static final Mac OTHER_NIC = Mac.parse("02:42:c6:12:0b:0b");
    static final Mac CLIENT = Mac.parse("02:42:c6:12:0a:64");
    static final Mac ROGUE = Mac.parse("02:42:c6:12:0a:66");
    static final IpAddress VIP = IpAddress.parse("198.18.10.200");
    static final IpAddress VIP6 = IpAddress.parse("fd00:10::200");
    static final IpAddress CLIENT_IP = IpAddress.parse("198.18.10.100");
    static final IpAddress CLIENT_LL = IpAddress.parse("fe80::42:c6ff:fe12:a64");
    static final IpAddress OUR_LL = IpAddress.parse("fe80::42:c6ff:fe12:a0b");
    static final Responder.Port ETH0 = new Responder.Port("eth0", OURS, Optional.of(OUR_LL));
    static final Ownership OWNED = Ownership.EMPTY.with("ns/a", VIP, Interfaces.all())
            .with("ns/a", VIP6, Interfaces.all());

    private static Responder.Outcome decide(Responder.Port port, Frame frame, Ownership owned) {
        return decide(port, frame, owned, Long.MAX_VALUE);
    }

    private static Responder.Outcome decide(Responder.Port port, Frame frame, Ownership owned, long capturedMicros) {
        return Responder.decide(port, frame, owned, Set.of(OURS, OTHER_NIC)::contains, capturedMicros);
    }

    /**
     * A request or a foreign claim captured before we owned the address is history: the previous
     * owner answered it (or our announcement at the claim told the sender), so a capture thread
     * that reads it only after the claim must not answer it a second time.
     */
    @Test
    void framesCapturedBeforeTheClaimAreIgnoredThoseFromItsMomentOnAreNot() {
        long claimed = 1_795_946_733_398_000L;
        Ownership owned = Ownership.EMPTY.withAll(List.of(new Wire.Claim("ns/a", VIP, Interfaces.all(), false, false),
                new Wire.Claim("ns/a", VIP6, Interfaces.all(), false, false)), claimed);
        Frame request = arp(Mac.BROADCAST, ArpPacket.request(CLIENT, CLIENT_IP, VIP));
        Frame foreignReply = arp(CLIENT, new ArpPacket(ArpPacket.REPLY, ROGUE, VIP, CLIENT, CLIENT_IP));
        NdpPacket ns = NdpPacket.solicitation(CLIENT_LL, CLIENT, VIP6);
        Frame solicitation = Frame.parse(ns.frame(Mac.ipv6Multicast(ns.destination()), CLIENT));

        assertThat(decide(ETH0, request, owned, claimed - 100_000)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, foreignReply, owned, claimed - 1)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, solicitation, owned, claimed - 1)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, request, owned, claimed)).isInstanceOf(Responder.Answer.class);
        assertThat(decide(ETH0, foreignReply, owned, claimed + 1)).isInstanceOf(Responder.Claim.class);
        assertThat(decide(ETH0, solicitation, owned, claimed + 1)).isInstanceOf(Responder.Answer.class);
        // A later claim of an address already owned keeps the first moment.
        Ownership again = owned.withAll(List.of(new Wire.Claim("ns/b", VIP, Interfaces.all(), false, false)),
                claimed + 1_000_000);
        assertThat(decide(ETH0, request, again, claimed + 1)).isInstanceOf(Responder.Answer.class);
        // Released and claimed anew: from the new moment on.
        Ownership anew = again.without("ns/a", VIP).without("ns/b", VIP)
                .withAll(List.of(new Wire.Claim("ns/a", VIP, Interfaces.all(), false, false)), claimed + 2_000_000);
        assertThat(decide(ETH0, request, anew, claimed + 1)).isInstanceOf(Responder.Ignore.class);
    }

    private static Frame arp(Mac destination, ArpPacket packet) {
        return Frame.parse(packet.frame(destination, packet.senderMac()));
    }

    @Test
    void answersABroadcastRequestForAnOwnedAddressUnicastWithTheReceivingInterfacesMac() {
        Responder.Outcome out = decide(ETH0, arp(Mac.BROADCAST, ArpPacket.request(CLIENT, CLIENT_IP, VIP)), OWNED);

        assertThat(out).isInstanceOf(Responder.Answer.class);
        Responder.Answer answer = (Responder.Answer) out;
        assertThat(answer.ip()).isEqualTo(VIP);
        assertThat(Frame.parse(answer.frame())).isEqualTo(new Frame.Arp(CLIENT, OURS,
                new ArpPacket(ArpPacket.REPLY, OURS, VIP, CLIENT, CLIENT_IP)));
        assertThat(answer.frame()).hasSize(60);
    }

    @Test
    void answersAUnicastProbeToOurMacButNotOneToAnotherMac() {
        ArpPacket probe = ArpPacket.request(CLIENT, CLIENT_IP, VIP);

        assertThat(decide(ETH0, arp(OURS, probe), OWNED)).isInstanceOf(Responder.Answer.class);
        assertThat(decide(ETH0, arp(Mac.parse("02:42:c6:12:0a:0c"), probe), OWNED)).isInstanceOf(Responder.Ignore.class);
    }

    @Test
    void ignoresRequestsForOtherAddressesRepliesAndOurOwnFrames() {
        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.request(CLIENT, CLIENT_IP,
                IpAddress.parse("198.18.10.201"))), OWNED)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.request(CLIENT, CLIENT_IP, VIP)), Ownership.EMPTY))
                .isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, arp(CLIENT, new ArpPacket(ArpPacket.REPLY, CLIENT, CLIENT_IP, OURS, VIP)), OWNED))
                .isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.gratuitous(ArpPacket.REQUEST, OTHER_NIC, VIP)), OWNED))
                .isInstanceOf(Responder.Ignore.class);
    }

    @Test
    void answersOnlyOnTheAddressesInterfaces() {
        Ownership onlyEth1 = Ownership.EMPTY.with("ns/a", VIP, Interfaces.only(List.of("eth1")));
        Frame request = arp(Mac.BROADCAST, ArpPacket.request(CLIENT, CLIENT_IP, VIP));

        assertThat(decide(ETH0, request, onlyEth1)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(new Responder.Port("eth1", OTHER_NIC, Optional.empty()), request, onlyEth1))
                .isInstanceOf(Responder.Answer.class);
        assertThat(decide(ETH0, request, onlyEth1.with("ns/b", VIP, Interfaces.all())))
                .isInstanceOf(Responder.Answer.class);
    }

    @Test
    void foreignGratuitousArpsRepliesAndRequestsFromAnOwnedAddressAreClaims() {
        Responder.Claim claim = new Responder.Claim(VIP, ROGUE);

        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.gratuitous(ArpPacket.REQUEST, ROGUE, VIP)), OWNED))
                .isEqualTo(claim);
        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.gratuitous(ArpPacket.REPLY, ROGUE, VIP)), OWNED))
                .isEqualTo(claim);
        assertThat(decide(ETH0, arp(CLIENT, new ArpPacket(ArpPacket.REPLY, ROGUE, VIP, CLIENT, CLIENT_IP)), OWNED))
                .isEqualTo(claim);
        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.request(ROGUE, VIP, CLIENT_IP)), OWNED)).isEqualTo(claim);
        assertThat(decide(ETH0, arp(Mac.BROADCAST, ArpPacket.gratuitous(ArpPacket.REQUEST, ROGUE, VIP)),
                Ownership.EMPTY)).isInstanceOf(Responder.Ignore.class);
    }

    @Test
    void answersASolicitationWithASourceLinkAddress() {
        NdpPacket ns = NdpPacket.solicitation(CLIENT_LL, CLIENT, VIP6);
        Frame frame = Frame.parse(ns.frame(Mac.ipv6Multicast(ns.destination()), CLIENT));

        Responder.Answer answer = (Responder.Answer) decide(ETH0, frame, OWNED);

        assertThat(Frame.parse(answer.frame())).isEqualTo(new Frame.Ndp(CLIENT, OURS, new NdpPacket(VIP6, CLIENT_LL,
                255, new NeighborAdvertisement(false, true, false, VIP6, Optional.of(OURS)))));
    }

    @Test
    void dropsSolicitationsWithoutSourceLinkAddressOrLinkLocalOrProperHopLimit() {
        NdpPacket noSlla = new NdpPacket(CLIENT_LL, NdpPacket.solicitedNode(VIP6), 255,
                new NeighborSolicitation(VIP6, Optional.empty()));
        NdpPacket dad = new NdpPacket(IpAddress.parse("::"), NdpPacket.solicitedNode(VIP6), 255,
                new NeighborSolicitation(VIP6, Optional.empty()));
        NdpPacket routed = new NdpPacket(CLIENT_LL, NdpPacket.solicitedNode(VIP6), 64,
                new NeighborSolicitation(VIP6, Optional.of(CLIENT)));
        NdpPacket good = NdpPacket.solicitation(CLIENT_LL, CLIENT, VIP6);
        Mac group = Mac.ipv6Multicast(NdpPacket.solicitedNode(VIP6));

        assertThat(decide(ETH0, Frame.parse(noSlla.frame(group, CLIENT)), OWNED)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, Frame.parse(dad.frame(group, CLIENT)), OWNED)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, Frame.parse(routed.frame(group, CLIENT)), OWNED)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(new Responder.Port("eth0", OURS, Optional.empty()), Frame.parse(good.frame(group, CLIENT)),
                OWNED)).isInstanceOf(Responder.Ignore.class);
        assertThat(decide(ETH0, Frame.parse(good.frame(Mac.parse("02:00:00:00:00:99"), CLIENT)), OWNED))
                .isInstanceOf(Responder.Ignore.class);
    }

    @Test
    void foreignAdvertisementsForAnOwnedAddressAreClaims() {
        NdpPacket na = NdpPacket.unsolicited(ROGUE, VIP6);
        NdpPacket ours = NdpPacket.unsolicited(OTHER_NIC, VIP6);
        Mac all = Mac.ipv6Multicast(NdpPacket.ALL_NODES);

        assertThat(decide(ETH0, Frame.parse(na.frame(all, ROGUE)), OWNED)).isEqualTo(new Responder.Claim(VIP6, ROGUE));
        assertThat(decide(ETH0, Frame.parse(ours.frame(all, CLIENT)), OWNED)).isInstanceOf(Responder.Ignore.class);
    }
}
