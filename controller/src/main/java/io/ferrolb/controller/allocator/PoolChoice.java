package io.ferrolb.controller.allocator;

import io.ferrolb.config.Pool;
import io.ferrolb.net.IpFamily;
import java.util.List;
import java.util.function.Function;

/** Which of several candidate pools serves a Service, as MetalLB picks it. */
final class PoolChoice {

    private PoolChoice() {
    }

    /**
     * The first pool, in order, that has an address of the Service's single family, or both
     * families for a dual-stack Service. A PreferDualStack dual Service settles, failing that, for
     * the first pool with its primary family, else the first with the secondary one.
     *
     * @return the chosen pool's free addresses, or null
     */
    static FreeAddresses best(List<Pool> candidates, ServiceInfo service, Family family,
                              Function<Pool, FreeAddresses> freeIn) {
        Family primary = service.primary() == IpFamily.IPV6 ? Family.IPV6 : Family.IPV4;
        Family secondary = primary == Family.IPV4 ? Family.IPV6 : Family.IPV4;
        boolean preferDual = family == Family.DUAL && service.policy() == FamilyPolicy.PREFER_DUAL_STACK;
        FreeAddresses primaryCandidate = null;
        FreeAddresses secondaryCandidate = null;
        for (Pool pool : candidates) {
            FreeAddresses free = freeIn.apply(pool);
            if (free == null) {
                continue;
            }
            if (free.get(family) != null) {
                return free;
            }
            boolean hasPrimary = free.get(primary) != null;
            boolean hasSecondary = free.get(secondary) != null;
            if (hasPrimary && hasSecondary) {
                return free;
            }
            if (!preferDual) {
                continue;
            }
            if (hasPrimary && primaryCandidate == null) {
                primaryCandidate = free;
            }
            if (hasSecondary && secondaryCandidate == null) {
                secondaryCandidate = free;
            }
        }
        return primaryCandidate != null ? primaryCandidate : secondaryCandidate;
    }
}
