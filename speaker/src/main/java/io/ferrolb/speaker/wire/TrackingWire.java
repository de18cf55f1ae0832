package io.ferrolb.speaker.wire;

import io.ferrolb.net.IpAddress;
import io.ferrolb.speaker.plan.Interfaces;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wire that sends nothing: it only keeps track of which Services own which addresses. The
 * speaker uses it with {@code --wire=none}, where something else answers ARP (tests of the
 * control logic, or a deployment that only wants ServiceL2Status); the packet wire replaces it.
 */
public final class TrackingWire implements Wire {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingWire.class);

    private final Supplier<Set<String>> interfaces;
    private final Map<IpAddress, Set<String>> owners = new HashMap<>();

    public TrackingWire(Supplier<Set<String>> interfaces) {
        this.interfaces = interfaces;
    }

    @Override
    public synchronized void announce(String service, IpAddress ip, Interfaces on, boolean takeover) {
        owners.computeIfAbsent(ip, k -> new HashSet<>()).add(service);
        LOG.debug("own ip={} service={} interfaces={}", ip, service, on);
    }

    @Override
    public synchronized void withdraw(String service, IpAddress ip) {
        Set<String> services = owners.get(ip);
        if (services != null && services.remove(service) && services.isEmpty()) {
            owners.remove(ip);
        }
    }

    /** The addresses owned now. */
    public synchronized Set<IpAddress> owned() {
        return Set.copyOf(owners.keySet());
    }

    @Override
    public Set<String> interfaces() {
        return interfaces.get();
    }

    @Override
    public synchronized void close() {
        owners.clear();
    }
}
