package io.ferrolb.controller.allocator;

import io.ferrolb.net.IpAddress;
import java.util.List;

/** The outcome of asking the allocator for addresses. */
public sealed interface AllocationResult {

    /** The Service holds these addresses (v4 first in dual stack) from this pool. */
    record Assigned(List<IpAddress> ips, String pool) implements AllocationResult {
        public Assigned {
            ips = List.copyOf(ips);
        }
    }

    /** Nothing changed; {@code reason} is MetalLB's error text. */
    record Failed(String reason) implements AllocationResult {
    }

    default boolean succeeded() {
        return this instanceof Assigned;
    }
}
