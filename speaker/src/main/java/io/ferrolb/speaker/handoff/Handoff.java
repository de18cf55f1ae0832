package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands traffic for announced addresses to the node's NodePorts where kube-proxy does not serve
 * them already (docs/design.md §8). Idempotent: installing the same mapping twice changes nothing.
 */
public interface Handoff extends AutoCloseable {

    /** What one Service's rules hand over: its addresses and their port mappings. */
    record Target(List<IpAddress> ips, List<PortMapping> ports) {
        public Target {
            ips = List.copyOf(ips);
            ports = List.copyOf(ports);
        }
    }

    void install(String service, List<IpAddress> ips, List<PortMapping> ports);

    void remove(String service);

    /**
     * Removes and installs a batch of Services' rules as one change: a takeover of hundreds of
     * addresses costs one transaction where the tool allows it, not one per rule.
     *
     * @throws HandoffException when the change could not be made; none of the batch then counts as done
     */
    default void apply(Map<String, Target> install, Set<String> remove) {
        remove.forEach(this::remove);
        install.forEach((service, target) -> install(service, target.ips(), target.ports()));
    }

    /**
     * Whether rules may stand by on a node that does not announce their addresses, so that a
     * takeover needs no rule change (docs/design.md §8.1): harmless where the rules only act on
     * traffic that reaches the node, which ARP brings to the announcing node alone.
     */
    default boolean standsBy() {
        return true;
    }

    /**
     * Converges to exactly what is installed now, removing what a previous run left behind. The
     * loop calls it once, after its first plan is applied, so a restart never cuts traffic it owns.
     */
    default void reconcile() {
    }

    /** Removes everything this speaker installed. */
    @Override
    void close();

    /** The chart's default: kube-proxy serves LoadBalancer IPs itself. */
    static Handoff none() {
        return new Handoff() {
            @Override
            public void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
            }

            @Override
            public void remove(String service) {
            }

            @Override
            public void close() {
            }
        };
    }
}
