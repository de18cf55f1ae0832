package io.ferrolb.speaker.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.speaker.loop.LoopInputs;
import io.ferrolb.speaker.membership.MembershipView;
import io.ferrolb.api.v1beta1.ServiceL2Status;
import io.ferrolb.api.v1beta1.ServiceL2StatusStatus;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.ServiceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.function.Supplier;

/** The loop's inputs: the informer caches and, when membership runs, its current view. */
public final class ClusterInputs implements LoopInputs {

    private final ClusterView cluster;
    private final Supplier<MembershipView> membership;

    /** @param membership the current view, or null when membership is disabled */
    public ClusterInputs(ClusterView cluster, Supplier<MembershipView> membership) {
        this.cluster = cluster;
        this.membership = membership;
    }

    @Override
    public List<Service> services() {
        return cluster.services();
    }

    @Override
    public List<EndpointSlice> endpointSlices() {
        return cluster.endpointSlices();
    }

    @Override
    public List<Node> nodes() {
        return cluster.nodes();
    }

    @Override
    public List<IPAddressPool> pools() {
        return cluster.pools();
    }

    @Override
    public List<L2Advertisement> advertisements() {
        return cluster.advertisements();
    }

    @Override
    public Map<ServiceKey, Set<String>> announcers() {
        Map<ServiceKey, Set<String>> out = new HashMap<>();
        for (ServiceL2Status s : cluster.statuses()) {
            ServiceL2StatusStatus status = s.getStatus();
            if (status != null && status.getNode() != null && status.getServiceName() != null) {
                out.computeIfAbsent(new ServiceKey(status.getServiceNamespace(), status.getServiceName()),
                        k -> new HashSet<>()).add(status.getNode());
            }
        }
        return out;
    }

    @Override
    public LiveSpeakers liveSpeakers() {
        return membership == null ? LiveSpeakers.everyNode() : LiveSpeakers.of(membership.get().alive());
    }

    @Override
    public Set<String> departed() {
        return membership == null ? Set.of() : membership.get().departed();
    }

    @Override
    public boolean joined() {
        return membership == null || membership.get().joined();
    }
}
