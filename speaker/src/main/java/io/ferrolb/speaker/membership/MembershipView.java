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
 */
public record MembershipView(Set<String> alive, boolean joined) {

    public MembershipView {
        alive = Collections.unmodifiableSortedSet(new TreeSet<>(alive));
    }
}
