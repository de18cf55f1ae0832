package io.ferrolb.speaker.it;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import io.ferrolb.speaker.Speaker;
import io.ferrolb.speaker.SpeakerOptions;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Speakers started in-process against a real API server, each with its own client and its own
 * membership on a loopback address of its own (127.0.0.11...), plus the Node, speaker Pod,
 * Service and EndpointSlice objects a kubelet and kube-controller-manager would write.
 */
final class SpeakerCluster implements AutoCloseable {

    static final String NS = "metallb-system";
    static final String LABELS = "app.kubernetes.io/component=speaker";

    final ControlPlane plane;
    final KubernetesClient client;
    final Path secretDir;
    final int membershipPort;
    private final Map<String, Speaker> speakers = new LinkedHashMap<>();

    SpeakerCluster(ControlPlane plane) throws IOException {
        this.plane = plane;
        this.client = plane.client();
        plane.installCrds(ControlPlaneBinaries.repositoryRoot().resolve("crds/manifests"));
        plane.ensureNamespace(NS);
        secretDir = Files.createTempDirectory(plane.directory(), "ml-secret");
        Files.writeString(secretDir.resolve("secretkey"), "c2VjcmV0LWtleS1mb3ItdGVzdA");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.11"), 0));
            membershipPort = s.getLocalPort();
        }
        client.resource(new IPAddressPool(NS, "lab", IPAddressPoolSpec.of("198.18.0.200-198.18.0.250"))).create();
        client.resource(new L2Advertisement(NS, "all", L2AdvertisementSpec.all())).create();
    }

    static String address(int index) {
        return "127.0.0." + (10 + index);
    }

    /** The Node and the speaker Pod of node {@code n<index>}, as kubelet would register them. */
    void registerNode(int index) {
        String name = "n" + index;
        client.resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(address(index)).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withNamespace(NS).withName("speaker-" + name)
                .addToLabels("app.kubernetes.io/component", "speaker").endMetadata()
                .withNewSpec().withNodeName(name).withHostNetwork(true)
                .addNewContainer().withName("speaker").withImage("ferrolb/speaker").endContainer().endSpec()
                .build()).create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPodIP(address(index))
                .withHostIP(address(index)).withPhase("Running").build());
        client.pods().inNamespace(NS).resource(pod).updateStatus();
    }

    /** The flags of the speaker of node {@code n<index>}, metrics on {@code port}. */
    List<String> speakerArgs(int index, int port) {
        String name = "n" + index;
        return List.of("--kubeconfig", plane.kubeconfig().toString(), "--namespace", NS, "--node-name", name,
                "--pod-name", "speaker-" + name, "--bind-address", "127.0.0.1", "--port", String.valueOf(port),
                "--ml-bindaddr", address(index), "--ml-bindport", String.valueOf(membershipPort), "--ml-labels", LABELS,
                "--ml-secret-key-path", secretDir.toString(), "--wire", "none", "--interfaces", "eth0");
    }

    Speaker start(int index) throws Exception {
        String name = "n" + index;
        Speaker speaker = Speaker.start(SpeakerOptions.parse(speakerArgs(index, 0).toArray(String[]::new)));
        speakers.put(name, speaker);
        return speaker;
    }

    void stop(String name) {
        Speaker speaker = speakers.remove(name);
        if (speaker != null) {
            speaker.close();
        }
    }

    Map<String, Speaker> running() {
        return speakers;
    }

    /** A LoadBalancer Service with its address already written (the controller's job) and a ready endpoint. */
    Service service(String namespace, String name, String ip, String endpointNode) {
        plane.ensureNamespace(namespace);
        Service svc = client.resource(new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata().withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", name))
                .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec().build()).create();
        svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp(ip).build()).endLoadBalancer().build());
        svc = client.services().inNamespace(namespace).resource(svc).updateStatus();
        client.resource(new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName(name + "-abc")
                .addToLabels("kubernetes.io/service-name", name).endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.244.0.5").withNodeName(endpointNode)
                .withNewConditions().withReady(true).endConditions().endEndpoint().build()).create();
        return svc;
    }

    /** Which running speakers announce the Service, by node name. */
    List<String> owners(String serviceKey) {
        List<String> out = new ArrayList<>();
        speakers.forEach((node, s) -> {
            if (s.loop().announced().keySet().stream().anyMatch(k -> k.toString().equals(serviceKey))) {
                out.add(node);
            }
        });
        return out;
    }

    List<ServiceL2Status> statuses(String namespace, String name) {
        return client.resources(ServiceL2Status.class).inNamespace(NS).list().getItems().stream()
                .filter(s -> s.getStatus() != null && name.equals(s.getStatus().getServiceName())
                        && namespace.equals(s.getStatus().getServiceNamespace()))
                .toList();
    }

    @Override
    public void close() {
        List.copyOf(speakers.keySet()).forEach(this::stop);
    }
}
