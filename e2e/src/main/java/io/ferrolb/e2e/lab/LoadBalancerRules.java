package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lab's stand-in for kube-proxy's LoadBalancer rules, for implementations that rely on
 * kube-proxy (MetalLB): on every node, traffic to a Service's ingress IP and port is DNATed to that
 * node's NodePort, which the node's webpod serves when the node runs the Service's pods
 * ({@link Backends}). Like kube-proxy it installs the rules on every node whether or not the node
 * announces the IP; unlike it, a node without the Service's pods drops the traffic instead of
 * forwarding it to another node (the lab's Services run pods on every node unless told otherwise).
 * The rules live in chain {@value #CHAIN} of each node namespace's nat table.
 */
final class LoadBalancerRules implements AutoCloseable {

    static final String CHAIN = "FLB-KUBE-LB";
    private static final long SYNC_MS = 100;

    private final KubernetesClient client;
    private final List<LabNode> nodes;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, String> applied = new LinkedHashMap<>();
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kube-lb-rules");
        t.setDaemon(true);
        return t;
    });
    private boolean dirty;
    private SharedIndexInformer<Service> informer;

    LoadBalancerRules(KubernetesClient client, List<LabNode> nodes) {
        this.client = client;
        this.nodes = List.copyOf(nodes);
    }

    LoadBalancerRules start() {
        for (LabNode node : nodes) {
            Sh.in(node.namespace(), "iptables", "-t", "nat", "-N", CHAIN).requireSuccess();
            Sh.in(node.namespace(), "iptables", "-t", "nat", "-A", "PREROUTING", "-j", CHAIN).requireSuccess();
        }
        // Batched like kube-proxy's syncs: at most one rewrite per node every SYNC_MS.
        sync.scheduleWithFixedDelay(this::sync, SYNC_MS, SYNC_MS, TimeUnit.MILLISECONDS);
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
        if (deleted) {
            services.remove(key);
        } else {
            services.put(key, svc);
        }
        dirty = true;
    }

    private synchronized void sync() {
        if (!dirty) {
            return;
        }
        dirty = false;
        for (LabNode node : nodes) {
            String rules = rules(node);
            if (!rules.equals(applied.get(node.name()))) {
                apply(node, rules);
                applied.put(node.name(), rules);
            }
        }
    }

    private String rules(LabNode node) {
        StringBuilder out = new StringBuilder("*nat\n:" + CHAIN + " - [0:0]\n");
        for (Service svc : services.values()) {
            if (!"LoadBalancer".equals(svc.getSpec().getType()) || svc.getStatus() == null
                    || svc.getStatus().getLoadBalancer() == null || svc.getStatus().getLoadBalancer().getIngress() == null) {
                continue;
            }
            for (LoadBalancerIngress ingress : svc.getStatus().getLoadBalancer().getIngress()) {
                if (ingress.getIp() == null || ingress.getIp().contains(":")) {
                    continue;
                }
                for (ServicePort port : svc.getSpec().getPorts()) {
                    if (port.getNodePort() == null) {
                        continue;
                    }
                    out.append("-A ").append(CHAIN).append(" -d ").append(ingress.getIp()).append("/32 -p ")
                            .append(port.getProtocol().toLowerCase()).append(" --dport ").append(port.getPort())
                            .append(" -j DNAT --to-destination ").append(node.ip()).append(':')
                            .append(port.getNodePort()).append('\n');
                }
            }
        }
        return out.append("COMMIT\n").toString();
    }

    private static void apply(LabNode node, String rules) {
        try {
            Path file = node.dir().resolve("kube-lb.rules");
            Files.writeString(file, rules);
            Sh.in(node.namespace(), "iptables-restore", "--noflush", file.toString()).requireSuccess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sync.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}
