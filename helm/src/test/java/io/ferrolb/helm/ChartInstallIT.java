package io.ferrolb.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code helm install} and {@code helm upgrade} for real against the API server, along the
 * README's migration path: CRDs first with no workload, the pools applied, then the full release.
 * Upgrades keep the CRDs (and so every pool), update them as templates, and leave the certificate
 * the controller wrote into the webhook Secret alone.
 */
class ChartInstallIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    private static final String NS = Chart.NAMESPACE;

    @Test
    void theMigrationPathKeepsPoolsAndTheWebhookCertificate() throws IOException {
        KubernetesClient admin = apiServer.client();

        Release first = helm(false, "controller:\n  enabled: false\nspeaker:\n  enabled: false\n");

        assertThat(first.getStatus()).isEqualTo("deployed");
        CustomResourceDefinition pools = admin.apiextensions().v1().customResourceDefinitions()
                .withName("ipaddresspools.metallb.io").get();
        assertThat(pools.getMetadata().getAnnotations()).containsEntry("meta.helm.sh/release-name", "ferrolb");
        assertThat(admin.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations().list().getItems()).isEmpty();
        apiServer.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all").requireSuccess();
        // No webhook is registered yet, so the pools go in as the user's manifests have them.
        admin.genericKubernetesResources("metallb.io/v1beta1", "IPAddressPool").inNamespace(NS).resource(pool()).create();

        Release second = helm(true, "");

        assertThat(second.getRevision()).isEqualTo("2");
        assertThat(admin.apps().deployments().inNamespace(NS).withName("ferrolb-controller").get()).isNotNull();
        assertThat(admin.apps().daemonSets().inNamespace(NS).withName("ferrolb-speaker").get()).isNotNull();
        assertThat(admin.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName("ferrolb-webhook-configuration").get()).isNotNull();
        assertThat(admin.genericKubernetesResources("metallb.io/v1beta1", "IPAddressPool").inNamespace(NS)
                .withName("lan").get()).as("the pool survives the upgrade").isNotNull();

        // What the controller does once running: it stores its CA and serving pair in the Secret.
        Secret cert = admin.secrets().inNamespace(NS).withName("ferrolb-webhook-cert").get();
        admin.secrets().inNamespace(NS).resource(new SecretBuilder(cert)
                .withData(Map.of("ca.crt", "Y2E=", "tls.crt", "Y2VydA==", "tls.key", "a2V5")).build()).update();

        Release third = helm(true, "speaker:\n  handoff: iptables\n");

        assertThat(third.getRevision()).isEqualTo("3");
        assertThat(admin.secrets().inNamespace(NS).withName("ferrolb-webhook-cert").get().getData())
                .as("helm upgrade must not wipe the controller's certificate").containsKeys("ca.crt", "tls.crt", "tls.key");
        DaemonSet speaker = admin.apps().daemonSets().inNamespace(NS).withName("ferrolb-speaker").get();
        assertThat(speaker.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                .getCapabilities().getAdd()).containsExactly("NET_RAW", "NET_ADMIN");
        assertThat(admin.genericKubernetesResources("metallb.io/v1beta1", "IPAddressPool").inNamespace(NS)
                .withName("lan").get()).isNotNull();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("ipaddresspools.metallb.io").get()
                .getMetadata().getUid()).as("the CRD was updated in place, never recreated")
                .isEqualTo(pools.getMetadata().getUid());
    }

    /** {@code helm install} (first) or {@code helm upgrade --reset-values} with these values, as admin. */
    private static Release helm(boolean upgrade, String values) throws IOException {
        Path file = Files.createTempFile("ferrolb-values-", ".yaml");
        try {
            Files.writeString(file, values);
            Path kubeconfig = apiServer.controlPlane().kubeconfig();
            Helm chart = new Helm(Chart.DIR);
            return upgrade
                    // --reset-values, as the README says: without new values Helm would reuse the old
                    // ones, and the workloads would stay disabled.
                    ? chart.upgrade().withName(Chart.RELEASE).withNamespace(NS).withKubeConfig(kubeconfig)
                            .resetValues().withValuesFile(file).call()
                    : chart.install().withName(Chart.RELEASE).withNamespace(NS).createNamespace()
                            .withKubeConfig(kubeconfig).withValuesFile(file).call();
        } finally {
            Files.delete(file);
        }
    }

    private static GenericKubernetesResource pool() {
        GenericKubernetesResource pool = new GenericKubernetesResourceBuilder().withApiVersion("metallb.io/v1beta1")
                .withKind("IPAddressPool").withNewMetadata().withNamespace(NS).withName("lan").endMetadata().build();
        pool.setAdditionalProperty("spec", Map.of("addresses", List.of("192.0.2.0/28")));
        return pool;
    }
}
