package io.ferrolb.controller.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.controller.webhook.WebhookServer;
import io.ferrolb.testkit.CommandResult;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/compatibility.md §7 item 3: the validating webhook, registered with the real API server by URL, denies
 * what MetalLB's denies, checked with the real kubectl. The controller issues the certificate and
 * injects its CA into the ValidatingWebhookConfiguration.
 */
class WebhookIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    static Harness h;

    @BeforeAll
    static void start() throws IOException {
        h = new Harness(apiServer.controlPlane());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String base = "https://127.0.0.1:" + port;
        h.client.resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("ferrolb-webhook-configuration").endMetadata()
                .withWebhooks(webhook("ipaddresspoolvalidationwebhook.metallb.io", base + WebhookServer.POOL_PATH,
                                "ipaddresspools"),
                        webhook("l2advertisementvalidationwebhook.metallb.io", base + WebhookServer.L2_PATH,
                                "l2advertisements"))
                .build()).create();
        h.startController("--webhook-mode", "enabled", "--webhook-port", String.valueOf(port),
                "--webhook-host", "127.0.0.1");
        await().atMost(Harness.WAIT).until(() -> h.client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("ferrolb-webhook-configuration").get().getWebhooks().stream()
                .allMatch(w -> w.getClientConfig().getCaBundle() != null));
        // The API server caches webhook configurations; wait until it calls ours.
        await().atMost(Harness.WAIT).untilAsserted(() -> assertThat(apply(pool("probe", "10.99.0.0/33")).stderr())
                .contains("denied"));
    }

    @AfterAll
    static void stop() {
        h.stopAll();
    }

    @AfterEach
    void clean() {
        h.client.resources(IPAddressPool.class).inNamespace(Harness.NS).delete();
        h.client.resources(L2Advertisement.class).inNamespace(Harness.NS).delete();
        h.client.resources(IPAddressPool.class).inNamespace("default").delete();
    }

    private static io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook webhook(String name,
                                                                                                      String url,
                                                                                                      String resource) {
        return new ValidatingWebhookBuilder().withName(name)
                .withNewClientConfig().withUrl(url).endClientConfig()
                .addNewRule().withApiGroups("metallb.io").withApiVersions("v1beta1")
                .withOperations("CREATE", "UPDATE").withResources(resource).endRule()
                .withFailurePolicy("Fail").withSideEffects("None").withAdmissionReviewVersions("v1")
                .withTimeoutSeconds(10)
                .build();
    }

    static String pool(String name, String... addresses) {
        return poolIn("metallb-system", name, addresses);
    }

    static String poolIn(String namespace, String name, String... addresses) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: %s, namespace: %s}
                spec:
                  addresses: [""".formatted(name, namespace));
        for (int i = 0; i < addresses.length; i++) {
            yaml.append(i == 0 ? "" : ", ").append('"').append(addresses[i]).append('"');
        }
        return yaml.append("]\n").toString();
    }

    static CommandResult apply(String manifest) {
        return h.plane.kubectlWithInput(manifest, "apply", "-f", "-");
    }

    static Stream<Arguments> denials() {
        return Stream.of(
                Arguments.of("bad CIDR", pool("p", "192.168.10.0/33"),
                        "parsing address pool p: invalid CIDR \"192.168.10.0/33\" in pool \"p\": invalid CIDR \"192.168.10.0/33\""),
                Arguments.of("reversed range", pool("p", "192.168.9.5-192.168.9.1"),
                        "start IP \"192.168.9.5\" is after the end IP \"192.168.9.1\""),
                Arguments.of("bad range start", pool("p", "192.168.9.x-192.168.9.1"),
                        "invalid IP range \"192.168.9.x-192.168.9.1\": invalid start IP \"192.168.9.x\""),
                Arguments.of("empty addresses", pool("p"), "parsing address pool p: pool has no prefixes defined"),
                Arguments.of("overlap in one pool", pool("p", "10.0.0.0/24", "10.0.0.128/25"),
                        "CIDR \"10.0.0.128/25\" in pool \"p\" overlaps with already defined CIDR \"10.0.0.0/24\""),
                Arguments.of("duplicate namespaces", """
                        apiVersion: metallb.io/v1beta1
                        kind: IPAddressPool
                        metadata: {name: p, namespace: metallb-system}
                        spec:
                          addresses: [10.0.0.0/24]
                          serviceAllocation: {namespaces: [a, a]}
                        """, "parsing address pool p: duplicate definition in namespaces field"),
                Arguments.of("duplicate namespace selectors", """
                        apiVersion: metallb.io/v1beta1
                        kind: IPAddressPool
                        metadata: {name: p, namespace: metallb-system}
                        spec:
                          addresses: [10.0.0.0/24]
                          serviceAllocation:
                            namespaceSelectors: [{matchLabels: {team: x}}, {matchLabels: {team: x}}]
                        """, "parsing address pool p: duplicate definition of namespaceSelectors \"team=x\""),
                Arguments.of("duplicate service selectors", """
                        apiVersion: metallb.io/v1beta1
                        kind: IPAddressPool
                        metadata: {name: p, namespace: metallb-system}
                        spec:
                          addresses: [10.0.0.0/24]
                          serviceAllocation:
                            serviceSelectors: [{matchLabels: {app: x}}, {matchLabels: {app: x}}]
                        """, "parsing address pool p: duplicate definition of serviceSelectors \"app=x\""),
                Arguments.of("pool outside the namespace", poolIn("default", "p", "10.0.0.0/24"),
                        "resource must be created in metallb-system namespace"),
                Arguments.of("duplicate ipAddressPools", """
                        apiVersion: metallb.io/v1beta1
                        kind: L2Advertisement
                        metadata: {name: l2, namespace: metallb-system}
                        spec: {ipAddressPools: [a, a]}
                        """, "duplicate definition of ipAddressPools \"a\""),
                Arguments.of("duplicate nodeSelectors", """
                        apiVersion: metallb.io/v1beta1
                        kind: L2Advertisement
                        metadata: {name: l2, namespace: metallb-system}
                        spec:
                          nodeSelectors: [{matchLabels: {kubernetes.io/hostname: n1}}, {matchLabels: {kubernetes.io/hostname: n1}}]
                        """, "duplicate definition of nodeSelectors \"kubernetes.io/hostname=n1\""),
                Arguments.of("duplicate ipAddressPoolSelectors", """
                        apiVersion: metallb.io/v1beta1
                        kind: L2Advertisement
                        metadata: {name: l2, namespace: metallb-system}
                        spec:
                          ipAddressPoolSelectors: [{matchLabels: {tier: a}}, {matchLabels: {tier: a}}]
                        """, "duplicate definition of ipAddressPoolSelectors \"tier=a\""),
                Arguments.of("advertisement outside the namespace", """
                        apiVersion: metallb.io/v1beta1
                        kind: L2Advertisement
                        metadata: {name: l2, namespace: default}
                        """, "resource must be created in metallb-system namespace"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denials")
    void deniesLikeMetalLb(String name, String manifest, String message) {
        CommandResult result = apply(manifest);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("denied the request: ").contains(message);
    }

    @Test
    void deniesAnOverlapWithAnotherPoolAndAllowsValidOnes() {
        assertThat(apply(pool("a", "10.1.0.0/24")).stdout()).contains("created");
        CommandResult overlap = apply(pool("b", "10.1.0.0/16"));
        assertThat(overlap.stderr()).contains("CIDR \"10.1.0.0/16\" in pool \"b\" overlaps with already defined CIDR "
                + "\"10.1.0.0/24\"");
        assertThat(apply(pool("b", "10.2.0.0/16")).stdout()).contains("created");
        assertThat(apply(pool("b", "10.2.0.0/16", "10.3.0.0/24")).stdout()).contains("configured");
        assertThat(apply(pool("b", "10.1.0.0/25")).stderr()).contains("overlaps");
    }

    @Test
    void deletingAPoolInUseIsAllowed() {
        assertThat(apply(pool("inuse", "10.4.0.0/24")).stdout()).contains("created");
        h.create("webhook-svc", "svc");
        try {
            h.awaitIngress("webhook-svc", "svc", "10.4.0.0");
            assertThat(h.plane.kubectl("delete", "ipaddresspool", "inuse", "-n", Harness.NS).requireSuccess())
                    .contains("deleted");
        } finally {
            h.deleteServices("webhook-svc");
        }
    }

    @Test
    void theCertificateLivesInASecretWithTheCa() {
        var secret = h.client.secrets().inNamespace(Harness.NS).withName("ferrolb-webhook-cert").get();
        assertThat(secret.getData()).containsKeys("ca.crt", "tls.crt", "tls.key");
        String injected = h.client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("ferrolb-webhook-configuration").get().getWebhooks().get(0).getClientConfig().getCaBundle();
        assertThat(injected).isEqualTo(secret.getData().get("ca.crt"));
    }
}
