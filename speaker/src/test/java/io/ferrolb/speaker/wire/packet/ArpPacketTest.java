package io.ferrolb.speaker.wire.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ArpPacketTest {

    static final Mac CLIENT = Mac.parse("02:42:c6:12:0a:64");
    static final Mac NODE = Mac.parse("02:42:c6:12:0a:0b");
    static final IpAddress CLIENT_IP = IpAddress.parse("198.18.10.100");
    static final IpAddress NODE_IP = IpAddress.parse("198.18.10.11");
    static final IpAddress VIP = IpAddress.parse("198.18.10.200");

    @Test
    void decodesArpingsRequest() {
        Frame frame = Frame.parse(ReferenceFrames.get("arping-request"));

        assertThat(frame).isEqualTo(new Frame.Arp(Mac.BROADCAST, CLIENT, ArpPacket.request(CLIENT, CLIENT_IP, NODE_IP)));
    }

    @Test
    void answersArpingsRequestAsTheKernelDoesButPadded() {
        Frame.Arp request = (Frame.Arp) Frame.parse(ReferenceFrames.get("arping-request"));

        byte[] reply = ArpPacket.replyTo(request.packet(), NODE).frame(request.packet().senderMac(), NODE);

        byte[] kernel = ReferenceFrames.get("kernel-arp-reply");
        assertThat(reply).hasSize(EthernetFrame.MINIMUM);
        assertThat(Arrays.copyOf(reply, kernel.length)).isEqualTo(kernel);
        assertThat(Arrays.copyOfRange(reply, kernel.length, reply.length)).containsOnly(0);
    }

    @Test
    void gratuitousRequestAndReplyAreArpingsUnsolicitedFrames() {
        byte[] request = ArpPacket.gratuitous(ArpPacket.REQUEST, CLIENT, VIP).frame(Mac.BROADCAST, CLIENT);
        byte[] reply = ArpPacket.gratuitous(ArpPacket.REPLY, CLIENT, VIP).frame(Mac.BROADCAST, CLIENT);

        assertThat(Arrays.copyOf(request, 42)).isEqualTo(Arrays.copyOf(ReferenceFrames.get("arping-garp-request"), 42));
        assertThat(Arrays.copyOf(reply, 42)).isEqualTo(Arrays.copyOf(ReferenceFrames.get("arping-garp-reply"), 42));
        assertThat(request).hasSize(60);
        assertThat(reply).hasSize(60);
    }

    @Test
    void gratuitousFramesCarryTheAddressTwiceAndABroadcastTarget() {
        ArpPacket garp = ((Frame.Arp) Frame.parse(ReferenceFrames.get("arping-garp-reply"))).packet();

        assertThat(garp.operation()).isEqualTo(ArpPacket.REPLY);
        assertThat(garp.isGratuitous()).isTrue();
        assertThat(garp.senderIp()).isEqualTo(VIP);
        assertThat(garp.targetMac()).isEqualTo(Mac.BROADCAST);
        assertThat(ArpPacket.gratuitous(ArpPacket.REQUEST, NODE, VIP))
                .isEqualTo(new ArpPacket(ArpPacket.REQUEST, NODE, VIP, Mac.BROADCAST, VIP));
    }

    @Test
    void roundTrips() {
        ArpPacket packet = new ArpPacket(ArpPacket.REPLY, NODE, VIP, CLIENT, CLIENT_IP);

        assertThat(ArpPacket.decode(packet.encode())).contains(packet);
    }

    @Test
    void rejectsWhatIsNotEthernetIpv4ArpOfAKnownOperation() {
        byte[] good = ArpPacket.request(CLIENT, CLIENT_IP, VIP).encode();
        byte[] rarp = good.clone();
        rarp[7] = 3;
        byte[] tokenRing = good.clone();
        tokenRing[1] = 6;
        byte[] wrongLengths = good.clone();
        wrongLengths[5] = 16;

        assertThat(ArpPacket.decode(rarp)).isEmpty();
        assertThat(ArpPacket.decode(tokenRing)).isEmpty();
        assertThat(ArpPacket.decode(wrongLengths)).isEmpty();
        assertThat(ArpPacket.decode(Arrays.copyOf(good, 27))).isEmpty();
    }
}
