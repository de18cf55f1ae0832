package io.ferrolb.speaker.wire.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborAdvertisement;
import io.ferrolb.speaker.wire.packet.NdpMessage.NeighborSolicitation;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NdpPacketTest {

    static final Mac CLIENT = Mac.parse("02:42:c6:12:0a:64");
    static final Mac NODE = Mac.parse("02:42:c6:12:0a:0b");
    static final IpAddress CLIENT_LINK_LOCAL = IpAddress.parse("fe80::42:c6ff:fe12:a64");
    static final IpAddress NODE_IP = IpAddress.parse("fd00:10::11");

    @Test
    void decodesNdisc6sSolicitation() {
        Frame frame = Frame.parse(ReferenceFrames.get("ndisc6-solicitation"));

        assertThat(frame).isEqualTo(new Frame.Ndp(Mac.parse("33:33:ff:00:00:11"), CLIENT,
                new NdpPacket(CLIENT_LINK_LOCAL, IpAddress.parse("ff02::1:ff00:11"), 255,
                        new NeighborSolicitation(NODE_IP, Optional.of(CLIENT)))));
    }

    @Test
    void decodesTheKernelsAdvertisement() {
        Frame frame = Frame.parse(ReferenceFrames.get("kernel-advertisement"));

        assertThat(frame).isEqualTo(new Frame.Ndp(CLIENT, NODE, new NdpPacket(NODE_IP, CLIENT_LINK_LOCAL, 255,
                new NeighborAdvertisement(false, true, true, NODE_IP, Optional.of(NODE)))));
    }

    @Test
    void answerIsTheKernelsAdvertisementWithOverrideClear() {
        Frame.Ndp ns = (Frame.Ndp) Frame.parse(ReferenceFrames.get("ndisc6-solicitation"));

        byte[] answer = NdpPacket.answer(ns.packet(), NODE).frame(ns.source(), NODE);

        byte[] expected = ReferenceFrames.get("kernel-advertisement");
        int flags = EthernetFrame.HEADER + 40 + 4;
        int checksum = EthernetFrame.HEADER + 40 + 2;
        expected[flags] = 0x40;
        // One's-complement arithmetic: clearing Override (0x2000 in the flags word) adds it back.
        int sum = ((expected[checksum] & 0xFF) << 8 | (expected[checksum + 1] & 0xFF)) + 0x2000;
        sum = (sum & 0xFFFF) + (sum >>> 16);
        expected[checksum] = (byte) (sum >>> 8);
        expected[checksum + 1] = (byte) sum;
        assertThat(answer).isEqualTo(expected);
    }

    @Test
    void solicitationMatchesNdisc6sUpToTheFlowLabel() {
        byte[] ours = NdpPacket.solicitation(CLIENT_LINK_LOCAL, CLIENT, NODE_IP)
                .frame(Mac.ipv6Multicast(NdpPacket.solicitedNode(NODE_IP)), CLIENT);

        byte[] theirs = ReferenceFrames.get("ndisc6-solicitation");
        Arrays.fill(theirs, EthernetFrame.HEADER + 1, EthernetFrame.HEADER + 4, (byte) 0);
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void unsolicitedAdvertisementGoesToAllNodesWithOverride() {
        IpAddress vip = IpAddress.parse("fd00:10::200");

        byte[] frame = NdpPacket.unsolicited(NODE, vip).frame(Mac.ipv6Multicast(NdpPacket.ALL_NODES), NODE);

        assertThat(Frame.parse(frame)).isEqualTo(new Frame.Ndp(Mac.parse("33:33:00:00:00:01"), NODE,
                new NdpPacket(vip, IpAddress.parse("ff02::1"), 255,
                        new NeighborAdvertisement(false, false, true, vip, Optional.of(NODE)))));
        assertThat(frame).hasSize(EthernetFrame.HEADER + 40 + 32);
    }

    @Test
    void solicitedNodeGroupKeepsTheLow24Bits() {
        assertThat(NdpPacket.solicitedNode(IpAddress.parse("fd00:10::1:2345:6789")))
                .hasToString("ff02::1:ff45:6789");
        assertThat(Mac.ipv6Multicast(IpAddress.parse("ff02::1:ff45:6789"))).hasToString("33:33:ff:45:67:89");
    }

    @Test
    void solicitationWithoutLinkAddressOptionDecodesWithoutIt() {
        NdpPacket dad = new NdpPacket(IpAddress.parse("::"), NdpPacket.solicitedNode(NODE_IP), 255,
                new NeighborSolicitation(NODE_IP, Optional.empty()));

        assertThat(NdpPacket.decode(dad.encode())).contains(dad);
        assertThat(dad.encode()).hasSize(40 + 24);
    }

    @Test
    void rejectsABadChecksumAZeroLengthOptionAndOtherIcmpv6() {
        byte[] good = NdpPacket.solicitation(CLIENT_LINK_LOCAL, CLIENT, NODE_IP).encode();
        byte[] badSum = good.clone();
        badSum[42] ^= 1;
        byte[] zeroOption = good.clone();
        zeroOption[40 + 24 + 1] = 0;
        fixChecksum(zeroOption);
        byte[] echo = good.clone();
        echo[40] = (byte) 128;
        fixChecksum(echo);
        byte[] truncated = Arrays.copyOf(good, good.length - 1);

        assertThat(NdpPacket.decode(good)).isPresent();
        assertThat(NdpPacket.decode(badSum)).isEmpty();
        assertThat(NdpPacket.decode(zeroOption)).isEmpty();
        assertThat(NdpPacket.decode(echo)).isEmpty();
        assertThat(NdpPacket.decode(truncated)).isEmpty();
    }

    @Test
    void checksumOfAKnownMessage() {
        byte[] ns = ReferenceFrames.get("ndisc6-solicitation");
        int at = EthernetFrame.HEADER + 40;
        int stored = (ns[at + 2] & 0xFF) << 8 | (ns[at + 3] & 0xFF);
        ns[at + 2] = 0;
        ns[at + 3] = 0;

        assertThat(Icmpv6Checksum.compute(CLIENT_LINK_LOCAL, IpAddress.parse("ff02::1:ff00:11"), ns, at, 32))
                .isEqualTo(stored).isEqualTo(0xdb79);
    }

    private static void fixChecksum(byte[] packet) {
        packet[42] = 0;
        packet[43] = 0;
        int sum = Icmpv6Checksum.compute(CLIENT_LINK_LOCAL, NdpPacket.solicitedNode(NODE_IP), packet, 40,
                packet.length - 40);
        packet[42] = (byte) (sum >>> 8);
        packet[43] = (byte) sum;
    }
}
