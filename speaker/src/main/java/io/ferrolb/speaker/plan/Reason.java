package io.ferrolb.speaker.plan;

/**
 * Why a Service is not announced by this node, with MetalLB's reason text (docs/compatibility.md §3.2) where
 * MetalLB has one. The planner never produces {@link #SERVICE_DELETED} or
 * {@link #LOAD_BALANCER_IP_CHANGED}: they describe transitions, which only the loop sees; they are
 * here so that every withdrawal is logged with one vocabulary.
 */
public enum Reason {
    /** The Service is gone (the loop's business). */
    SERVICE_DELETED("serviceDeleted"),
    /** The ingress IPs changed; the old set is withdrawn before the new one is considered (the loop's business). */
    LOAD_BALANCER_IP_CHANGED("loadBalancerIPChanged"),
    /**
     * Ours: the Service's {@code spec.loadBalancerClass} is not this speaker's. MetalLB skips such a
     * Service without a reason; naming it lets the loop withdraw a Service whose class changed.
     */
    LOAD_BALANCER_CLASS_FILTERED("loadBalancerClassFiltered"),
    NOT_LOAD_BALANCER("notLoadBalancer"),
    NO_IP_ALLOCATED("noIPAllocated"),
    INVALID_IP("invalidIP"),
    IP_NOT_ALLOWED("ipNotAllowed"),
    /** Ours: no endpoint of the Service can serve, so nobody announces. MetalLB says {@code notOwner}. */
    NO_SERVING_ENDPOINTS("noServingEndpoints"),
    SHARED_IP_WITH_SERVICE_SELECTOR("sharedIPWithServiceSelector"),
    NO_MATCHING_ADVERTISEMENT("noMatchingAdvertisement"),
    /** Ours: no node is eligible, so nobody announces. MetalLB says {@code notOwner}. */
    NO_AVAILABLE_NODES("noAvailableNodes"),
    /** Another node won the election. */
    NOT_OWNER("notOwner"),
    /** This node won, but none of the requested interfaces exists here (docs/compatibility.md §3.8). */
    ANNOUNCE_FAILED("announceFailed");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    /**
     * Whether this reason leaves the Service unannounced on every node: it is about the Service,
     * its addresses or its endpoints, not about the node deciding. {@link #NO_MATCHING_ADVERTISEMENT}
     * is dark only when no node is selected, which the planner decides; {@link #NO_IP_ALLOCATED} is
     * the controller's to report.
     */
    public boolean alwaysDark() {
        return switch (this) {
            case INVALID_IP, IP_NOT_ALLOWED, NO_SERVING_ENDPOINTS, SHARED_IP_WITH_SERVICE_SELECTOR,
                    NO_AVAILABLE_NODES, ANNOUNCE_FAILED -> true;
            default -> false;
        };
    }

    /** The reason as MetalLB logs it, e.g. {@code notOwner}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
