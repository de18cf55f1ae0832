package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.testkit.MetalLbBinaries;
import io.ferrolb.testkit.MetalLbController;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The objects a cluster has before ferrolb runs and that no process of the lab would otherwise
 * write: what Helm installs (the controller Deployment, the exclude-interfaces ConfigMap) and what
 * kubelet registers (Nodes, the speaker DaemonSet's Pods with their status).
 */
public final class ClusterObjects {

    public static final String NAMESPACE = "metallb-system";
    public static final String RELEASE = "ferrolb";
    public static final String CONTROLLER = Implementation.FERROLB.controller();
    public static final String SPEAKER = Implementation.FERROLB.speaker();
    public static final String MEMBERLIST_SECRET = Implementation.FERROLB.memberlistSecret();
    public static final String EXCLUDE_CONFIGMAP = RELEASE + "-excludel2";
    public static final String SPEAKER_LABELS = "app.kubernetes.io/name=ferrolb,app.kubernetes.io/component=speaker";

    /** MetalLB's default list of interfaces never to announce on (chart value {@code excludel2}). */
    public static final String EXCLUDE_L2 = """
            announcedInterfacesToExclude: ["^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*", \
            "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", \
            "^nodelocaldns.*", "^lxc.*"]
            """;

    private final KubernetesClient client;
    private final Implementation impl;

    public ClusterObjects(KubernetesClient client) {
        this(client, Implementation.FERROLB);
    }

    public ClusterObjects(KubernetesClient client, Implementation impl) {
        this.client = client;
        this.impl = impl;
    }

    /**
     * The controller Deployment (it owns the membership Secret) and the excludel2 ConfigMap; for
     * MetalLB also the controller's Pod object, which its controller reads at start.
     */
    public void installReleaseObjects() {
        String image = impl == Implementation.FERROLB ? "ferrolb/controller"
                : "quay.io/metallb/controller:" + MetalLbBinaries.version();
        client.resource(new DeploymentBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(impl.controller())
                .addToLabels("app.kubernetes.io/name", impl.toString())
                .addToLabels("app.kubernetes.io/component", "controller")
                .endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app.kubernetes.io/component", "controller").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/component", "controller")
                .endMetadata().withNewSpec().withServiceAccountName(impl.controller()).addNewContainer()
                .withName("controller").withImage(image).endContainer().endSpec().endTemplate()
                .endSpec().build()).serverSideApply();
        if (impl == Implementation.METALLB) {
            client.resource(new PodBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(MetalLbController.POD)
                    .addToLabels("app", "metallb").addToLabels("component", "controller").endMetadata()
                    .withNewSpec().addNewContainer().withName("controller").withImage(image).endContainer().endSpec()
                    .build()).serverSideApply();
            return;
        }
        client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(EXCLUDE_CONFIGMAP)
                .endMetadata().withData(Map.of("excludel2.yaml", EXCLUDE_L2)).build()).serverSideApply();
    }

    /** A Ready Node with its InternalIP, as kubelet registers it. */
    public void registerNode(String name, String ip) {
        client.resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux").endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus().build()).create();
    }

    /** The speaker DaemonSet's Pod on a node: host network, Running, its IP the node's. */
    public void registerSpeakerPod(String node, String ip) {
        String name = impl.speakerPod(node);
        client.pods().inNamespace(NAMESPACE).withName(name).delete();
        client.pods().inNamespace(NAMESPACE).withName(name).waitUntilCondition(p -> p == null, 30,
                java.util.concurrent.TimeUnit.SECONDS);
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withNamespace(NAMESPACE).withName(name)
                .addToLabels(impl.speakerLabels())
                .endMetadata().withNewSpec().withNodeName(node).withHostNetwork(true)
                .withServiceAccountName(impl.speaker())
                .addNewContainer().withName("speaker").withImage(impl + "/speaker").endContainer().endSpec()
                .build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).withHostIP(ip)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    public static String speakerPod(String node) {
        return Implementation.FERROLB.speakerPod(node);
    }

    /** The membership key the controller generated, as kubelet would mount it. */
    public String awaitMemberlistKey(Duration timeout) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(impl.memberlistSecret())
                .waitUntilCondition(s -> s != null && s.getData() != null && s.getData().containsKey("secretkey"),
                        timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return new String(Base64.getDecoder().decode(secret.getData().get("secretkey")),
                java.nio.charset.StandardCharsets.US_ASCII);
    }
}
