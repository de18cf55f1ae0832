package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.testkit.ControlPlaneExtension;
import io.ferrolb.testkit.MetalLbSource;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl get} prints the same tables for our CRDs as for MetalLB's: two API servers, one
 * with our CRDs and one with MetalLB v0.16.1's, hold the same objects, and the real kubectl's
 * output is compared character for character.
 */
class PrinterColumnsIT {

    private static final String OBJECTS = """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: lab, namespace: metallb-system}
            spec:
              addresses: [198.18.0.200-198.18.0.250, "fc00:f853:0ccd:e799::/124"]
              avoidBuggyIPs: true
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: manual, namespace: metallb-system}
            spec:
              addresses: [198.18.1.0/24]
              autoAssign: false
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: everything, namespace: metallb-system}
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: restricted, namespace: metallb-system}
            spec:
              ipAddressPools: [lab]
              ipAddressPoolSelectors: [{matchLabels: {tier: gold}}]
              nodeSelectors: [{matchLabels: {kubernetes.io/hostname: flb-n1}}]
              interfaces: [eth0, eth1]
            """;

    @RegisterExtension
    static final ControlPlaneExtension ours = new ControlPlaneExtension();

    @RegisterExtension
    static final ControlPlaneExtension metallb = new ControlPlaneExtension();

    @BeforeAll
    static void installBoth() {
        Crds.installOurs(ours.controlPlane());
        Crds.install(metallb.controlPlane(), MetalLbSource.crds(MetalLbSource.V0_16_1));
        for (ControlPlaneExtension server : List.of(ours, metallb)) {
            server.kubectlWithInput(OBJECTS, "apply", "-f", "-").requireSuccess();
            createStatus(server.client(), "l2-abcde", "flb-n1", "svc1", "default");
            createStatus(server.client(), "l2-fghij", "flb-n2", "svc2", "demo");
        }
    }

    @Test
    void defaultTablesMatchMetalLbs() {
        String[] args = {"get", "ipaddresspools,l2advertisements,servicel2statuses", "-n", "metallb-system"};
        String mine = ours.kubectl(args).requireSuccess();
        assertThat(mine).isEqualTo(metallb.kubectl(args).requireSuccess());
        assertThat(headers(mine)).containsExactly(
                "NAME AUTO ASSIGN AVOID BUGGY IPS ADDRESSES",
                "NAME IPADDRESSPOOLS IPADDRESSPOOL SELECTORS INTERFACES",
                "NAME ALLOCATED NODE SERVICE NAME SERVICE NAMESPACE");
    }

    @Test
    void wideTablesAddNodeSelectorsLikeMetalLbs() {
        String[] args = {"get", "ipaddresspools,l2advertisements,servicel2statuses", "-n", "metallb-system", "-o",
            "wide"};
        String mine = ours.kubectl(args).requireSuccess();
        assertThat(mine).isEqualTo(metallb.kubectl(args).requireSuccess());
        assertThat(headers(mine)).contains("NAME IPADDRESSPOOLS IPADDRESSPOOL SELECTORS INTERFACES NODE SELECTORS");
    }

    /** Each table's header line with column gaps collapsed to one space. */
    private static List<String> headers(String output) {
        return output.lines().filter(l -> l.startsWith("NAME ")).map(l -> l.replaceAll("\\s{2,}", " ").strip())
                .toList();
    }

    private static void createStatus(KubernetesClient client, String name, String node, String service,
                                     String namespace) {
        ServiceL2Status status = new ServiceL2Status();
        status.getMetadata().setNamespace("metallb-system");
        status.getMetadata().setName(name);
        status.setSpec(new ServiceL2StatusSpec());
        ServiceL2Status created = client.resource(status).create();
        created.setStatus(new ServiceL2StatusStatus(node, service, namespace, null));
        client.resource(created).updateStatus();
    }
}
