package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.ferrolb.config.Advertisement;
import io.ferrolb.config.Pool;
import io.ferrolb.net.GoQuote;
import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.election.Election;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides, for every Service of a {@link Snapshot}, whether this node announces it, following
 * MetalLB's speaker ({@code SetBalancer} in {@code speaker/main.go}, then {@code ShouldAnnounce} in
 * {@code speaker/layer2_controller.go}; docs/compatibility.md §3.2) in its order of checks, so that
 * the first failing check names the reason: class filter, type, ingress IPs present and parseable,
 * all in one pool; then a serving endpoint somewhere, the applicable advertisements (and their clash
 * with {@code allow-shared-ip}), one of them selecting this node, the candidates, the election, and
 * finally this node's interfaces (docs/compatibility.md §3.8).
 *
 * <p>Deterministic and pure. Endpoints and nodes are indexed once per plan and per advertisement,
 * so a plan costs O(Services × candidates) hashes plus linear indexing.
 */
public final class Planner {

    static final String ALLOW_SHARED_IP = "metallb.io/allow-shared-ip";
    static final String ALLOW_SHARED_IP_DEPRECATED = "metallb.universe.tf/allow-shared-ip";
    static final String LOAD_BALANCER = "LoadBalancer";
    static final String LOCAL = "Local";

    private final Snapshot snapshot;
    private final String me;
    private final EndpointIndex endpoints;
    private final NodeView nodes;

    private Planner(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.me = snapshot.nodeName();
        this.endpoints = EndpointIndex.of(snapshot.endpointSlices());
        this.nodes = NodeView.of(snapshot.nodes(), snapshot.liveSpeakers(), snapshot.options().ignoreExcludeLb());
    }

    /** The plan of one snapshot: a decision for every Service in it. */
    public static Plan plan(Snapshot snapshot) {
        Planner planner = new Planner(snapshot);
        SortedMap<ServiceKey, Decision> decisions = new TreeMap<>();
        for (Service service : snapshot.services()) {
            Decision decision = planner.decide(service);
            decisions.put(decision.service(), decision);
        }
        return new Plan(snapshot.nodeName(), decisions);
    }

    private Decision decide(Service service) {
        ServiceKey key = ServiceKey.of(service);
        ServiceSpec spec = service.getSpec();
        if (!snapshot.options().handles(service)) {
            return skip(key, Reason.LOAD_BALANCER_CLASS_FILTERED, classMismatch(spec));
        }
        String type = spec == null ? null : spec.getType();
        if (!LOAD_BALANCER.equals(type)) {
            return skip(key, Reason.NOT_LOAD_BALANCER, "type " + type);
        }
        List<LoadBalancerIngress> ingress = ingressOf(service);
        if (ingress.isEmpty()) {
            return skip(key, Reason.NO_IP_ALLOCATED, "no status.loadBalancer.ingress");
        }
        List<IpAddress> ips = new ArrayList<>(ingress.size());
        for (LoadBalancerIngress entry : ingress) {
            String text = entry.getIp() == null ? "" : entry.getIp();
            if (!IpAddress.isValid(text)) {
                return skip(key, Reason.INVALID_IP, "invalid LoadBalancer IP " + GoQuote.quote(text));
            }
            ips.add(IpAddress.parse(text));
        }
        Optional<Pool> pool = ServicePools.poolOf(snapshot.config(), ips);
        if (pool.isEmpty()) {
            return skip(key, Reason.IP_NOT_ALLOWED, "IPs " + ips + " are not all in one configured pool");
        }
        return elect(key, service, ips, pool.get());
    }

