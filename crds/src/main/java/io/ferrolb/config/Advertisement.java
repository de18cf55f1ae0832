package io.ferrolb.config;

import java.util.List;
import java.util.Map;

/**
 * An L2Advertisement, compiled.
 *
 * @param name             the object's name
 * @param nodeSelectors    nodes allowed to announce (OR); empty means every node
 * @param interfaces       interfaces to announce on; empty means every eligible interface
 * @param serviceSelectors Services announced (OR); empty means every Service of its pools
 * @param preferredNodes   weighted node preferences for the election
 */
public record Advertisement(String name, List<Selector> nodeSelectors, List<String> interfaces,
                            List<Selector> serviceSelectors, List<PreferredNode> preferredNodes) {

    /** Nodes matching {@code selector} score {@code weight} more. */
    public record PreferredNode(int weight, Selector selector) {
    }

    public Advertisement {
        nodeSelectors = List.copyOf(nodeSelectors);
        interfaces = List.copyOf(interfaces);
        serviceSelectors = List.copyOf(serviceSelectors);
        preferredNodes = List.copyOf(preferredNodes);
    }

    /**
     * The node's preference score from this advertisement: the summed weights of the preferences
     * it matches, or 0 when the advertisement does not let it announce at all.
     */
    public int preferenceScore(Map<String, String> nodeLabels) {
        if (!selectsNode(nodeLabels)) {
            return 0;
        }
        return preferredNodes.stream().filter(p -> p.selector().matches(nodeLabels))
                .mapToInt(PreferredNode::weight).sum();
    }

    public boolean selectsNode(Map<String, String> nodeLabels) {
        return nodeSelectors.isEmpty() || nodeSelectors.stream().anyMatch(s -> s.matches(nodeLabels));
    }

    public boolean selectsService(Map<String, String> serviceLabels) {
        return serviceSelectors.isEmpty() || serviceSelectors.stream().anyMatch(s -> s.matches(serviceLabels));
    }

    public boolean allInterfaces() {
        return interfaces.isEmpty();
    }
}
