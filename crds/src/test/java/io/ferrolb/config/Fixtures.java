package io.ferrolb.config;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.LabelSelectorRequirement;
import io.ferrolb.api.v1beta1.PreferredNodeSelector;
import io.ferrolb.api.v1beta1.ServiceAllocation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Literal objects for the table tests. */
final class Fixtures {

    static final String NS = "metallb-system";

    private Fixtures() {
    }

    static IPAddressPool pool(String name, String... addresses) {
        return new IPAddressPool(NS, name, IPAddressPoolSpec.of(addresses));
    }

    static IPAddressPool pool(String name, ServiceAllocation allocation, String... addresses) {
        return new IPAddressPool(NS, name, new IPAddressPoolSpec(List.of(addresses), null, null, allocation));
    }

    static IPAddressPool labelled(IPAddressPool pool, Map<String, String> labels) {
        pool.getMetadata().setLabels(labels);
        return pool;
    }

    static L2Advertisement ad(String name, L2AdvertisementSpec spec) {
        return new L2Advertisement(NS, name, spec);
    }

    static L2AdvertisementSpec adSpec(List<String> pools, List<LabelSelector> poolSelectors,
                                      List<LabelSelector> nodeSelectors, List<String> interfaces,
                                      List<LabelSelector> serviceSelectors) {
        return new L2AdvertisementSpec(pools, poolSelectors, nodeSelectors, interfaces, serviceSelectors, null);
    }

    static L2AdvertisementSpec adOfPools(String... pools) {
        return new L2AdvertisementSpec(List.of(pools), null, null, null, null, null);
    }

    static L2AdvertisementSpec preferring(List<LabelSelector> nodeSelectors, PreferredNodeSelector... preferences) {
        return new L2AdvertisementSpec(null, null, nodeSelectors, null, null, List.of(preferences));
    }

    static PreferredNodeSelector prefer(Integer weight, LabelSelector preference) {
        return new PreferredNodeSelector(weight, preference);
    }

    static LabelSelector labels(String... keyValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return LabelSelector.matchLabels(map);
    }

    static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelector(null, List.of(new LabelSelectorRequirement(key, operator,
                values.length == 0 ? null : Arrays.asList(values))));
    }

    static LabelSelector expressions(LabelSelectorRequirement... requirements) {
        return new LabelSelector(null, List.of(requirements));
    }

    static LabelSelectorRequirement req(String key, String operator, String... values) {
        return new LabelSelectorRequirement(key, operator, values.length == 0 ? null : Arrays.asList(values));
    }

    static ServiceAllocation allocation(Integer priority, List<String> namespaces, List<LabelSelector> nsSelectors,
                                        List<LabelSelector> serviceSelectors) {
        return new ServiceAllocation(priority, namespaces, nsSelectors, serviceSelectors);
    }
}
