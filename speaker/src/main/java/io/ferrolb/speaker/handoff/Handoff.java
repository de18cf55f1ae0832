package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import java.util.List;

/**
 * Hands traffic for announced addresses to the node's NodePorts where kube-proxy does not serve
 * them already (docs/design.md §8). Idempotent: installing the same mapping twice changes nothing.
 */
public interface Handoff extends AutoCloseable {

    void install(String service, List<IpAddress> ips, List<PortMapping> ports);

    void remove(String service);

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
