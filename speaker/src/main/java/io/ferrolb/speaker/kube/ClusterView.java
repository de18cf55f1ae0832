package io.ferrolb.speaker.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The speaker's informers (docs/compatibility.md §3.1): Services, EndpointSlices and Nodes cluster-wide; the
 * metallb.io objects and the speaker Pods of its own namespace. Every change of an input of the
 * plan calls {@code onChange}; ServiceL2Status changes call {@code onStatusChange}.
 */
public final class ClusterView implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final String speakerLabels;
    private final Runnable onChange;
    private final Runnable onStatusChange;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<IPAddressPool> pools;
    private SharedIndexInformer<L2Advertisement> ads;
    private SharedIndexInformer<ServiceL2Status> statuses;
    private SharedIndexInformer<Pod> speakers;
    /** Until every cache is listed, changes are not reported: the first reader reads everything anyway. */
    private volatile boolean reporting;

    /**
     * @param speakerLabels the label selector of the speaker Pods ({@code METALLB_ML_LABELS}), or null
     */
    public ClusterView(KubernetesClient client, String namespace, String speakerLabels, Runnable onChange,
                       Runnable onStatusChange) {
        this.client = client;
        this.namespace = namespace;
        this.speakerLabels = speakerLabels;
        this.onChange = onChange;
        this.onStatusChange = onStatusChange;
    }

    /**
     * Starts every informer. Their lists run side by side until {@link #awaitSynced}: with a
     * thousand Services a speaker restart waits for the slowest list, not for their sum.
     */
    public void begin() {
        services = track(client.services().inAnyNamespace().runnableInformer(0), onChange);
        slices = track(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0), onChange);
        nodes = track(client.nodes().runnableInformer(0), onChange);
        pools = track(client.resources(IPAddressPool.class).inNamespace(namespace).runnableInformer(0), onChange);
        ads = track(client.resources(L2Advertisement.class).inNamespace(namespace).runnableInformer(0), onChange);
        statuses = track(client.resources(ServiceL2Status.class).inNamespace(namespace).runnableInformer(0),
                onStatusChange);
        if (speakerLabels != null) {
            speakers = track(client.pods().inNamespace(namespace).withLabelSelector(speakerLabels).runnableInformer(0),
                    () -> { });
        }
        informers.forEach(SharedIndexInformer::start);
    }

    /** Waits until the speaker Pods are listed: all the membership needs to find its peers. */
    public void awaitSpeakers(Duration timeout) throws InterruptedException {
        if (speakers != null) {
            await(List.of(speakers), timeout);
        }
    }

    /** Waits until every informer has listed its objects; from then on changes are reported. */
    public void awaitSynced(Duration timeout) throws InterruptedException {
        await(informers, timeout);
        reporting = true;
    }

    private static void await(List<SharedIndexInformer<?>> which, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (SharedIndexInformer<?> informer : which) {
            while (!informer.hasSynced()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("informers not synced after " + timeout);
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> track(SharedIndexInformer<T> informer, Runnable changed) {
        informer.addEventHandler(handler(changed));
        informers.add(informer);
        return informer;
    }

    public List<Service> services() {
        return services.getStore().list();
    }

    public List<EndpointSlice> endpointSlices() {
        return slices.getStore().list();
    }

    public List<Node> nodes() {
        return nodes.getStore().list();
    }

    public List<IPAddressPool> pools() {
        return pools.getStore().list();
    }

    public List<L2Advertisement> advertisements() {
        return ads.getStore().list();
    }

    public List<ServiceL2Status> statuses() {
        return statuses.getStore().list();
    }

    /** The membership endpoints of the speaker Pods: their pod IP (the host's) and the port. */
    /** A speaker Pod by name from the cache; empty when membership does not list them or it is not there. */
    public Optional<Pod> speakerPod(String name) {
        return speakers == null ? Optional.empty() : speakers.getStore().list().stream()
                .filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    }

    public List<InetSocketAddress> speakerEndpoints(int port) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        if (speakers == null) {
            return out;
        }
        for (Pod pod : speakers.getStore().list()) {
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            if (ip != null && !ip.isEmpty()) {
                out.add(new InetSocketAddress(InetAddress.getByName(ip), port));
            }
        }
        return out;
    }

    /** Labels of a node, or an empty map when the Node is unknown. */
    public Map<String, String> nodeLabels(String name) {
        Node node = nodes.getStore().getByKey(name);
        return node == null || node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    private <T> ResourceEventHandler<T> handler(Runnable callback) {
        Runnable onChange = () -> {
            if (reporting) {
                callback.run();
            }
        };
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
