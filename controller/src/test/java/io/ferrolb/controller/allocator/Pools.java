package io.ferrolb.controller.allocator;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.ServiceAllocation;
import io.ferrolb.config.Config;
import io.ferrolb.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Literal pools for allocator tests. */
public final class Pools {

    private Pools() {
    }

    public static IPAddressPool pool(String name, String... addresses) {
        return new IPAddressPool("metallb-system", name, IPAddressPoolSpec.of(addresses));
    }

    public static IPAddressPool manual(String name, String... addresses) {
        return new IPAddressPool("metallb-system", name,
                new IPAddressPoolSpec(List.of(addresses), false, null, null));
    }

    public static IPAddressPool avoidBuggy(String name, String... addresses) {
        return new IPAddressPool("metallb-system", name,
                new IPAddressPoolSpec(List.of(addresses), null, true, null));
    }

    public static IPAddressPool restricted(String name, Integer priority, List<String> namespaces,
                                           List<LabelSelector> namespaceSelectors,
                                           List<LabelSelector> serviceSelectors, String... addresses) {
        return new IPAddressPool("metallb-system", name, new IPAddressPoolSpec(List.of(addresses), null, null,
                new ServiceAllocation(priority, namespaces, namespaceSelectors, serviceSelectors)));
    }

    public static LabelSelector labels(String key, String value) {
        return LabelSelector.matchLabels(Map.of(key, value));
    }

    public static PoolSet set(IPAddressPool... pools) {
        return set(Map.of(), pools);
    }

    public static PoolSet set(Map<String, Map<String, String>> namespaceLabels, IPAddressPool... pools) {
        try {
            return PoolSet.resolve(Config.from(Arrays.asList(pools), List.of()), namespaceLabels);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Allocator allocator(IPAddressPool... pools) {
        Allocator allocator = new Allocator();
        allocator.setPools(set(pools));
        return allocator;
    }
}
