package io.ferrolb.speaker.loop;

import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.NotAnnounced;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.ServiceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who held a Service before this node acquires it: the winner of this node's previous plan, and the
 * speakers the cluster's ServiceL2Status names (which survive this speaker's restarts). Only on
 * those Services may a foreign ARP claim right after the acquisition be the previous owner; from a
 * live one, the wire waits until it has stopped answering.
 */
final class PreviousOwners {

    private final String node;
    /** The winner of each Service in the previous plan that this node did not win. */
    private Map<ServiceKey, String> otherWinners = Map.of();

    PreviousOwners(String node) {
        this.node = node;
    }

    /** Remembers the winners of a plan just applied. */
    void planned(Plan plan) {
        Map<ServiceKey, String> out = new HashMap<>();
        plan.decisions().forEach((key, d) -> {
            if (d instanceof NotAnnounced.NotOwner owner) {
                out.put(key, owner.winner());
            }
        });
        otherWinners = out;
    }

    /**
     * The Services about to be acquired that another speaker held until now, each with whether that
     * speaker is alive still.
     *
     * @param wanted the Services this node should announce
     * @param live the view the plan was made on
     * @param announcers per Service, the speakers its ServiceL2Status objects name
     * @param announcedHere whether this node announces a Service already (then it acquires nothing)
     */
    Map<ServiceKey, Boolean> heldElsewhere(Set<ServiceKey> wanted, LiveSpeakers live,
            Map<ServiceKey, Set<String>> announcers, Predicate<ServiceKey> announcedHere) {
        Map<ServiceKey, Boolean> out = new HashMap<>();
        for (ServiceKey key : wanted) {
            if (announcedHere.test(key)) {
                continue;
            }
            Set<String> holders = new HashSet<>(announcers.getOrDefault(key, Set.of()));
            String winner = otherWinners.get(key);
            if (winner != null) {
                holders.add(winner);
            }
            holders.remove(node);
            if (!holders.isEmpty()) {
                out.put(key, live instanceof LiveSpeakers.Known known
                        && holders.stream().anyMatch(known.alive()::contains));
            }
        }
        return out;
    }
}
