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
    /** The informers in use; replaced as a whole by {@link #rewatch}. */
    private volatile Informers current;
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

    /** One set of the speaker's informers, started together and closed together. */
    private record Informers(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices,
            SharedIndexInformer<Node> nodes, SharedIndexInformer<IPAddressPool> pools,
            SharedIndexInformer<L2Advertisement> ads, SharedIndexInformer<ServiceL2Status> statuses,
            SharedIndexInformer<Pod> speakers) {

        List<SharedIndexInformer<?>> all() {
            List<SharedIndexInformer<?>> out = new ArrayList<>(List.of(services, slices, nodes, pools, ads, statuses));
            if (speakers != null) {
                out.add(speakers);
            }
            return out;
        }
    }

    /**
     * Starts every informer. Their lists run side by side until {@link #awaitSynced}: with a
     * thousand Services a speaker restart waits for the slowest list, not for their sum.
     */
    public void begin() {
        current = open();
    }

    private Informers open() {
        Informers next = new Informers(
                track(client.services().inAnyNamespace().runnableInformer(0), onChange),
                track(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0), onChange),
                track(client.nodes().runnableInformer(0), onChange),
                track(client.resources(IPAddressPool.class).inNamespace(namespace).runnableInformer(0), onChange),
                track(client.resources(L2Advertisement.class).inNamespace(namespace).runnableInformer(0), onChange),
                track(client.resources(ServiceL2Status.class).inNamespace(namespace).runnableInformer(0),
                        onStatusChange),
                speakerLabels == null ? null : track(client.pods().inNamespace(namespace)
                        .withLabelSelector(speakerLabels).runnableInformer(0), () -> { }));
        next.all().forEach(SharedIndexInformer::start);
        return next;
    }

    /**
     * Lists and watches everything again on new connections, and switches to the new caches once
     * they are listed. For when the node's own link was down: the API server's end of every watch
     * may be gone (kube-proxy masquerades the host's ClusterIP traffic, and the kernel drops those
     * connections' NAT state with the link), and a watch that hears nothing cannot tell silence from
     * a dead connection. The old caches serve readers until then.
     */
    public void rewatch(Duration timeout) throws InterruptedException {
        Informers old = current;
        Informers next = open();
        try {
            await(next.all(), timeout);
        } catch (IllegalStateException | InterruptedException e) {
            next.all().forEach(SharedIndexInformer::close);
            throw e;
        }
        current = next;
        old.all().forEach(SharedIndexInformer::close);
        onChange.run();
        onStatusChange.run();
    }

    /** Waits until every informer has listed its objects; from then on changes are reported. */
    public void awaitSynced(Duration timeout) throws InterruptedException {
        await(current.all(), timeout);
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
        return informer;
    }

    public List<Service> services() {
        return current.services().getStore().list();
    }

    public List<EndpointSlice> endpointSlices() {
        return current.slices().getStore().list();
    }

    public List<Node> nodes() {
        return current.nodes().getStore().list();
    }

    public List<IPAddressPool> pools() {
        return current.pools().getStore().list();
    }

    public List<L2Advertisement> advertisements() {
        return current.ads().getStore().list();
    }

    public List<ServiceL2Status> statuses() {
        return current.statuses().getStore().list();
    }

    /** A speaker Pod by name from the cache; empty when membership does not list them or it is not there. */
    public Optional<Pod> speakerPod(String name) {
        SharedIndexInformer<Pod> speakers = current.speakers();
        return speakers == null ? Optional.empty() : speakers.getStore().list().stream()
                .filter(p -> name.equals(p.getMetadata().getName())).findFirst();
    }

    /** The membership endpoints of the speaker Pods: their pod IP (the host's) and the port. */
    public List<InetSocketAddress> speakerEndpoints(int port) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        SharedIndexInformer<Pod> speakers = current.speakers();
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
        Node node = current.nodes().getStore().getByKey(name);
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
        Informers last = current;
        if (last != null) {
            last.all().forEach(SharedIndexInformer::close);
        }
    }
}
