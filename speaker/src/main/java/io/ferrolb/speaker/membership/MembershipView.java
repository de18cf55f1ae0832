package io.ferrolb.speaker.membership;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the speaker loop needs from membership: the node names whose speakers are alive (this node
 * included; leaving members excluded) and whether this speaker has joined, i.e. may announce.
 *
 * @param alive node names of the live speakers, this node included (sorted)
 * @param joined whether the join gate has opened
 * @param departed node names out of the view for certain, not on a failure detector's suspicion:
 *     they announced their leave, or the crash watch saw their process end (until SWIM removes them)
 */
public record MembershipView(Set<String> alive, boolean joined, Set<String> departed) {

    public MembershipView {
        alive = Collections.unmodifiableSortedSet(new TreeSet<>(alive));
        departed = Collections.unmodifiableSortedSet(new TreeSet<>(departed));
    }

    /** A view with no certain departure. */
    public MembershipView(Set<String> alive, boolean joined) {
        this(alive, joined, Set.of());
    }
}
