package io.ferrolb.speaker.status;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import io.ferrolb.api.v1beta1.ServiceL2StatusSpec;
import io.ferrolb.api.v1beta1.ServiceL2StatusStatus;
import io.ferrolb.common.ApiErrors;
import io.ferrolb.common.CoalescingRunner;
import io.ferrolb.speaker.plan.ServiceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ServiceL2Status objects of this node in line with what it announces (docs/compatibility.md §3.9):
 * exactly one per announced Service, in the speaker's namespace, {@code generateName: l2-}, three
 * {@code metallb.io/*} labels, owned by the speaker Pod so that it goes with the Pod. A move is a
 * delete and a create, never an edit of {@code status.node}. The announcing node also deletes the
 * other nodes' objects for its Services. Runs on its own thread, so that API calls never hold up
 * the announcement loop; bursts of changes are coalesced.
 */
public final class L2StatusSync implements StatusSink, AutoCloseable {

    public static final String NODE_LABEL = "metallb.io/node";
    public static final String SERVICE_NAME_LABEL = "metallb.io/service-name";
    public static final String SERVICE_NAMESPACE_LABEL = "metallb.io/service-namespace";
    private static final Logger LOG = LoggerFactory.getLogger(L2StatusSync.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How long a created object may be missing from the cache before it counts as deleted. */
    private static final long CACHE_LAG_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final KubernetesClient client;
    private final String namespace;
    private final String node;
    private final OwnerReference owner;
    private final Supplier<List<ServiceL2Status>> cache;
    private final AtomicReference<Map<ServiceKey, List<String>>> desired = new AtomicReference<>(Map.of());
    /** Objects this node created that the cache may not show yet. */
    private final Map<ServiceKey, Long> createdAt = new HashMap<>();
    /** The status last written per object, so that a lagging cache copy is not "corrected" again. */
    private final Map<String, ServiceL2StatusStatus> written = new HashMap<>();
    private final CoalescingRunner runner = new CoalescingRunner("l2-status", this::run);
    /**
     * Set by {@link #close()}, which interrupts a sync in progress: every API call after that fails
     * at once, so the sync stops instead of warning about each object it had left to write.
     */
    private volatile boolean closing;

    /**
     * @param pod   the speaker Pod (name, uid) that owns the objects; null owner when unknown
     * @param cache every ServiceL2Status of the namespace (the informer's store)
     */
    public L2StatusSync(KubernetesClient client, String namespace, String node, String podName, String podUid,
                        Supplier<List<ServiceL2Status>> cache) {
        this.client = client;
        this.namespace = namespace;
        this.node = node;
        this.owner = podUid == null ? null : new OwnerReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withName(podName).withUid(podUid).build();
        this.cache = cache;
    }

    @Override
    public void announced(Map<ServiceKey, List<String>> services) {
        desired.set(Map.copyOf(services));
        poke();
    }

    /** Something in the cache changed (a status was deleted by someone...): check again. */
    public void poke() {
        runner.request();
    }

    private void run() {
        try {
            if (!sync(desired.get())) {
                runner.requestAfter(RETRY);
            }
        } catch (RuntimeException e) {
            LOG.warn("servicel2status sync failed error={}", e.toString());
            runner.requestAfter(RETRY);
        }
    }

    /** One reconciliation against the cache; false if some write failed. */
    boolean sync(Map<ServiceKey, List<String>> want) {
        boolean ok = true;
        Map<ServiceKey, List<ServiceL2Status>> byService = new HashMap<>();
        for (ServiceL2Status s : cache.get()) {
            ServiceKey key = keyOf(s);
            if (key != null) {
                byService.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
        }
        createdAt.keySet().retainAll(want.keySet());
        for (Map.Entry<ServiceKey, List<String>> e : want.entrySet()) {
            if (closing) {
                return stoppedByClose();
            }
            ok &= ensure(e.getKey(), e.getValue(), byService.getOrDefault(e.getKey(), List.of()));
        }
        for (Map.Entry<ServiceKey, List<ServiceL2Status>> e : byService.entrySet()) {
            if (!want.containsKey(e.getKey())) {
                for (ServiceL2Status s : e.getValue()) {
                    if (closing) {
                        return stoppedByClose();
                    }
                    if (node.equals(nodeOf(s))) {
                        ok &= delete(s, "no longer announced here");
                    }
                }
            }
        }
        return ok;
    }

    /**
     * A speaker that stops leaves the rest to others: the node that announces a Service next
     * deletes this node's object for it, and the objects go with this speaker's Pod (their owner).
     */
    private boolean stoppedByClose() {
        LOG.info("servicel2status sync stopped by the shutdown node={}: the next owners replace what is left",
                node);
        return false;
    }

    /** Logs a failed call, unless {@link #close()} interrupted it; {@code subject} is "key=value". */
    private void warnUnlessClosing(String what, String subject, KubernetesClientException e) {
        if (closing) {
            LOG.debug("servicel2status call interrupted by the shutdown call={} {}", what, subject);
        } else {
            LOG.warn("cannot {} servicel2status {} error={}", what, subject, ApiErrors.describe(e));
        }
    }

    private boolean ensure(ServiceKey service, List<String> interfaces, List<ServiceL2Status> existing) {
        boolean ok = true;
        List<ServiceL2Status> mine = new ArrayList<>();
        for (ServiceL2Status s : existing) {
            if (node.equals(nodeOf(s))) {
                mine.add(s);
            } else {
                ok &= delete(s, "announced by " + node + " now");
            }
        }
        mine.sort(Comparator.comparing((ServiceL2Status s) -> s.getMetadata().getCreationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(s -> s.getMetadata().getName()));
        if (mine.isEmpty()) {
            Long at = createdAt.get(service);
            if (at != null && System.nanoTime() - at < CACHE_LAG_NANOS) {
                return false; // ours, not in the cache yet: look again shortly
            }
            return ok & create(service, interfaces);
        }
        for (ServiceL2Status extra : mine.subList(1, mine.size())) {
            ok &= delete(extra, "duplicate");
        }
        createdAt.remove(service);
        ServiceL2StatusStatus wanted = status(service, interfaces);
        String name = mine.get(0).getMetadata().getName();
        if (!wanted.equals(mine.get(0).getStatus()) && !wanted.equals(written.get(name))) {
            ok &= writeStatus(mine.get(0), wanted);
        }
        return ok;
    }

    private boolean create(ServiceKey service, List<String> interfaces) {
        ServiceL2Status object = new ServiceL2Status();
        object.getMetadata().setNamespace(namespace);
        object.getMetadata().setGenerateName("l2-");
        object.getMetadata().setLabels(Map.of(NODE_LABEL, node, SERVICE_NAME_LABEL, service.name(),
                SERVICE_NAMESPACE_LABEL, service.namespace()));
        if (owner != null) {
            object.getMetadata().setOwnerReferences(List.of(owner));
        }
        object.setSpec(new ServiceL2StatusSpec());
        try {
            ServiceL2Status stored = client.resource(object).create();
            createdAt.put(service, System.nanoTime());
            return writeStatus(stored, status(service, interfaces));
        } catch (KubernetesClientException e) {
            warnUnlessClosing("create", "service=" + service, e);
            return false;
        }
    }

    private boolean writeStatus(ServiceL2Status object, ServiceL2StatusStatus status) {
        object.setStatus(status);
        try {
            client.resource(object).updateStatus();
            written.put(object.getMetadata().getName(), status);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                // Deleted meanwhile (by the node that announces the Service now); the next sync decides.
                LOG.debug("servicel2status gone before its status was written name={}", object.getMetadata().getName());
            } else {
                warnUnlessClosing("write", "name=" + object.getMetadata().getName(), e);
            }
            return false;
        }
    }

    private boolean delete(ServiceL2Status object, String why) {
        written.remove(object.getMetadata().getName());
        try {
            client.resource(object).delete();
            LOG.debug("servicel2status deleted name={} node={} reason={}", object.getMetadata().getName(),
                    nodeOf(object), why);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            warnUnlessClosing("delete", "name=" + object.getMetadata().getName(), e);
            return false;
        }
    }

    private ServiceL2StatusStatus status(ServiceKey service, List<String> interfaces) {
        return new ServiceL2StatusStatus(node, service.name(), service.namespace(), interfaces.isEmpty() ? null
                : interfaces.stream().sorted().map(ServiceL2StatusStatus.InterfaceInfo::new).toList());
    }

    private static ServiceKey keyOf(ServiceL2Status s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        if (labels != null && labels.containsKey(SERVICE_NAME_LABEL) && labels.containsKey(SERVICE_NAMESPACE_LABEL)) {
            return new ServiceKey(labels.get(SERVICE_NAMESPACE_LABEL), labels.get(SERVICE_NAME_LABEL));
        }
        if (s.getStatus() != null && s.getStatus().getServiceName() != null) {
            return new ServiceKey(s.getStatus().getServiceNamespace(), s.getStatus().getServiceName());
        }
        return null;
    }

    private static String nodeOf(ServiceL2Status s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        String byLabel = labels == null ? null : labels.get(NODE_LABEL);
        return byLabel != null ? byLabel : s.getStatus() == null ? null : s.getStatus().getNode();
    }

    @Override
    public void close() {
        closing = true;
        runner.close();
    }
}
