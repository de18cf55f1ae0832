package io.ferrolb.speaker.plan;

import io.ferrolb.config.Config;
import io.ferrolb.config.Pool;
import io.ferrolb.net.IpAddress;
import java.util.List;
import java.util.Optional;

/** The pool of a Service's IPs, shared by the planner and the stale-config guard so they agree. */
final class ServicePools {

    private ServicePools() {
    }

    /**
     * The pool holding every one of the IPs. It is the pool of the first IP (prefixes never overlap),
     * provided that pool holds the others too; MetalLB likewise finds no pool for IPs split over two.
     */
    static Optional<Pool> poolOf(Config config, List<IpAddress> ips) {
        if (ips.isEmpty()) {
            return Optional.empty();
        }
        return config.poolContaining(ips.get(0)).filter(pool -> ips.stream().allMatch(pool::contains));
    }
}
