package io.ferrolb.speaker.plan;

import java.util.Collection;
import java.util.Set;

/**
 * Which nodes run a live speaker, as far as this speaker knows: the alive members of the gossip
 * group (whose member names are node names, this node included), or, with membership turned off,
 * every Node (docs/compatibility.md §3.4: not a fallback to node readiness).
 */
public sealed interface LiveSpeakers {

    /** The nodes whose speakers are alive in the gossip view. */
    record Known(Set<String> alive) implements LiveSpeakers {
        public Known {
            alive = Set.copyOf(alive);
        }
    }

    /** Membership is off: every known Node counts as running a speaker. */
    record EveryNode() implements LiveSpeakers {
    }

    /** The alive members of a gossip view; it should hold this node's own name while its speaker runs. */
    static LiveSpeakers of(Collection<String> alive) {
        return new Known(Set.copyOf(alive));
    }

    /** Membership turned off (Helm {@code speaker.memberlist.enabled: false}). */
    static LiveSpeakers everyNode() {
        return new EveryNode();
    }
}
