package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The seed walkthrough's objects and the questions the suites ask about them. */
public final class Seed {

    public static final String POOL_YAML = """
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata:
              name: lab-pool
              namespace: metallb-system
            spec:
              addresses:
              - 198.18.0.200-198.18.0.250
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata:
              name: lab-l2
              namespace: metallb-system
            """;

    private final Lab lab;

    public Seed(Lab lab) {
        this.lab = lab;
    }

    public void applyPool() {
        lab.plane().kubectlWithInput(POOL_YAML, "apply", "-f", "-").requireSuccess();
    }

    /** The manifest of a LoadBalancer Service on port 80 in namespace default. */
    public static String serviceYaml(String name, Map<String, String> annotations, String extraSpec) {
        return serviceYaml(name, annotations, extraSpec, 80);
    }

    public static String serviceYaml(String name, Map<String, String> annotations, String extraSpec, int port) {
        StringBuilder ann = new StringBuilder();
        if (!annotations.isEmpty()) {
            ann.append("  annotations:\n");
            annotations.forEach((k, v) -> ann.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        }
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: default
                %sspec:
                  type: LoadBalancer
                  selector:
                    app: %s
                  ports:
                  - name: http
                    port: %d
                    targetPort: 8080
                %s""".formatted(name, ann, name, port, extraSpec.isEmpty() ? "" : extraSpec.stripTrailing() + "\n");
    }

    public Service createService(String name) {
        return createService(name, Map.of(), "");
    }

    public Service createService(String name, Map<String, String> annotations, String extraSpec) {
        return createService(name, annotations, extraSpec, 80);
    }

    public Service createService(String name, Map<String, String> annotations, String extraSpec, int port) {
        lab.plane().kubectlWithInput(serviceYaml(name, annotations, extraSpec, port), "apply", "-f", "-")
                .requireSuccess();
        return service(name);
    }

    public Service service(String name) {
        return lab.client().services().inNamespace("default").withName(name).get();
    }

    /** The Service's first ingress IP once the controller wrote it. */
    public String awaitIp(String name, Duration timeout) {
        return Await.value(name + " EXTERNAL-IP", timeout, () -> ingressIp(service(name)).orElse(null), ip -> true);
    }

    public static Optional<String> ingressIp(Service svc) {
        if (svc == null || svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null
                || svc.getStatus().getLoadBalancer().getIngress() == null
                || svc.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(svc.getStatus().getLoadBalancer().getIngress().get(0).getIp());
    }

    public int nodePort(String name) {
        return service(name).getSpec().getPorts().get(0).getNodePort();
    }

    /** The node of the Service's ServiceL2Status, if exactly one speaker reports it. */
    public Optional<String> statusNode(String name) {
        return statusNode(lab.client(), name);
    }

    /** The node of Service default/{@code name}'s ServiceL2Status, if exactly one speaker reports it. */
    public static Optional<String> statusNode(KubernetesClient client, String name) {
        var statuses = client.resources(ServiceL2Status.class).inNamespace(ClusterObjects.NAMESPACE).list()
                .getItems().stream().filter(s -> s.getStatus() != null && name.equals(s.getStatus().getServiceName())
                        && "default".equals(s.getStatus().getServiceNamespace())).toList();
        return statuses.size() == 1 ? Optional.ofNullable(statuses.get(0).getStatus().getNode()) : Optional.empty();
    }

    /**
     * Waits until the Service is served: one ServiceL2Status, that node's speaker announces the VIP,
     * and the webpods of its backend nodes listen on the NodePort. Returns the owner's node name.
     */
    public String awaitAnnounced(String name, Duration timeout) {
        String ip = awaitIp(name, timeout);
        return Await.value(name + " announced by one node", timeout, () -> {
            Optional<String> node = statusNode(name);
            if (node.isEmpty() || !lab.node(node.get()).announced().contains(ip)) {
                return null;
            }
            int port = nodePort(name);
            for (LabNode n : lab.nodes()) {
                if (!n.name().equals(node.get()) && n.announced().contains(ip)) {
                    return null;
                }
            }
            return Sh.run("bash", "-c", "exec 3<>/dev/tcp/" + lab.node(node.get()).ip() + "/" + port).succeeded()
                    ? node.get() : null;
        }, n -> true);
    }

    public void deleteService(String name) {
        lab.client().services().inNamespace("default").withName(name).delete();
    }
}
