package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Our generated CRDs on a real kube-apiserver: established, defaulted, immutable where MetalLB's are. */
class CrdCompatibilityIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    @BeforeAll
    static void installCrds() {
        Crds.installOurs(apiServer.controlPlane());
    }

    @Test
    void runsAgainstARealRecentKubeApiserver() {
        String version = apiServer.controlPlane().version();
        assertThat(version).matches("v1\\.(3[3-9]|[4-9][0-9])\\.[0-9]+");
        assertThat(apiServer.kubectl("version", "-o", "json").requireSuccess())
                .contains("\"gitVersion\": \"" + version + "\"");
    }

    @Test
    void everyCrdIsEstablishedWithTheStatusSubresource() {
        for (String plural : GeneratedCrds.PLURALS) {
            CustomResourceDefinition crd = apiServer.client().apiextensions().v1().customResourceDefinitions()
                    .withName(plural + ".metallb.io").get();
            assertThat(crd.getStatus().getConditions())
                    .anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("Established");
                        assertThat(c.getStatus()).isEqualTo("True");
                    });
            assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
            assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
                assertThat(v.getName()).isEqualTo("v1beta1");
                assertThat(v.getServed()).isTrue();
                assertThat(v.getStorage()).isTrue();
                assertThat(v.getSubresources().getStatus()).isNotNull();
            });
            assertThat(crd.getSpec().getNames().getShortNames()).isNullOrEmpty();
        }
    }

    @Test
    void aPoolCreatedWithoutFlagsReadsBackTheCrdDefaults() {
        KubernetesClient client = apiServer.client();
        client.resource(new IPAddressPool(Crds.NAMESPACE, "defaults", IPAddressPoolSpec.of("198.18.0.200/29")))
                .create();
        IPAddressPoolSpec spec = client.resources(IPAddressPool.class).inNamespace(Crds.NAMESPACE)
                .withName("defaults").get().getSpec();
        assertThat(spec.autoAssign()).isTrue();
        assertThat(spec.avoidBuggyIPs()).isFalse();
        assertThat(apiServer.kubectl("get", "ipaddresspool", "defaults", "-n", Crds.NAMESPACE, "-o",
                "jsonpath={.spec.autoAssign}/{.spec.avoidBuggyIPs}").requireSuccess()).isEqualTo("true/false");
    }

    @Test
    void aPoolWithoutAddressesIsRefusedByTheSchema() {
        String manifest = """
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: {name: no-addresses, namespace: metallb-system}
                spec: {autoAssign: false}
                """;
        var result = apiServer.kubectlWithInput(manifest, "apply", "-f", "-");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("spec.addresses: Required value");
    }

    @Test
    void theAnnouncingNodeAndServiceOfAServiceL2StatusAreImmutable() {
        KubernetesClient client = apiServer.client();
        ServiceL2Status created = new ServiceL2Status();
        created.getMetadata().setNamespace(Crds.NAMESPACE);
        created.getMetadata().setName("l2-immutable");
        created.setSpec(new ServiceL2StatusSpec());
        created = client.resource(created).create();

        created.setStatus(new ServiceL2StatusStatus("node-a", "svc1", "default", null));
        ServiceL2Status withStatus = client.resource(created).updateStatus();
        assertThat(withStatus.getStatus().getNode()).isEqualTo("node-a");

        withStatus.setStatus(new ServiceL2StatusStatus("node-a", "svc1", "default",
                List.of(new ServiceL2StatusStatus.InterfaceInfo("eth0"))));
        ServiceL2Status withInterfaces = client.resource(withStatus).updateStatus();
        assertThat(withInterfaces.getStatus().getInterfaces()).extracting(ServiceL2StatusStatus.InterfaceInfo::name)
                .containsExactly("eth0");

        for (ServiceL2StatusStatus changed : List.of(
                new ServiceL2StatusStatus("node-b", "svc1", "default", null),
                new ServiceL2StatusStatus("node-a", "svc2", "default", null),
                new ServiceL2StatusStatus("node-a", "svc1", "other", null))) {
            ServiceL2Status edit = client.resources(ServiceL2Status.class).inNamespace(Crds.NAMESPACE)
                    .withName("l2-immutable").get();
            edit.setStatus(changed);
            KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class,
                    () -> client.resource(edit).updateStatus());
            assertThat(refused).as("changing to " + changed).isNotNull();
            assertThat(refused.getCode()).isEqualTo(422);
            assertThat(refused.getMessage()).contains("Value is immutable");
        }
        assertThat(client.resources(ServiceL2Status.class).inNamespace(Crds.NAMESPACE).withName("l2-immutable")
                .get().getStatus().getNode()).isEqualTo("node-a");
    }

    @Test
    void anEmptyL2AdvertisementIsValid() {
        L2Advertisement ad = new L2Advertisement(Crds.NAMESPACE, "empty", null);
        apiServer.client().resource(ad).create();
        assertThat(apiServer.client().resources(L2Advertisement.class).inNamespace(Crds.NAMESPACE).withName("empty")
                .get()).isNotNull();
    }
}
