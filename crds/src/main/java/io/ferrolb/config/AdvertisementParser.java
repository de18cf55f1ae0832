package io.ferrolb.config;

import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/** One L2Advertisement's own checks, in MetalLB's order: duplicates first, then selector syntax. */
final class AdvertisementParser {

    private static final String KIND = ConfigParser.L2_ADVERTISEMENT;

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
        return new Advertisement(name, nodeSelectors, ConfigParser.orEmpty(spec.interfaces()), serviceSelectors);
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
