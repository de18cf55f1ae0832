package io.ferrolb.config;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.ServiceAllocation;
import io.ferrolb.net.Cidr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link Config} from raw objects with MetalLB's rules and messages. Pools are read in
 * name order (MetalLB's order is whatever its cache lists, so any fixed order is compatible and
 * this one makes messages reproducible):
 * <ol>
 *   <li>each pool: a name, at least one address entry, each entry a CIDR or a range, no duplicate
 *       namespace, no duplicate or invalid selector; errors read {@code parsing address pool <p>: …}
 *   <li>no two pools with one name; no prefix overlapping any prefix before it, in this pool or
 *       another
 *   <li>each L2Advertisement: no duplicate pool name or selector, valid selectors; it announces the
 *       pools it names plus those its pool selectors match, or every pool when it has neither.
 * </ol>
 */
final class ConfigParser {

    static final String POOL = "IPAddressPool";
    static final String L2_ADVERTISEMENT = "L2Advertisement";

    private record ParsedPool(Pool pool, List<Integer> entryOfCidr, Map<String, String> labels) {
    }

    private ConfigParser() {
    }

    static Config parse(Collection<IPAddressPool> rawPools, Collection<L2Advertisement> rawAdvertisements)
            throws ConfigException {
        Map<String, ParsedPool> pools = new LinkedHashMap<>();
        List<Cidr> seen = new ArrayList<>();
        for (IPAddressPool raw : byName(rawPools, p -> p.getMetadata().getName())) {
            ParsedPool parsed = parsePool(raw);
            String name = parsed.pool().name();
            if (pools.containsKey(name)) {
                throw new ConfigException(POOL, name, "metadata.name", "duplicate definition of pool " + GoText.q(name));
            }
            List<Cidr> cidrs = parsed.pool().cidrs();
            for (int i = 0; i < cidrs.size(); i++) {
                for (Cidr existing : seen) {
                    if (cidrs.get(i).overlaps(existing)) {
                        throw new ConfigException(POOL, name, "spec.addresses[" + parsed.entryOfCidr().get(i) + "]",
                                "CIDR " + GoText.q(cidrs.get(i)) + " in pool " + GoText.q(name)
                                        + " overlaps with already defined CIDR " + GoText.q(existing));
                    }
                }
                seen.add(cidrs.get(i));
            }
            pools.put(name, parsed);
        }

        Map<String, List<Advertisement>> advertisementsOfPool = new LinkedHashMap<>();
        for (L2Advertisement raw : byName(rawAdvertisements, a -> a.getMetadata().getName())) {
            Advertisement advertisement = AdvertisementParser.parse(raw);
            for (String poolName : announcedPools(raw, pools)) {
                advertisementsOfPool.computeIfAbsent(poolName, k -> new ArrayList<>()).add(advertisement);
            }
        }

        List<Pool> out = new ArrayList<>();
        for (ParsedPool parsed : pools.values()) {
            String name = parsed.pool().name();
            out.add(parsed.pool().withAdvertisements(advertisementsOfPool.getOrDefault(name, List.of())));
        }
        return new Config(out);
    }

