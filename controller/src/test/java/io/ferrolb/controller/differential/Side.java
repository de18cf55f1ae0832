package io.ferrolb.controller.differential;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.controller.differential.Step.Allocation;
import io.ferrolb.controller.differential.Step.PoolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One cluster of the comparison: an API server, the controller serving it, and the translation of
 * steps into its objects. Both sides get byte-for-byte the same objects.
 */
final class Side {

    static final String NAMESPACE = "metallb-system";

    private final String name;
    private final KubernetesClient client;
    private String prefix = "";

    Side(String name, KubernetesClient client) {
        this.name = name;
        this.client = client;
    }

    String name() {
        return name;
    }

    /**
     * Starts a run: fresh namespaces under this prefix, no pools but the barrier, no Services. Returns
     * once the controller has seen the pools go: its configuration holds the barrier pool as written
     * after the deletions (both controllers re-read every pool on any pool change, and one kind's
     * events arrive in order), which a Service asking for the barrier's new address proves.
     */
    void begin(String runPrefix, int run) {
        for (GenericKubernetesResource pool : pools().inNamespace(NAMESPACE).list().getItems()) {
            if (!BARRIER.equals(pool.getMetadata().getName())) {
                pools().inNamespace(NAMESPACE).resource(pool).delete();
            }
        }
        this.prefix = runPrefix;
        for (String logical : List.of("a", "b", "barrier")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace(logical))
                    .endMetadata().build()).create();
        }
        String address = "10.99.99." + (4 * (run % 60));
        applyPool(BARRIER, new PoolSpec(List.of(address + "/30"), Optional.of(false), Optional.empty(),
                Optional.empty()));
        Service barrier = new ServiceBuilder().withNewMetadata().withNamespace(namespace("barrier")).withName(BARRIER)
                .addToAnnotations("metallb.io/loadBalancerIPs", address).endMetadata()
                .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", BARRIER))
                .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec().build();
        client.resource(barrier).create();
        long deadline = System.nanoTime() + Differential.SETTLE.toNanos();
        while (!List.of(address).equals(ingress(client.resource(barrier).get()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": the barrier Service did not get " + address);
            }
            try {
                Thread.sleep(Differential.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        client.resource(barrier).delete();
    }

    /** The pool and Service that mark the start of a run (see {@link #begin}); never compared. */
    static final String BARRIER = "barrier";

    /** Ends a run: its Services deleted (the namespaces stay: nothing finalizes them here). */
    void end() {
        for (String logical : List.of("a", "b")) {
            client.services().inNamespace(namespace(logical)).delete();
        }
    }

    String namespace(String logical) {
        return prefix + "-" + logical;
    }

    /**
     * Applies a step. The API server's verdict is returned rather than thrown: a step it refuses
     * must be refused on both sides, and is otherwise a no-op.
     */
    Optional<String> apply(Step step) {
        try {
            if (step instanceof Step.ApplyPool p) {
                applyPool(p.name(), p.spec());
            } else if (step instanceof Step.DeletePool p) {
                pools().inNamespace(NAMESPACE).withName(p.name()).delete();
            } else if (step instanceof Step.ApplyService s) {
                applyService(s.name(), s.spec());
            } else if (step instanceof Step.DeleteService s) {
                client.services().inNamespace(namespace(ServiceSpec.namespaceOf(s.name()))).withName(s.name()).delete();
            } else if (step instanceof Step.LabelNamespace l) {
                client.namespaces().withName(namespace(l.namespace())).edit(n -> {
                    n.getMetadata().setLabels(new LinkedHashMap<>(l.labels()));
                    return n;
                });
            }
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of(e.getCode() + " " + e.getStatus().getReason());
        }
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> pools() {
        return client.genericKubernetesResources("metallb.io/v1beta1", "IPAddressPool");
    }

    private void applyPool(String poolName, PoolSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("addresses", spec.addresses());
        spec.autoAssign().ifPresent(v -> body.put("autoAssign", v));
        spec.avoidBuggyIPs().ifPresent(v -> body.put("avoidBuggyIPs", v));
        spec.allocation().ifPresent(a -> body.put("serviceAllocation", allocation(a)));
        Resource<GenericKubernetesResource> pool = pools().inNamespace(NAMESPACE).withName(poolName);
        GenericKubernetesResource existing = pool.get();
        if (existing == null) {
            pools().inNamespace(NAMESPACE).resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("metallb.io/v1beta1").withKind("IPAddressPool")
                    .withNewMetadata().withNamespace(NAMESPACE).withName(poolName).endMetadata()
                    .addToAdditionalProperties("spec", body).build()).create();
        } else {
            existing.getAdditionalProperties().put("spec", body);
            pools().inNamespace(NAMESPACE).resource(existing).update();
        }
    }

    private Map<String, Object> allocation(Allocation a) {
        Map<String, Object> out = new LinkedHashMap<>();
        a.priority().ifPresent(p -> out.put("priority", p));
        if (!a.namespaces().isEmpty()) {
            out.put("namespaces", a.namespaces().stream().map(this::namespace).toList());
        }
        if (!a.namespaceLabels().isEmpty()) {
            out.put("namespaceSelectors", List.of(Map.of("matchLabels", a.namespaceLabels())));
        }
        if (!a.serviceLabels().isEmpty()) {
            out.put("serviceSelectors", List.of(Map.of("matchLabels", a.serviceLabels())));
        }
        return out;
    }

    private void applyService(String serviceName, ServiceSpec spec) {
        String ns = namespace(ServiceSpec.namespaceOf(serviceName));
        Resource<Service> resource = client.services().inNamespace(ns).withName(serviceName);
        Service existing = resource.get();
        if (existing != null && familiesChanged(existing, spec)) {
            resource.delete();
            existing = null;
        }
        if (existing == null) {
            ServiceBuilder builder = new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(serviceName)
                    .endMetadata().withNewSpec().endSpec();
            Service fresh = builder.build();
            fill(fresh, spec);
            if (!spec.families().isEmpty()) {
                fresh.getSpec().setIpFamilies(spec.families());
            }
            spec.familyPolicy().ifPresent(fresh.getSpec()::setIpFamilyPolicy);
            client.resource(fresh).create();
        } else {
            fill(existing, spec);
            client.resource(existing).update();
        }
    }

    /** Whether the families the spec asks for differ from those the Service was created with. */
    private static boolean familiesChanged(Service existing, ServiceSpec spec) {
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        String asked = annotations == null ? null : annotations.get(FAMILIES_ASKED);
        return !familiesText(spec).equals(asked);
    }

    /** The families a Service was created with, as asked, kept on it for the next edit. */
    private static final String FAMILIES_ASKED = "differential.ferrolb.io/families";

    private static String familiesText(ServiceSpec spec) {
        return spec.families() + "/" + spec.familyPolicy().orElse("");
    }

    /** Writes everything but the families into the Service, keeping what the API server allocated. */
    private static void fill(Service service, ServiceSpec spec) {
        Map<String, String> annotations = new TreeMap<>(spec.annotations());
        annotations.put(FAMILIES_ASKED, familiesText(spec));
        service.getMetadata().setAnnotations(annotations);
        service.getMetadata().setLabels(spec.labels().isEmpty() ? null : new TreeMap<>(spec.labels()));
        var s = service.getSpec();
        s.setType(spec.loadBalancer() ? "LoadBalancer" : "ClusterIP");
        s.setSelector(Map.of("app", spec.app()));
        Map<String, Integer> nodePorts = new LinkedHashMap<>();
        if (s.getPorts() != null) {
            s.getPorts().forEach(p -> nodePorts.put(p.getProtocol() + "/" + p.getPort(), p.getNodePort()));
        }
        List<ServicePort> ports = new ArrayList<>();
        for (ServiceSpec.Port port : spec.ports()) {
            ServicePortBuilder p = new ServicePortBuilder().withName(port.protocol().toLowerCase() + "-" + port.port())
                    .withProtocol(port.protocol()).withPort(port.port());
            if (spec.loadBalancer()) {
                p.withNodePort(nodePorts.get(port.protocol() + "/" + port.port()));
            }
            ports.add(p.build());
        }
        s.setPorts(ports);
        if (spec.loadBalancer()) {
            s.setExternalTrafficPolicy(spec.localTraffic() ? "Local" : "Cluster");
            if (!spec.localTraffic()) {
                s.setHealthCheckNodePort(null);
            }
        } else {
            s.setExternalTrafficPolicy(null);
            s.setHealthCheckNodePort(null);
            s.setAllocateLoadBalancerNodePorts(null);
        }
        s.setLoadBalancerIP(spec.loadBalancerIp().orElse(null));
    }

    private static List<String> ingress(Service service) {
        return service == null || service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : service.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList();
    }

    /**
     * What a controller reads, for {@link OrderOracle}: the run's Services by snapshot key, every
     * pool, every namespace's labels.
     */
    record World(Map<String, Service> services, List<IPAddressPool> pools,
            Map<String, Map<String, String>> namespaceLabels) {
    }

    World world() {
        Map<String, Service> services = new TreeMap<>();
        for (String logical : List.of("a", "b")) {
            client.services().inNamespace(namespace(logical)).list().getItems()
                    .forEach(svc -> services.put(logical + "/" + svc.getMetadata().getName(), svc));
        }
        Map<String, Map<String, String>> labels = new TreeMap<>();
        client.namespaces().list().getItems().forEach(n -> labels.put(n.getMetadata().getName(),
                n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
        return new World(services, client.resources(IPAddressPool.class).inNamespace(NAMESPACE).list().getItems(),
                labels);
    }

    /** What the controller made of the run so far. */
    Snapshot snapshot() {
        Map<String, Snapshot.ServiceState> services = new TreeMap<>();
        Map<String, TreeSet<String>> reasons = new TreeMap<>();
        for (String logical : List.of("a", "b")) {
            String ns = namespace(logical);
            for (Event event : client.v1().events().inNamespace(ns).list().getItems()) {
                if (event.getFirstTimestamp() == null) {
                    // Written through events.k8s.io: the API server's own repair loops (ClusterIPNotAllocated
                    // when a repair pass races a Service's creation), not either controller.
                    continue;
                }
                reasons.computeIfAbsent(logical + "/" + event.getInvolvedObject().getName(), k -> new TreeSet<>())
                        .add(event.getReason());
            }
            for (Service service : client.services().inNamespace(ns).list().getItems()) {
                String key = logical + "/" + service.getMetadata().getName();
                Map<String, String> annotations = service.getMetadata().getAnnotations();
                List<String> ingress = ingress(service);
                services.put(key, new Snapshot.ServiceState(ingress,
                        annotations == null ? null : annotations.get("metallb.io/ip-allocated-from-pool"),
                        List.copyOf(reasons.getOrDefault(key, new TreeSet<>())),
                        "LoadBalancer".equals(service.getSpec().getType())
                                && ingress.size() < service.getSpec().getIpFamilies().size()));
            }
        }
        Map<String, Snapshot.PoolState> poolStates = new TreeMap<>();
        for (GenericKubernetesResource pool : pools().inNamespace(NAMESPACE).list().getItems()) {
            if (BARRIER.equals(pool.getMetadata().getName())) {
                continue;
            }
            Object status = pool.getAdditionalProperties().get("status");
            poolStates.put(pool.getMetadata().getName(), Snapshot.PoolState.of(status));
        }
        return new Snapshot(services, poolStates);
    }
}
