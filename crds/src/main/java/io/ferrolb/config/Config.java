package io.ferrolb.config;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.net.IpAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The validated configuration both binaries act on: every IPAddressPool with the
 * L2Advertisements that announce it. Immutable; a new one replaces the old only when it parses, so
 * an invalid object never disturbs what is in force.
 *
 * @param pools the pools sorted by name
 */
public record Config(List<Pool> pools) {

    private static final Config EMPTY = new Config(List.of());

    public Config {
        pools = List.copyOf(pools);
    }

    /** The configuration with no pools. */
    public static Config empty() {
        return EMPTY;
    }

    /**
     * Translates the raw objects; see {@link ConfigParser} for the rules.
     *
     * @throws ConfigException naming the first object and field MetalLB would reject
     */
    public static Config from(Collection<IPAddressPool> pools, Collection<L2Advertisement> advertisements)
            throws ConfigException {
        return ConfigParser.parse(pools, advertisements);
    }

    public Optional<Pool> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The pool holding an address; at most one can, since prefixes never overlap. */
    public Optional<Pool> poolContaining(IpAddress address) {
        return pools.stream().filter(p -> p.contains(address)).findFirst();
    }
}
