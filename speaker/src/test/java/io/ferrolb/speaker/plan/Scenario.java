package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.config.Config;
import io.ferrolb.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cluster as the planner sees it, built fluently; plans it from one node or from every node.
 * The standard one has nodes node-a, node-b, node-c (all alive), one pool holding every address the
 * election vectors use, one L2Advertisement of everything, and plans as node-a with eth0 and eth1.
 * Hash order of the three nodes (from the vectors): 10.0.0.100 → a, b, c; 192.168.10.1 → c, b, a;
 * 192.168.1.240 → a, c, b; fc00:f853:ccd:e799::1 → b, a, c.
 */
final class Scenario {

    static final String SYSTEM_NS = "metallb-system";
    static final List<String> ADDRESSES = List.of("192.168.10.0/24", "192.168.1.0/24", "10.0.0.0/24",
            "fc00:f853:ccd:e799::/124");

    private final List<IPAddressPool> pools = new ArrayList<>();
    private final List<L2Advertisement> ads = new ArrayList<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final List<EndpointSlice> slices = new ArrayList<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private LiveSpeakers liveSpeakers;
    private String me = "node-a";
    private Set<String> interfaces = Set.of("eth0", "eth1");
    private PlanOptions options = PlanOptions.defaults();

    static Scenario empty() {
        return new Scenario();
    }

    static Scenario standard() {
        return empty().nodes("node-a", "node-b", "node-c")
                .pool("default", ADDRESSES.toArray(String[]::new))
                .ad("l2", L2AdvertisementSpec.all());
    }

    Scenario pool(String name, String... addresses) {
        pools.add(new IPAddressPool(SYSTEM_NS, name, IPAddressPoolSpec.of(addresses)));
        return this;
    }

    Scenario ad(String name, L2AdvertisementSpec spec) {
        ads.add(new L2Advertisement(SYSTEM_NS, name, spec));
        return this;
    }

    /** Replaces every advertisement. */
    Scenario onlyAds(Map<String, L2AdvertisementSpec> specs) {
        ads.clear();
        specs.forEach(this::ad);
        return this;
    }

    Scenario nodes(String... names) {
        for (String name : names) {
            node(Fixtures.node(name));
        }
        return this;
    }

    /** Adds or replaces a node. */
    Scenario node(Node node) {
        nodes.put(node.getMetadata().getName(), node);
        return this;
    }

    Scenario service(Service service) {
        services.put(service.getMetadata().getName(), service);
        return this;
    }

    /** Adds the Service with one ready endpoint on node-c. */
    Scenario served(Service service) {
        return service(service).slice(Fixtures.slice(service.getMetadata().getName(), Fixtures.ready("node-c")));
    }

    Scenario slice(EndpointSlice slice) {
        slices.add(slice);
        return this;
    }

    Scenario liveSpeakers(LiveSpeakers view) {
        this.liveSpeakers = view;
        return this;
    }

    Scenario as(String node) {
        this.me = node;
        return this;
    }

    Scenario interfaces(String... names) {
        this.interfaces = Set.of(names);
        return this;
    }

    Scenario options(PlanOptions other) {
        this.options = other;
        return this;
    }

    Config config() {
        try {
            return Config.from(pools, ads);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    Snapshot snapshot() {
        LiveSpeakers view = liveSpeakers != null ? liveSpeakers : LiveSpeakers.of(nodes.keySet());
        return new Snapshot(config(), List.copyOf(services.values()), slices, List.copyOf(nodes.values()), view, me,
                interfaces, options);
    }

    Plan plan() {
        return Planner.plan(snapshot());
    }

    Decision decision(String service) {
        return plan().decision(new ServiceKey(Fixtures.NS, service)).orElseThrow();
    }

    /** The decision each known node makes about the Service, planning as that node. */
    Map<String, Decision> everyNode(String service) {
        String self = me;
        Map<String, Decision> out = new LinkedHashMap<>();
        for (String node : new TreeSet<>(nodes.keySet())) {
            out.put(node, as(node).decision(service));
        }
        as(self);
        return out;
    }

    /** The nodes that announce the Service: a black-box view of one election as the cluster runs it. */
    Set<String> announcers(String service) {
        Set<String> out = new TreeSet<>();
        everyNode(service).forEach((node, decision) -> {
            if (decision instanceof Announcement) {
                out.add(node);
            }
        });
        return out;
    }
}
