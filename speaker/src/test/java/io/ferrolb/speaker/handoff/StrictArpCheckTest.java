package io.ferrolb.speaker.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictArpCheckTest {

    @ParameterizedTest(name = "arp_ignore={0} arp_announce={1} kube-ipvs0={2} ipvs handoff={3} -> warn={4}")
    @CsvSource({
        "0, 0, false, false, false",
        "0, 0, true,  false, true",
        "0, 0, false, true,  true",
        "1, 0, true,  false, true",
        "0, 2, true,  false, true",
        "1, 2, true,  false, false",
        "2, 2, true,  true,  false",
        "1, 1, false, true,  true"})
    void decides(int arpIgnore, int arpAnnounce, boolean kubeIpvs, boolean ipvsHandoff, boolean warn) {
        StrictArpCheck.Result result = StrictArpCheck.decide(
                new StrictArpCheck.Inputs(arpIgnore, arpAnnounce, kubeIpvs, ipvsHandoff));

        assertThat(result.warn()).isEqualTo(warn);
        if (warn) {
            assertThat(result.reason()).contains("arp_ignore=" + arpIgnore, "arp_announce=" + arpAnnounce, "strictARP");
        }
    }

    @Test
    void readsTheSysctlsAndLooksForKubeIpvs(@TempDir Path dir) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf/all"));
        Files.writeString(conf.resolve("arp_ignore"), "0\n");
        Files.writeString(conf.resolve("arp_announce"), "2\n");
        Path net = Files.createDirectories(dir.resolve("net"));
        StrictArpCheck check = new StrictArpCheck(dir.resolve("conf"), net, false);
        assertThat(check.check().warn()).isFalse();

        Files.createDirectories(net.resolve("kube-ipvs0"));

        assertThat(check.read()).isEqualTo(new StrictArpCheck.Inputs(0, 2, true, false));
        assertThat(check.check().warn()).isTrue();
    }
}
