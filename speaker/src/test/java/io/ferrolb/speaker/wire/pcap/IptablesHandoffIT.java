package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferrolb.testkit.CommandResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The iptables handoff in a node namespace: a client's curl to VIP:8080 reaches the HTTP server on
 * the owner's NodePort 30080 through the DNAT; remove() and close() take exactly our rules away
 * and leave a foreign one alone.
 */
class IptablesHandoffIT {

    private static final Path LOGS = Path.of("target", "wire-it", "handoff");
    private static final String VIP = "198.18.10.204";

    private WireLab lab;
    private WireLab.Host node;
    private WireLab.Host client;

    @BeforeEach
    void lan() {
        assumeTrue(WireLab.usable(), "needs root and iproute2 to build network namespaces");
        assumeTrue(WireLab.onPath("iptables") && WireLab.onPath("curl"), "needs iptables and curl");
        lab = new WireLab();
        node = lab.host("n3", 13);
        client = lab.host("c", 100);
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void curlThroughTheVipReachesTheNodePortAndRemoveAndCloseTakeTheRulesAway() {
        lab.mustRun(node.ns(), "iptables", "-t", "nat", "-A", "PREROUTING", "-d", "198.18.10.99/32", "-j", "RETURN");
        WireProcess wire = WireProcess.start(lab, node, "n3", LOGS);
        wire.command("http 30080");
        wire.command("announce ns/e " + VIP);
        wire.command("install ns/e " + VIP + " TCP 8080 30080 " + node.ip());

        assertThat(save()).contains("-A FERROLB-HANDOFF -d 198.18.10.204/32 -p tcp -m comment --comment \"ferrolb:ns/e\""
                + " -m tcp --dport 8080 -j DNAT --to-destination 198.18.10.13:30080");
        assertThat(curl(client)).isEqualTo("hello from n3\n");
        assertThat(curl(node)).as("a client on the node itself, through OUTPUT").isEqualTo("hello from n3\n");

        wire.command("remove ns/e");
        assertThat(save()).doesNotContain("ferrolb:ns/e");
        assertThat(lab.run(client.ns(), "curl", "-s", "-m", "2", "http://" + VIP + ":8080/").succeeded()).isFalse();

        wire.command("install ns/e " + VIP + " TCP 8080 30080 " + node.ip());
        assertThat(curl(client)).isEqualTo("hello from n3\n");
        wire.quit();

        assertThat(save()).doesNotContain("FERROLB", "ferrolb").contains("-A PREROUTING -d 198.18.10.99/32 -j RETURN");
    }

    private String save() {
        return lab.mustRun(node.ns(), "iptables-save", "-t", "nat");
    }

    private String curl(WireLab.Host from) {
        CommandResult r = lab.run(from.ns(), "curl", "-s", "-m", "5", "http://" + VIP + ":8080/");
        return r.succeeded() ? r.stdout() : "curl failed: " + r.exitCode() + " " + r.stderr();
    }
}