    private static ParsedPool parsePool(IPAddressPool raw) throws ConfigException {
        String name = raw.getMetadata().getName();
        IPAddressPoolSpec spec = raw.getSpec();
        if (name == null || name.isEmpty()) {
            throw poolError(name, "metadata.name", "missing pool name");
        }
        List<String> addresses = spec == null || spec.addresses() == null ? List.of() : spec.addresses();
        if (addresses.isEmpty()) {
            throw poolError(name, "spec.addresses", "pool has no prefixes defined");
        }
        List<Cidr> cidrs = new ArrayList<>();
        List<Integer> entryOfCidr = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            String entry = addresses.get(i) == null ? "" : addresses.get(i);
            try {
                for (Cidr cidr : PoolAddresses.parse(entry)) {
                    cidrs.add(cidr);
                    entryOfCidr.add(i);
                }
            } catch (IllegalArgumentException e) {
                throw poolError(name, "spec.addresses[" + i + "]",
                        "invalid CIDR " + GoText.q(entry) + " in pool " + GoText.q(name) + ": " + e.getMessage());
            }
        }
        Optional<PoolAllocation> allocation = spec.serviceAllocation() == null
                ? Optional.empty()
                : Optional.of(parseAllocation(name, spec.serviceAllocation()));
        Pool pool = new Pool(name, cidrs, spec.autoAssignOrDefault(), spec.avoidBuggyIPsOrDefault(), allocation,
                List.of());
        Map<String, String> labels = raw.getMetadata().getLabels() == null ? Map.of() : raw.getMetadata().getLabels();
        return new ParsedPool(pool, entryOfCidr, labels);
    }

    private static PoolAllocation parseAllocation(String pool, ServiceAllocation raw) throws ConfigException {
        String field = "spec.serviceAllocation.";
        Set<String> namespaces = new LinkedHashSet<>();
        for (String namespace : orEmpty(raw.namespaces())) {
            if (!namespaces.add(namespace)) {
                throw poolError(pool, field + "namespaces", "duplicate definition in namespaces field");
            }
        }
        int priority = raw.priority() == null ? 0 : raw.priority();
        List<LabelSelector> namespaceSelectors = orEmpty(raw.namespaceSelectors());
        List<LabelSelector> serviceSelectors = orEmpty(raw.serviceSelectors());
        if (namespaces.isEmpty() && namespaceSelectors.isEmpty() && serviceSelectors.isEmpty()) {
            return new PoolAllocation(priority, Set.of(), List.of(), List.of(Selector.everything()));
        }
        rejectDuplicate(POOL, pool, field + "namespaceSelectors",
                SelectorLists.firstDuplicate(namespaceSelectors, "namespaceSelectors"), true);
        rejectDuplicate(POOL, pool, field + "serviceSelectors",
                SelectorLists.firstDuplicate(serviceSelectors, "serviceSelectors"), true);
        return new PoolAllocation(priority, namespaces,
                compilePoolSelectors(pool, field + "namespaceSelectors", "namespace", namespaceSelectors),
                compilePoolSelectors(pool, field + "serviceSelectors", "service", serviceSelectors));
    }

    private static List<Selector> compilePoolSelectors(String pool, String field, String what,
                                                       List<LabelSelector> raw) throws ConfigException {
        List<Selector> out = new ArrayList<>();
        for (LabelSelector selector : raw) {
            try {
                out.add(Selector.compile(selector));
            } catch (IllegalArgumentException e) {
                throw poolError(pool, field, "invalid " + what + " label selector "
                        + GoText.q(SelectorLists.describe(selector)) + " in ip pool " + pool + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static Set<String> announcedPools(L2Advertisement raw, Map<String, ParsedPool> pools)
            throws ConfigException {
        L2AdvertisementSpec spec = raw.getSpec() == null ? L2AdvertisementSpec.all() : raw.getSpec();
        List<String> names = orEmpty(spec.ipAddressPools());
        List<LabelSelector> poolSelectors = orEmpty(spec.ipAddressPoolSelectors());
        if (names.isEmpty() && poolSelectors.isEmpty()) {
            return pools.keySet();
        }
        Set<String> out = new LinkedHashSet<>();
        // Unknown names are ignored, as in MetalLB: the pool may be created later.
        names.stream().filter(pools::containsKey).forEach(out::add);
        for (LabelSelector raw0 : poolSelectors) {
            Selector selector;
            try {
                selector = Selector.compile(raw0);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(L2_ADVERTISEMENT, raw.getMetadata().getName(), "spec.ipAddressPoolSelectors",
                        "invalid label selector " + GoText.q(SelectorLists.describe(raw0)) + ": " + e.getMessage());
            }
            pools.forEach((name, pool) -> {
                if (selector.matches(pool.labels())) {
                    out.add(name);
                }
            });
        }
        return out;
    }

    static void rejectDuplicate(String kind, String name, String field, String duplicate, boolean inPool)
            throws ConfigException {
        if (duplicate != null) {
            throw new ConfigException(kind, name, field,
                    inPool ? "parsing address pool " + name + ": " + duplicate : duplicate);
        }
    }

    private static ConfigException poolError(String pool, String field, String message) {
        return new ConfigException(POOL, pool, field, "parsing address pool " + (pool == null ? "" : pool) + ": "
                + message);
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static <T> List<T> byName(Collection<T> objects, Function<T, String> name) {
        List<T> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing(name, Comparator.nullsFirst(Comparator.naturalOrder())));
        return sorted;
    }
}
