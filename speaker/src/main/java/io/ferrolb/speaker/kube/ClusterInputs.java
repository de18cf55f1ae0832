package io.ferrolb.speaker.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.speaker.loop.LoopInputs;
import io.ferrolb.speaker.membership.MembershipView;
import io.ferrolb.speaker.plan.Membership;
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
    public Membership membership() {
        return membership == null ? Membership.disabled() : Membership.of(membership.get().alive());
    }

    @Override
    public boolean joined() {
        return membership == null || membership.get().joined();
    }
}
