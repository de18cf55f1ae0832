package io.ferrolb.config;

import io.ferrolb.net.Cidr;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.List;
import java.util.Optional;

/**
 * An IPAddressPool, compiled.
 *
 * @param name             the object's name
 * @param cidrs            the prefixes in {@code spec.addresses} order, ranges expanded in place
 * @param autoAssign       false: only explicit requests get addresses from it
 * @param avoidBuggyIPs    true: IPv4 addresses ending in .0 or .255 are never handed out
 * @param allocation       the compiled {@code spec.serviceAllocation}, if set
 * @param l2Advertisements the advertisements that announce this pool, by name
 */
public record Pool(String name, List<Cidr> cidrs, boolean autoAssign, boolean avoidBuggyIPs,
                   Optional<PoolAllocation> allocation, List<Advertisement> l2Advertisements) {

    public Pool {
        cidrs = List.copyOf(cidrs);
        l2Advertisements = List.copyOf(l2Advertisements);
    }

    public boolean contains(IpAddress address) {
        return cidrs.stream().anyMatch(c -> c.contains(address));
    }

    /** The prefixes of one family, in pool order. */
    public List<Cidr> cidrs(IpFamily family) {
        return cidrs.stream().filter(c -> c.family() == family).toList();
    }

    public boolean hasFamily(IpFamily family) {
        return cidrs.stream().anyMatch(c -> c.family() == family);
    }

    /** The same pool announced by the given advertisements. */
    Pool withAdvertisements(List<Advertisement> advertisements) {
        return new Pool(name, cidrs, autoAssign, avoidBuggyIPs, allocation, advertisements);
    }
}
