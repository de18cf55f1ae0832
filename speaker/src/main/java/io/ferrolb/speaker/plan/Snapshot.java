package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.config.Config;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the planner reads, taken at one instant. The objects are read, never modified; the
 * lists are copied (references only), so the caller may keep filling its caches.
 *
 * @param config         the configuration in force
 * @param services       every Service this speaker sees (the class filter is applied by the planner)
 * @param endpointSlices every EndpointSlice; the planner indexes them by namespace and label
 *                       {@code kubernetes.io/service-name}
 * @param nodes          every Node object
 * @param liveSpeakers   the nodes with a live speaker, or every node when membership is off
 * @param nodeName       this node's name ({@code spec.nodeName} of the speaker Pod)
 * @param interfaces     this node's usable interface names: up, not enslaved, not excluded
 * @param options        the speaker's flags
 */
public record Snapshot(Config config, List<Service> services, List<EndpointSlice> endpointSlices,
                       List<Node> nodes, LiveSpeakers liveSpeakers, String nodeName, Set<String> interfaces,
                       PlanOptions options) {

    public Snapshot {
        Objects.requireNonNull(config, "config");
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(liveSpeakers, "liveSpeakers");
        Objects.requireNonNull(nodeName, "nodeName");
        interfaces = Set.copyOf(interfaces);
        Objects.requireNonNull(options, "options");
    }

    /** A snapshot from any collections, with the default options. */
    public static Snapshot of(Config config, Collection<Service> services, Collection<EndpointSlice> endpointSlices,
                              Collection<Node> nodes, LiveSpeakers liveSpeakers, String nodeName,
                              Collection<String> interfaces) {
        return new Snapshot(config, List.copyOf(services), List.copyOf(endpointSlices), List.copyOf(nodes),
                liveSpeakers, nodeName, Set.copyOf(interfaces), PlanOptions.defaults());
    }

    /** The same snapshot with other options. */
    public Snapshot withOptions(PlanOptions other) {
        return new Snapshot(config, services, endpointSlices, nodes, liveSpeakers, nodeName, interfaces, other);
    }
}
