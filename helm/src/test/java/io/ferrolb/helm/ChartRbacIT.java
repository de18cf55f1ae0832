package io.ferrolb.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's ServiceAccounts and RBAC, installed for real; each component's requests are made
 * with a bound token of its ServiceAccount (TokenRequest, as the kubelet mounts it), so the API
 * server's RBAC authorizer decides. What each binary does succeeds; a sample of what neither should
 * ever do is refused with 403.
 */
class ChartRbacIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    private static final String NS = Chart.NAMESPACE;
    private static final String APPS = "shop";
    private static final String OTHER = "payments";
    private static final List<String> RBAC_KINDS = List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding",
            "Role", "RoleBinding");

    static KubernetesClient admin;
    static KubernetesClient controller;
    static KubernetesClient speaker;
    static Path dir;

    @BeforeAll
    static void installTheChartsRbacAndLogIn() throws IOException {
        ControlPlane plane = apiServer.controlPlane();
        admin = plane.client();
        for (String ns : List.of(NS, APPS, OTHER)) {
            plane.ensureNamespace(ns);
        }
        Rendered rendered = Chart.render();
        plane.kubectlWithInput(rendered.yamlOf(List.of("CustomResourceDefinition")), "apply", "--server-side", "-f", "-")
                .requireSuccess();
        plane.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all").requireSuccess();
        String rbac = plane.kubectlWithInput(rendered.yamlOf(RBAC_KINDS), "apply", "--server-side", "-f", "-")
                .requireSuccess();
        assertThat(rbac.lines().count())
                .isEqualTo(rendered.objects().stream().filter(o -> RBAC_KINDS.contains(o.getKind())).count());

        dir = Files.createTempDirectory("ferrolb-rbac-");
        controller = client(plane.serviceAccountKubeconfig(NS, "ferrolb-controller", dir.resolve("controller")));
        speaker = client(plane.serviceAccountKubeconfig(NS, "ferrolb-speaker", dir.resolve("speaker")));
        fixtures();
    }

    /** What the cluster holds before ferrolb runs: a user's Service and Secret, the release's objects. */
    private static void fixtures() {
        admin.resource(new ServiceBuilder().withNewMetadata().withNamespace(APPS).withName("web").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build()).create();
        admin.resource(new SecretBuilder().withNewMetadata().withNamespace(OTHER).withName("db-password").endMetadata()
                .addToStringData("password", "hunter2").build()).create();
        admin.resource(new DeploymentBuilder().withNewMetadata().withNamespace(NS).withName("ferrolb-controller")
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "c").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "c").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("ferrolb/controller").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        admin.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName("ferrolb-speaker-n1")
                .addToLabels("app.kubernetes.io/component", "speaker").endMetadata().withNewSpec()
                .addNewContainer().withName("speaker").withImage("ferrolb/speaker").endContainer().endSpec().build())
                .create();
        admin.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName("ferrolb-excludel2")
                .endMetadata().addToData("excludel2.yaml", "announcedInterfacesToExclude: []\n").build()).create();
        admin.resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
        metallb(admin, "IPAddressPool").resource(pool("lan")).create();
    }

    @AfterAll
    static void logOut() throws IOException {
        for (KubernetesClient c : new KubernetesClient[] {controller, speaker}) {
            if (c != null) {
                c.close();
            }
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void theControllerCanAllocate() {
        assertThat(controller.services().inAnyNamespace().list().getItems()).extracting(s -> s.getMetadata().getName())
                .contains("web");
        assertThat(controller.namespaces().list().getItems()).isNotEmpty();
        Service web = controller.services().inNamespace(APPS).withName("web").get();
        web.getStatus().getLoadBalancer().setIngress(List.of(new LoadBalancerIngressBuilder().withIp("192.0.2.10").build()));

        Service updated = controller.services().inNamespace(APPS).resource(web).updateStatus();

        assertThat(updated.getStatus().getLoadBalancer().getIngress()).extracting("ip").containsExactly("192.0.2.10");
        assertThatCode(() -> controller.v1().events().inNamespace(APPS).resource(event(APPS, "web", "IPAllocated"))
                .create()).doesNotThrowAnyException();
    }

    @Test
    void theControllerCanReadPoolsAndWriteTheirStatus() {
        assertThat(metallb(controller, "IPAddressPool").list().getItems()).extracting(p -> p.getMetadata().getName()).contains("lan");
        assertThat(metallb(controller, "L2Advertisement").list().getItems()).isEmpty();

        GenericKubernetesResource patched = metallb(controller, "IPAddressPool").withName("lan").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"assignedIPv4\":1,\"assignedIPv6\":0,\"availableIPv4\":15,\"availableIPv6\":0}}");

        assertThat(patched.<Integer>get("status", "assignedIPv4")).isEqualTo(1);
    }

    @Test
    void theControllerCanKeepItsSecretsAndLease() {
        var secrets = controller.secrets().inNamespace(NS);
        // The membership Secret is owned by the controller's Deployment, which it reads for the uid.
        var deployment = controller.apps().deployments().inNamespace(NS).withName("ferrolb-controller").get();
        secrets.resource(new SecretBuilder().withNewMetadata().withName("ferrolb-memberlist")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName("ferrolb-controller").withUid(deployment.getMetadata().getUid()).build())
                .endMetadata().addToStringData("secretkey", "k").build()).create();
        // Updates, not patches: what the controller does when it rotates the webhook certificate.
        secrets.resource(new SecretBuilder(secrets.withName("ferrolb-memberlist").get()).addToData("other", "dg==")
                .build()).update();
        assertThat(secrets.list().getItems()).extracting(s -> s.getMetadata().getName()).contains("ferrolb-memberlist");

        var leases = controller.leases().inNamespace(NS);
        leases.resource(new LeaseBuilder().withNewMetadata().withName("ferrolb-controller").endMetadata()
                .withNewSpec().withHolderIdentity("ferrolb-controller-abc").endSpec().build()).create();
        leases.resource(new LeaseBuilder(leases.withName("ferrolb-controller").get()).editSpec()
                .withLeaseDurationSeconds(15).endSpec().build()).update();
        assertThat(leases.withName("ferrolb-controller").get().getSpec().getLeaseDurationSeconds()).isEqualTo(15);
        // fabric8's LeaderElector renews with a PATCH: without it the controller led for one lease
        // duration, lost leadership and exited, over and over (found by the cluster lab's helm install).
        leases.withName("ferrolb-controller").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"leaseDurationSeconds\":16}}");
        assertThat(leases.withName("ferrolb-controller").get().getSpec().getLeaseDurationSeconds()).isEqualTo(16);
    }

    @Test
    void theControllerCanInjectItsCaIntoItsOwnWebhookConfigurationOnly() {
        // Applied here and removed at once: a webhook without a server would refuse pool writes.
        apiServer.kubectlWithInput(Chart.render().yamlOf(List.of("ValidatingWebhookConfiguration")),
                "apply", "--server-side", "-f", "-").requireSuccess();
        try {
            var configs = controller.admissionRegistration().v1().validatingWebhookConfigurations();
            ValidatingWebhookConfiguration edited = configs.withName("ferrolb-webhook-configuration").edit(c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle("Y2E="));
                return c;
            });
            assertThat(edited.getWebhooks()).allMatch(w -> "Y2E=".equals(w.getClientConfig().getCaBundle()));

            assertForbidden(() -> configs.withName("someone-elses-webhook").get());
        } finally {
            apiServer.kubectl("delete", "validatingwebhookconfiguration", "ferrolb-webhook-configuration").requireSuccess();
        }
    }

    @Test
    void theControllerIsRefusedWhatItNeverDoes() {
        assertForbidden(() -> controller.pods().inNamespace(NS).withName("ferrolb-speaker-n1").delete());
        assertForbidden(() -> controller.secrets().inNamespace(OTHER).withName("db-password").get());
        assertForbidden(() -> controller.secrets().inNamespace(OTHER).list());
        assertForbidden(() -> controller.nodes().resource(new NodeBuilder().withNewMetadata().withName("n9")
                .endMetadata().build()).create());
        assertForbidden(() -> controller.services().inNamespace(APPS).withName("web")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("ClusterIP").endSpec().build()));
        assertForbidden(() -> controller.apps().deployments().inNamespace(NS).withName("ferrolb-controller")
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build()));
    }

    @Test
    void theSpeakerCanReadItsInputs() {
        assertThat(speaker.services().inAnyNamespace().list().getItems()).isNotEmpty();
        assertThat(speaker.discovery().v1().endpointSlices().inAnyNamespace().list().getItems()).isNotNull();
        assertThat(speaker.nodes().list().getItems()).extracting(n -> n.getMetadata().getName()).contains("n1");
        assertThat(speaker.namespaces().withName(APPS).get()).isNotNull();
        assertThat(speaker.pods().inNamespace(NS).withName("ferrolb-speaker-n1").get()).isNotNull();
        assertThat(speaker.pods().inNamespace(NS).withLabel("app.kubernetes.io/component", "speaker").list().getItems())
                .hasSize(1);
        assertThat(speaker.configMaps().inNamespace(NS).withName("ferrolb-excludel2").get()).isNotNull();
        assertThat(speaker.secrets().inNamespace(NS).list().getItems()).isNotNull();
        assertThat(metallb(speaker, "IPAddressPool").list().getItems()).extracting(p -> p.getMetadata().getName()).contains("lan");
        assertThat(metallb(speaker, "L2Advertisement").list().getItems()).isEmpty();
    }

    @Test
    void theSpeakerCanPublishItsAnnouncements() {
        var statuses = metallb(speaker, "ServiceL2Status");
        GenericKubernetesResource created = statuses.resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("metallb.io/v1beta1").withKind("ServiceL2Status")
                .withNewMetadata().withNamespace(NS).withName("l2-web").endMetadata().build()).create();
        created.setAdditionalProperty("status", Map.of("node", "n1", "serviceName", "web", "serviceNamespace", APPS));

        GenericKubernetesResource withStatus = statuses.resource(created).updateStatus();

        assertThat(withStatus.<String>get("status", "node")).isEqualTo("n1");
        assertThatCode(() -> speaker.v1().events().inNamespace(APPS).resource(event(APPS, "web", "nodeAssigned"))
                .create()).doesNotThrowAnyException();
        assertThat(statuses.withName("l2-web").delete()).hasSize(1);
    }

    @Test
    void bothRecordRepeatedEventsAsOneWithACount() {
        Service web = admin.services().inNamespace(APPS).withName("web").get();
        for (KubernetesClient component : new KubernetesClient[] {controller, speaker}) {
            String reason = component == controller ? "IPAllocated" : "nodeAssigned";
            // The binaries' own recorder: a repeat within the aggregation window patches the count.
            try (EventRecorder recorder = new EventRecorder(component, "rbac-test")) {
                recorder.record(web, "Normal", reason, "twice");
                recorder.record(web, "Normal", reason, "twice");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    admin.v1().events().inNamespace(APPS).list().getItems())
                    .filteredOn(e -> reason.equals(e.getReason()) && "twice".equals(e.getMessage()))
                    .extracting(Event::getCount).containsExactly(2));
        }
    }

    @Test
    void theSpeakerIsRefusedWhatItNeverDoes() {
        assertForbidden(() -> speaker.resource(new ServiceBuilder().withNewMetadata().withNamespace(APPS)
                .withName("sneaky").endMetadata().withNewSpec().addNewPort().withPort(22).endPort().endSpec().build())
                .create());
        assertForbidden(() -> speaker.secrets().inNamespace(OTHER).withName("db-password").get());
        assertForbidden(() -> speaker.pods().inNamespace(NS).withName("ferrolb-speaker-n1").delete());
        assertForbidden(() -> {
            Service web = speaker.services().inNamespace(APPS).withName("web").get();
            web.getStatus().getLoadBalancer().setIngress(List.of(new LoadBalancerIngressBuilder().withIp("192.0.2.66")
                    .build()));
            speaker.services().inNamespace(APPS).resource(web).updateStatus();
        });
        assertForbidden(() -> metallb(speaker, "IPAddressPool").resource(pool("mine")).create());
        assertForbidden(() -> speaker.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
                .withName("ferrolb-memberlist-2").endMetadata().build()).create());
    }

    private static void assertForbidden(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
    }

    /** The metallb.io objects of the release's namespace, without the crds module's types. */
    private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> metallb(KubernetesClient c, String kind) {
        return c.genericKubernetesResources("metallb.io/v1beta1", kind).inNamespace(NS);
    }

    private static GenericKubernetesResource pool(String name) {
        GenericKubernetesResource pool = new GenericKubernetesResourceBuilder().withApiVersion("metallb.io/v1beta1")
                .withKind("IPAddressPool").withNewMetadata().withNamespace(NS).withName(name).endMetadata().build();
        pool.setAdditionalProperty("spec", Map.of("addresses", List.of("192.0.2.0/28")));
        return pool;
    }

    private static Event event(String namespace, String service, String reason) {
        return new EventBuilder().withNewMetadata().withNamespace(namespace).withGenerateName(service + ".")
                .endMetadata().withNewInvolvedObject().withKind("Service").withNamespace(namespace).withName(service)
                .endInvolvedObject().withReason(reason).withMessage("rbac test").withType("Normal").build();
    }

    private static KubernetesClient client(Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
    }
}
