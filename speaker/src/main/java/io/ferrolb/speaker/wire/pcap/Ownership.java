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

    static final Ownership EMPTY = new Ownership(Map.of());

    private final Map<IpAddress, Map<String, Interfaces>> owners;

    private Ownership(Map<IpAddress, Map<String, Interfaces>> owners) {
        this.owners = owners;
    }

    /** This ownership with the Service announcing the address on the interfaces (replacing its previous set). */
    Ownership with(String service, IpAddress ip, Interfaces interfaces) {
        Map<IpAddress, Map<String, Interfaces>> copy = new HashMap<>(owners);
        Map<String, Interfaces> services = new HashMap<>(copy.getOrDefault(ip, Map.of()));
        services.put(service, interfaces);
        copy.put(ip, Map.copyOf(services));
        return new Ownership(Map.copyOf(copy));
    }

    /** This ownership with every claim added: one copy for the whole batch. */
    Ownership withAll(List<Wire.Claim> claims) {
        Map<IpAddress, Map<String, Interfaces>> copy = new HashMap<>(owners);
        for (Wire.Claim c : claims) {
            Map<String, Interfaces> services = new HashMap<>(copy.getOrDefault(c.ip(), Map.of()));
            services.put(c.service(), c.interfaces());
            copy.put(c.ip(), Map.copyOf(services));
        }
        return new Ownership(Map.copyOf(copy));
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
        return new Ownership(Map.copyOf(copy));
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
        return new Ownership(Map.copyOf(copy));
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