    private Decision elect(ServiceKey key, Service service, List<IpAddress> ips, Pool pool) {
        EndpointIndex.Serving serving = endpoints.of(key);
        if (!serving.any()) {
            return skip(key, Reason.NO_SERVING_ENDPOINTS, "no endpoint is ready or serving");
        }
        List<Advertisement> ads = applicable(pool, service);
        if (sharesIp(service) && ads.stream().anyMatch(ad -> !ad.serviceSelectors().isEmpty())) {
            return skip(key, Reason.SHARED_IP_WITH_SERVICE_SELECTOR,
                    "allow-shared-ip cannot be combined with L2Advertisement serviceSelectors");
        }
        boolean local = LOCAL.equals(service.getSpec().getExternalTrafficPolicy());
        Set<String> candidates = nodes.candidates(ads);
        if (local) {
            candidates.retainAll(serving.nodes());
        }
        List<Advertisement> mine = nodes.selecting(ads, me);
        if (mine.isEmpty()) {
            // Not selected here; dark only when no node can announce it either.
            return ads.isEmpty()
                    ? new NotAnnounced.Skipped(key, Reason.NO_MATCHING_ADVERTISEMENT, "no L2Advertisement of pool "
                            + pool.name() + " applies to this Service", true)
                    : candidates.isEmpty()
                    ? new NotAnnounced.Skipped(key, Reason.NO_MATCHING_ADVERTISEMENT, "the L2Advertisements of pool "
                            + pool.name() + " applying to this Service select no node that can announce it", true)
                    : new NotAnnounced.Skipped(key, Reason.NO_MATCHING_ADVERTISEMENT, "no L2Advertisement of pool "
                            + pool.name() + " applying to this Service selects node " + me, false);
        }
        Map<String, Integer> scores = nodes.scores(ads, candidates);
        Optional<String> winner = Election.winner(candidates, ips.get(0), scores);
        if (winner.isEmpty()) {
            return skip(key, Reason.NO_AVAILABLE_NODES,
                    local ? "no eligible node hosts a serving endpoint" : "no eligible node");
        }
        if (!winner.get().equals(me)) {
            return new NotAnnounced.NotOwner(key, ips, winner.get(), candidates.contains(me));
        }
        return announce(key, ips, pool, mine);
    }

    /** This node won: announce on the union of the interfaces its advertisements name (docs/compatibility.md §3.8). */
    private Decision announce(ServiceKey key, List<IpAddress> ips, Pool pool, List<Advertisement> mine) {
        Interfaces interfaces = interfacesOf(mine);
        if (interfaces instanceof Interfaces.Only only
                && only.names().stream().noneMatch(snapshot.interfaces()::contains)) {
            return new NotAnnounced.AnnounceFailed(key, ips, only, me);
        }
        return new Announcement(key, ips, pool.name(), interfaces, me);
    }

    static Interfaces interfacesOf(List<Advertisement> ads) {
        Set<String> names = new LinkedHashSet<>();
        for (Advertisement ad : ads) {
            if (ad.allInterfaces()) {
                return Interfaces.all();
            }
            names.addAll(ad.interfaces());
        }
        return Interfaces.only(names);
    }

    /** The pool's advertisements whose serviceSelectors are empty or match the Service's labels. */
    private static List<Advertisement> applicable(Pool pool, Service service) {
        Map<String, String> labels = service.getMetadata().getLabels() == null
                ? Map.of() : service.getMetadata().getLabels();
        return pool.l2Advertisements().stream().filter(ad -> ad.selectsService(labels)).toList();
    }

    /** Presence of either sharing annotation counts, whatever its value. */
    private static boolean sharesIp(Service service) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        return annotations != null
                && (annotations.containsKey(ALLOW_SHARED_IP) || annotations.containsKey(ALLOW_SHARED_IP_DEPRECATED));
    }

    private String classMismatch(ServiceSpec spec) {
        String theirs = spec == null ? null : spec.getLoadBalancerClass();
        if (theirs == null) {
            return "no loadBalancerClass, this speaker serves "
                    + GoQuote.quote(snapshot.options().loadBalancerClass().orElse(""));
        }
        return "loadBalancerClass " + GoQuote.quote(theirs) + " is not served here";
    }

    private static List<LoadBalancerIngress> ingressOf(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress();
    }

    private static Decision skip(ServiceKey key, Reason reason, String detail) {
        return new NotAnnounced.Skipped(key, reason, detail);
    }
}
