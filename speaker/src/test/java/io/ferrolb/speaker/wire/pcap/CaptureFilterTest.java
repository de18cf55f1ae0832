package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CaptureFilterTest {

    @Test
    void requestsPassOnlyForOwnedAddressesAndEveryOtherArpFramePasses() {
        String f = CaptureFilter.of(Set.of(IpAddress.parse("198.18.0.200"), IpAddress.parse("fd00::1")));
        assertThat(f).isEqualTo("(arp and (arp[6:2] != 1 or arp[14:4] = arp[24:4] or arp[24:4] = 0xc61200c8)) "
                + "or (icmp6 and (ip6[40] == 0x87 or ip6[40] == 0x88))");
    }

    @Test
    void tooManyAddressesForTheKernelFallBackToEveryArpFrame() {
        List<IpAddress> many = new ArrayList<>();
        for (int i = 0; i <= CaptureFilter.MAX_ADDRESSES; i++) {
            many.add(IpAddress.ofV4(0xC6120000L + i));
        }
        assertThat(CaptureFilter.of(many)).isEqualTo(CaptureFilter.EVERY_ARP);
        assertThat(CaptureFilter.of(many.subList(0, CaptureFilter.MAX_ADDRESSES))).isNotEqualTo(CaptureFilter.EVERY_ARP);
    }
}
