package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The lab's stand-in for kube-controller-manager's EndpointSlice controller and for kube-proxy's
 * NodePorts. Every LoadBalancer Service gets "pods" on the nodes named by the annotation
 * {@value #BACKEND_NODES} (default: every node): an EndpointSlice with one ready endpoint per such
 * node, and the Service's NodePorts in those nodes' ports files, which the node's webpod serves.
 */
public final class Backends implements AutoCloseable {

    /** Comma-separated node names running the Service's pods; the lab's own convention. */
    public static final String BACKEND_NODES = "lab.ferrolb.io/backend-nodes";

    private final KubernetesClient client;
    private final Map<String, Path> portFiles;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private SharedIndexInformer<Service> informer;

    /** {@code portFiles}: node name → the ports file its webpod follows, in node order. */
    public Backends(KubernetesClient client, Map<String, Path> portFiles) {
        this.client = client;
        this.portFiles = new LinkedHashMap<>(portFiles);
    }

    public Backends start() {
        informer = client.services().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service svc) {
                changed(svc, false);
            }

            @Override
            public void onUpdate(Service old, Service svc) {
                changed(svc, false);
            }

            @Override
            public void onDelete(Service svc, boolean unknownFinalState) {
                changed(svc, true);
            }
        });
        return this;
    }

    private synchronized void changed(Service svc, boolean deleted) {
        String key = svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
        if (deleted || !"LoadBalancer".equals(svc.getSpec().getType())) {
            if (services.remove(key) != null) {
                client.discovery().v1().endpointSlices().inNamespace(svc.getMetadata().getNamespace())
                        .withName(sliceName(svc)).delete();
            }
        } else {
            services.put(key, svc);
            client.resource(slice(svc)).serverSideApply();
        }
        writePortFiles();
    }

    /** The nodes running the Service's pods. */
    public List<String> backendNodes(Service svc) {
        String annotation = svc.getMetadata().getAnnotations() == null ? null
                : svc.getMetadata().getAnnotations().get(BACKEND_NODES);
        if (annotation == null) {
            return List.copyOf(portFiles.keySet());
        }
        return Arrays.stream(annotation.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private EndpointSlice slice(Service svc) {
        List<EndpointPort> ports = new ArrayList<>();
        for (ServicePort p : svc.getSpec().getPorts()) {
            IntOrString target = p.getTargetPort();
            int port = target == null || target.getIntVal() == null ? p.getPort() : target.getIntVal();
            ports.add(new EndpointPortBuilder().withName(p.getName() == null ? "" : p.getName())
                    .withProtocol(p.getProtocol()).withPort(port).build());
        }
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata()
                .withNamespace(svc.getMetadata().getNamespace()).withName(sliceName(svc))
                .addToLabels("kubernetes.io/service-name", svc.getMetadata().getName())
                .addToLabels("endpointslice.kubernetes.io/managed-by", "lab.ferrolb.io")
                .endMetadata().withAddressType("IPv4").withPorts(ports);
        List<String> nodes = List.copyOf(portFiles.keySet());
        for (String node : backendNodes(svc)) {
            int index = nodes.indexOf(node) + 1;
            // Pod addresses from the lab's range; nothing ever sends to them.
            b.addToEndpoints(new EndpointBuilder().withAddresses("198.18." + (128 + index) + ".10")
                    .withNodeName(node).withNewConditions().withReady(true).withServing(true)
                    .withTerminating(false).endConditions().build());
        }
        return b.build();
    }

    private static String sliceName(Service svc) {
        return svc.getMetadata().getName() + "-lab";
    }

    private void writePortFiles() {
        portFiles.forEach((node, file) -> {
            TreeSet<Integer> ports = new TreeSet<>();
            for (Service svc : services.values()) {
                if (backendNodes(svc).contains(node)) {
                    svc.getSpec().getPorts().stream().map(ServicePort::getNodePort)
                            .filter(p -> p != null && p > 0).forEach(ports::add);
                }
            }
            StringBuilder text = new StringBuilder();
            ports.forEach(p -> text.append(p).append('\n'));
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(tmp, text);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
