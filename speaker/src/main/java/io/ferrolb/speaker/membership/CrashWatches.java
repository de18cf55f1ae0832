package io.ferrolb.speaker.membership;

import java.util.HashSet;
import java.util.Set;

/**
 * Which members the crash watch watches (docs/design.md §4.6): every member SWIM lists, except
 * those whose crash verdict SWIM contradicted (for them a refusal is evidently no proof), or none
 * when the watch is off. The membership's view of it: membership thread only, except
 * {@link #refusesWithoutProof}, which the transport asks from scalecube's threads.
 */
final class CrashWatches implements AutoCloseable {

    /** null when the crash watch is off. */
    private final CrashWatch watch;
    /** Member ids whose crash verdict SWIM contradicted. */
    private final Set<String> untrusted = new HashSet<>();

    CrashWatches(CrashWatch watch) {
        this.watch = watch;
    }

    static CrashWatches off() {
        return new CrashWatches(null);
    }

    /** Whether the crash watch runs: then it alone may take a refusal for a crash. */
    boolean on() {
        return watch != null;
    }

    /** SWIM lists the member: watch it, unless its verdict was contradicted before. */
    void added(String id, String endpoint) {
        if (watch != null && !untrusted.contains(id)) {
            watch.watch(id, endpoint);
        }
    }

    /** The member left SWIM's list: nothing to watch, nothing to remember. */
    void gone(String id) {
        untrusted.remove(id);
        unwatch(id);
    }

    /** The member is leaving: a refusal would only tell what its leave already says. */
    void unwatch(String id) {
        if (watch != null) {
            watch.unwatch(id);
        }
    }

    /** SWIM contradicted the member's crash verdict: the watch stays off for it (it stopped itself). */
    void distrust(String id) {
        untrusted.add(id);
    }

    /** See {@link CrashWatch#refusesWithoutProof}; false when the watch is off. Safe from any thread. */
    boolean refusesWithoutProof(String endpoint) {
        return watch != null && watch.refusesWithoutProof(endpoint);
    }

    /** See {@link CrashWatch#describe}. */
    String describe(String endpoint) {
        return watch == null ? "off" : watch.describe(endpoint);
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
