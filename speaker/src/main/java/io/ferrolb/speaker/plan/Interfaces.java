package io.ferrolb.speaker.plan;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The interfaces an announcement answers and announces on (docs/compatibility.md §3.8): every
 * eligible interface of the node, or only the named ones. ServiceL2Status lists interfaces only in the second case.
 */
public sealed interface Interfaces {

    /** True if the announcement uses the interface. */
    boolean includes(String interfaceName);

    /** Every eligible (non-excluded) interface. */
    record All() implements Interfaces {
        @Override
        public boolean includes(String interfaceName) {
            return true;
        }
    }

    /** Only the named interfaces, sorted. */
    record Only(SortedSet<String> names) implements Interfaces {
        public Only {
            names = Collections.unmodifiableSortedSet(new TreeSet<>(names));
            if (names.isEmpty()) {
                throw new IllegalArgumentException("an interface restriction needs at least one name");
            }
        }

        @Override
        public boolean includes(String interfaceName) {
            return names.contains(interfaceName);
        }
    }

    /** No restriction. */
    static Interfaces all() {
        return new All();
    }

    /** A restriction to at least one named interface. */
    static Interfaces only(Collection<String> names) {
        return new Only(new TreeSet<>(names));
    }
}
