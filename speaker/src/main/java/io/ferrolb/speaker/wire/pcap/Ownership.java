package io.ferrolb.speaker.wire.pcap;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Interfaces;
import io.ferrolb.speaker.wire.Wire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which addresses this node owns, for which Services, on which interfaces: an immutable value, so
 * that the capture threads read it without a lock while the speaker replaces it. An address is
 * owned while any Service announces it, and answered on an interface if any of those Services'
 * interface sets includes it. Pure.
 */
final class Ownership {

    static final Ownership EMPTY = new Ownership(Map.of(), Map.of());

    private final Map<IpAddress, Map<String, Interfaces>> owners;
    /** Since when each address is owned, in the capture clock's microseconds (see {@link #since}). */
    private final Map<IpAddress, Long> since;

    private Ownership(Map<IpAddress, Map<String, Interfaces>> owners, Map<IpAddress, Long> since) {
        this.owners = owners;
        this.since = since;
    }

    /**
     * This ownership with the Service announcing the address on the interfaces (replacing its
     * previous set); an address new to it counts as owned for ever (see {@link #withAll}).
     */
    Ownership with(String service, IpAddress ip, Interfaces interfaces) {
        return withAll(List.of(new Wire.Claim(service, ip, interfaces, false, false)), Long.MIN_VALUE);
    }

    /**
     * This ownership with every claim added, one copy for the whole batch; the addresses it did not
     * own yet are owned since {@code sinceMicros} (wall-clock microseconds, as the capture stamps frames).
     */
    Ownership withAll(List<Wire.Claim> claims, long sinceMicros) {
        Map<IpAddress, Map<String, Interfaces>> copy = new HashMap<>(owners);
        Map<IpAddress, Long> sinceCopy = new HashMap<>(since);
        for (Wire.Claim c : claims) {
            Map<String, Interfaces> services = new HashMap<>(copy.getOrDefault(c.ip(), Map.of()));
            services.put(c.service(), c.interfaces());
            copy.put(c.ip(), Map.copyOf(services));
            sinceCopy.putIfAbsent(c.ip(), sinceMicros);
        }
        return new Ownership(Map.copyOf(copy), Map.copyOf(sinceCopy));
    }

    /**
     * Whether a frame about {@code ip} captured at {@code capturedMicros} was sent while we owned the
     * address. One captured before is history: the previous owner answered it, or our gratuitous
     * announcement at the claim told the sender; a capture thread that lags behind a claim must not
     * answer it a second time (the client would hear two owners for one request).
     */
    boolean ownedWhenCaptured(IpAddress ip, long capturedMicros) {
        Long owned = since.get(ip);
        return owned != null && capturedMicros >= owned;
    }

    /** This ownership without the releases' claims: one copy for the whole batch. */
    Ownership withoutAll(List<Wire.Release> releases) {
        Map<IpAddress, Map<String, Interfaces>> copy = new HashMap<>(owners);
        for (Wire.Release r : releases) {
            Map<String, Interfaces> services = copy.get(r.ip());
            if (services == null || !services.containsKey(r.service())) {
                continue;
            }
            Map<String, Interfaces> rest = new HashMap<>(services);
            rest.remove(r.service());
            if (rest.isEmpty()) {
                copy.remove(r.ip());
            } else {
                copy.put(r.ip(), Map.copyOf(rest));
            }
        }
        return new Ownership(Map.copyOf(copy), sinceOf(copy));
    }

    /** This ownership without the Service's claim on the address. */
    Ownership without(String service, IpAddress ip) {
        Map<String, Interfaces> services = owners.get(ip);
        if (services == null || !services.containsKey(service)) {
            return this;
        }
        Map<IpAddress, Map<String, Interfaces>> copy = new HashMap<>(owners);
        Map<String, Interfaces> rest = new HashMap<>(services);
        rest.remove(service);
        if (rest.isEmpty()) {
            copy.remove(ip);
        } else {
            copy.put(ip, Map.copyOf(rest));
        }
        return new Ownership(Map.copyOf(copy), sinceOf(copy));
    }

    /** The claim times of the addresses still owned in {@code remaining}. */
    private Map<IpAddress, Long> sinceOf(Map<IpAddress, ?> remaining) {
        Map<IpAddress, Long> kept = new HashMap<>(since);
        kept.keySet().retainAll(remaining.keySet());
        return Map.copyOf(kept);
    }

    boolean owns(IpAddress ip) {
        return owners.containsKey(ip);
    }

    /** True if some Service announces the address on the interface. */
    boolean owns(IpAddress ip, String interfaceName) {
        Map<String, Interfaces> services = owners.get(ip);
        return services != null && services.values().stream().anyMatch(i -> i.includes(interfaceName));
    }

    Set<IpAddress> addresses() {
        return owners.keySet();
    }

    /** Every claim as a release: what withdrawing all of them takes. */
    List<Wire.Release> releases() {
        List<Wire.Release> out = new ArrayList<>();
        owners.forEach((ip, services) -> services.keySet().forEach(s -> out.add(new Wire.Release(s, ip))));
        return out;
    }
}
