package io.ferrolb.speaker.plan;

import java.util.Collection;
import java.util.Set;

/**
 * Which nodes run a live speaker, as far as this speaker knows: the member set of the gossip group
 * (whose member names are node names, this node included), or "membership disabled", in which case
 * every Node object is assumed to run one (COMPAT §3.4: not a fallback to node readiness).
 */
public sealed interface Membership {

    /** The nodes whose speakers are alive in the gossip view. */
    record Members(Set<String> alive) implements Membership {
        public Members {
            alive = Set.copyOf(alive);
        }
    }

    /** Gossip is off: every known Node is a candidate. */
    record Disabled() implements Membership {
    }

    /** The view of a gossip group; it should hold this node's own name while its speaker runs. */
    static Membership of(Collection<String> alive) {
        return new Members(Set.copyOf(alive));
    }

    /** Membership turned off (Helm {@code speaker.memberlist.enabled: false}). */
    static Membership disabled() {
        return new Disabled();
    }
}
