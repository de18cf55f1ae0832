package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapNativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture filters {@link FilterKeeper} compiled ahead for the batches the wire expects to
 * claim, each usable once: a set program belongs to its capture, which frees it. Not thread-safe:
 * the keeper calls it under its lock, and compiles outside it.
 */
final class ReadyFilters {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyFilters.class);

    /** A filter compiled ahead: what it passes and its program for each capture. Compared by identity. */
    static final class Ready {
        final Set<IpAddress> passes;
        final String expression;
        final Map<CapturePort, BpfProgram> programs;

        private Ready(Set<IpAddress> passes, String expression, Map<CapturePort, BpfProgram> programs) {
            this.passes = passes;
            this.expression = expression;
            this.programs = programs;
        }

        private boolean isFor(Set<CapturePort> targets) {
            return identitySet(programs.keySet()).equals(targets);
        }

        void free() {
            programs.values().forEach(BpfProgram::free);
        }
    }

    private List<Ready> ready = List.of();
    private boolean closed;

    /**
     * The programs of one expression for every capture, or null (and a warning) if one fails; slow
     * for long expressions, so called outside the keeper's lock. Also what the keeper's own
     * narrowing compiles.
     */
    static Ready compile(String expression, Set<IpAddress> passes, Set<CapturePort> targets) {
        Map<CapturePort, BpfProgram> programs = new IdentityHashMap<>();
        try {
            for (CapturePort port : targets) {
                programs.put(port, port.compile(expression));
            }
            return new Ready(passes, expression, programs);
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            programs.values().forEach(BpfProgram::free);
            LOG.warn("capture filter not compiled error={}", e.toString());
            return null;
        }
    }

    /** Removes and returns a filter for these captures that passes every address needed, if any. */
    Ready take(Set<IpAddress> needed, Set<CapturePort> targets) {
        Ready match = ready.stream().filter(r -> r.passes.containsAll(needed) && r.isFor(targets))
                .findFirst().orElse(null);
        if (match != null) {
            List<Ready> rest = new ArrayList<>(ready);
            rest.remove(match);
            ready = List.copyOf(rest);
        }
        return match;
    }

    /** The filters ready for these captures, by what they pass: those a new round may keep. */
    Map<Set<IpAddress>, Ready> reusable(Set<CapturePort> targets) {
        Map<Set<IpAddress>, Ready> out = new HashMap<>();
        ready.stream().filter(r -> r.isFor(targets)).forEach(r -> out.put(r.passes, r));
        return out;
    }

    /**
     * Replaces the filters ready by those compiled and those kept from {@link #reusable} that were
     * not taken since; frees the rest.
     */
    void replace(List<Ready> compiled, List<Ready> kept) {
        if (closed) {
            compiled.forEach(Ready::free);
            return;
        }
        Set<Ready> current = identitySet(ready);
        List<Ready> next = new ArrayList<>(compiled);
        kept.stream().filter(current::contains).forEach(next::add);
        current.removeAll(next);
        current.forEach(Ready::free);
        ready = List.copyOf(next);
    }

    /** What each filter ready passes, by size, for tests. */
    List<Integer> sizes() {
        return ready.stream().map(r -> r.passes.size()).sorted().toList();
    }

    /** Frees every filter; later ones are freed as they come. */
    void close() {
        closed = true;
        ready.forEach(Ready::free);
        ready = List.of();
    }

    static <T> Set<T> identitySet(Collection<T> items) {
        Set<T> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(items);
        return set;
    }
}
