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
 */
public record Advertisement(String name, List<Selector> nodeSelectors, List<String> interfaces,
                            List<Selector> serviceSelectors) {

    public Advertisement {
        nodeSelectors = List.copyOf(nodeSelectors);
        interfaces = List.copyOf(interfaces);
        serviceSelectors = List.copyOf(serviceSelectors);
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
