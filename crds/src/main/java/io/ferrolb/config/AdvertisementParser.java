package io.ferrolb.config;

import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.PreferredNodeSelector;
import java.util.ArrayList;
import java.util.List;

/** One L2Advertisement's own checks, in MetalLB's order: duplicates first, then selector syntax. */
final class AdvertisementParser {

    private static final String KIND = ConfigParser.L2_ADVERTISEMENT;
    private static final int MIN_WEIGHT = 1;
    private static final int MAX_WEIGHT = 100;

    private AdvertisementParser() {
    }

    static Advertisement parse(L2Advertisement raw) throws ConfigException {
        String name = raw.getMetadata().getName();
        L2AdvertisementSpec spec = raw.getSpec() == null ? L2AdvertisementSpec.all() : raw.getSpec();
        ConfigParser.rejectDuplicate(KIND, name, "spec.ipAddressPools",
                SelectorLists.firstDuplicateName(spec.ipAddressPools(), "ipAddressPools"), false);
        ConfigParser.rejectDuplicate(KIND, name, "spec.ipAddressPoolSelectors",
                SelectorLists.firstDuplicate(spec.ipAddressPoolSelectors(), "ipAddressPoolSelectors"), false);
        ConfigParser.rejectDuplicate(KIND, name, "spec.nodeSelectors",
                SelectorLists.firstDuplicate(spec.nodeSelectors(), "nodeSelectors"), false);
        ConfigParser.rejectDuplicate(KIND, name, "spec.serviceSelectors",
                SelectorLists.firstDuplicate(spec.serviceSelectors(), "serviceSelectors"), false);
        List<Selector> nodeSelectors = compile(name, "spec.nodeSelectors", "node", spec.nodeSelectors());
        List<Selector> serviceSelectors = compile(name, "spec.serviceSelectors", "service", spec.serviceSelectors());
        return new Advertisement(name, nodeSelectors, ConfigParser.orEmpty(spec.interfaces()), serviceSelectors,
                preferredNodes(name, ConfigParser.orEmpty(spec.preferredNodeSelectors())));
    }

    private static List<Advertisement.PreferredNode> preferredNodes(String name, List<PreferredNodeSelector> raw)
            throws ConfigException {
        List<Advertisement.PreferredNode> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "spec.preferredNodeSelectors[" + i + "]";
            String prefix = "failed to parse preferred node selectors for " + name + ": ";
            Integer weight = raw.get(i).weight();
            if (weight == null || weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
                throw new ConfigException(KIND, name, field + ".weight",
                        prefix + "weight " + weight + " is not in the range 1-100");
            }
            try {
                out.add(new Advertisement.PreferredNode(weight, Selector.compile(raw.get(i).preference())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(KIND, name, field + ".preference", prefix + "invalid label selector "
                        + GoText.q(SelectorLists.describe(raw.get(i).preference())) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static List<Selector> compile(String name, String field, String what, List<LabelSelector> raw)
            throws ConfigException {
        List<Selector> out = new ArrayList<>();
        for (LabelSelector selector : ConfigParser.orEmpty(raw)) {
            try {
                out.add(Selector.compile(selector));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(KIND, name, field, "failed to parse " + what + " selector for " + name
                        + ": invalid label selector " + GoText.q(SelectorLists.describe(selector)) + ": "
                        + e.getMessage());
            }
        }
        return out;
    }
}
