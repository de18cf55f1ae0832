package io.ferrolb.speaker.wire.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrolb.net.IpAddress;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void shortAndForeignFramesAreOther() {
        assertThat(Frame.parse(new byte[3])).isInstanceOf(Frame.Other.class);
        byte[] ipv4 = ReferenceFrames.hex("ffffffffffff 0242c6120a64 0800 4500");

        assertThat(Frame.parse(ipv4)).isEqualTo(new Frame.Other(Mac.BROADCAST, Mac.parse("02:42:c6:12:0a:64"), 0x0800));
    }

    @Test
    void truncatedArpIsOther() {
        byte[] arp = ReferenceFrames.get("kernel-arp-reply");

        assertThat(Frame.parse(java.util.Arrays.copyOf(arp, 30))).isInstanceOf(Frame.Other.class);
    }

    @Test
    void paddingIsToSixtyBytesAndLongerFramesAreKept() {
        EthernetFrame small = new EthernetFrame(Mac.BROADCAST, Mac.ZERO, 0x0806, new byte[28]);
        EthernetFrame big = new EthernetFrame(Mac.BROADCAST, Mac.ZERO, 0x86DD, new byte[72]);

        assertThat(small.encode()).hasSize(60);
        assertThat(big.encode()).hasSize(86);
        assertThat(EthernetFrame.decode(big.encode())).contains(big);
    }

    @Test
    void macTextAndFlags() {
        Mac mac = Mac.parse("02:42:C6:12:0A:0B");

        assertThat(mac).hasToString("02:42:c6:12:0a:0b");
        assertThat(Mac.of(mac.toBytes())).isEqualTo(mac);
        assertThat(mac.isMulticast()).isFalse();
        assertThat(Mac.BROADCAST.isBroadcast()).isTrue();
        assertThat(Mac.parse("33:33:00:00:00:01").isMulticast()).isTrue();
        assertThatThrownBy(() -> Mac.parse("02:42:c6:12:0a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mac.ipv6Multicast(IpAddress.parse("198.18.0.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
