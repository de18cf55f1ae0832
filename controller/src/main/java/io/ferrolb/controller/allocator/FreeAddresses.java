package io.ferrolb.controller.allocator;

import io.ferrolb.net.IpAddress;
import java.util.List;

/** The lowest free address of each family one pool offers a Service; either may be null. */
record FreeAddresses(String pool, IpAddress v4, IpAddress v6) {

    IpAddress get(Family family) {
        return switch (family) {
            case IPV4 -> v4;
            case IPV6 -> v6;
            default -> null;
        };
    }

    /**
     * The addresses for a Service of this family and policy, v4 first, or null: a single-family
     * Service gets its family's; a dual-stack one both (Require), or both or either (Prefer).
     */
    List<IpAddress> select(Family family, FamilyPolicy policy) {
        if (family == Family.IPV4) {
            return v4 == null ? null : List.of(v4);
        }
        if (family == Family.IPV6) {
            return v6 == null ? null : List.of(v6);
        }
        return switch (policy) {
            case SINGLE_STACK -> null;
            case REQUIRE_DUAL_STACK -> v4 != null && v6 != null ? List.of(v4, v6) : null;
            case PREFER_DUAL_STACK -> {
                if (v4 != null && v6 != null) {
                    yield List.of(v4, v6);
                }
                yield v4 != null ? List.of(v4) : v6 != null ? List.of(v6) : null;
            }
        };
    }

    String noneFor(Family family) {
        return "no available IPs in pool " + pool + " for " + family + " IPFamily";
    }
}
