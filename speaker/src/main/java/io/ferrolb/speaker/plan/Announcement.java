package io.ferrolb.speaker.plan;

import io.ferrolb.net.IpAddress;
import java.util.List;
import java.util.Objects;

/**
 * This node won the election for a Service and must announce all its ingress IPs.
 *
 * @param service    the Service
 * @param ips        every ingress IP, in {@code status.loadBalancer.ingress} order (both families in
 *                   dual stack)
 * @param pool       the IPAddressPool holding the IPs
 * @param interfaces where to answer and announce: the union over the applicable advertisements that
 *                   select this node
 * @param node       the announcing node: this one
 */
public record Announcement(ServiceKey service, List<IpAddress> ips, String pool, Interfaces interfaces,
                           String node) implements Decision {

    public Announcement {
        Objects.requireNonNull(service, "service");
        ips = List.copyOf(ips);
        if (ips.isEmpty()) {
            throw new IllegalArgumentException("an announcement needs at least one IP");
        }
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(interfaces, "interfaces");
        Objects.requireNonNull(node, "node");
    }
}
