package io.ferrolb.speaker.membership;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How this speaker takes part in the gossip group.
 *
 * @param nodeName the member alias: the node name ({@code spec.nodeName}), which the election uses
 * @param bindAddress the address the TCP transport listens on (the host IP, since hostNetwork)
 * @param advertiseAddress the address other members dial; must not be a wildcard. scalecube would
 *     otherwise advertise {@code InetAddress.getLocalHost()}, which inside a namespace is 127.0.0.1
 * @param port the TCP port, bound and advertised (MetalLB's default 7946)
 * @param timers the SWIM timers
 * @param joinDeadline how long after {@link Membership#start()} the join gate waits at most
 * @param joinSettle how long the view must be quiet after a sync before a partial set of reachable
 *     peers counts as joined (the sync's records are merged asynchronously)
 * @param peerRefreshInterval how often the peer list is re-resolved once joined
 * @param rejoinInterval how often peers that are listed but not in the view are sent a sync; also
 *     the peer re-resolve period while the gate is closed
 * @param crashWatch whether a member whose membership port starts refusing connections counts as
 *     gone at once ({@link CrashWatch}) rather than after SWIM's suspicion timeout
 */
public record MembershipSettings(
        String nodeName,
        InetAddress bindAddress,
        InetAddress advertiseAddress,
        int port,
        SwimTimers timers,
        Duration joinDeadline,
        Duration joinSettle,
        Duration peerRefreshInterval,
        Duration rejoinInterval,
        boolean crashWatch) {

    /** MetalLB's memberlist port; ferrolb uses it for TCP only. */
    public static final int DEFAULT_PORT = 7946;

    public MembershipSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertiseAddress, "advertiseAddress");
        Objects.requireNonNull(timers, "timers");
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must be set (the member alias is the node name)");
        }
        if (advertiseAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException("advertiseAddress must be a concrete address, got "
                    + advertiseAddress.getHostAddress());
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        positive("joinDeadline", joinDeadline);
        positive("peerRefreshInterval", peerRefreshInterval);
        positive("rejoinInterval", rejoinInterval);
        if (joinSettle == null || joinSettle.isNegative()) {
            throw new IllegalArgumentException("joinSettle must be >= 0, got " + joinSettle);
        }
        if (joinDeadline.compareTo(timers.syncTimeout()) < 0) {
            throw new IllegalArgumentException("joinDeadline " + joinDeadline.toMillis()
                    + " ms is shorter than the initial sync timeout " + timers.syncTimeout().toMillis() + " ms");
        }
    }

    /**
     * Defaults for a node: bind and advertise {@code hostAddress}, port 7946, {@link SwimTimers#ferrolb()},
     * a 10 s join deadline (a one-time cost paid only when no listed peer answers at start).
     */
    public static MembershipSettings defaults(String nodeName, InetAddress hostAddress) {
        return new MembershipSettings(nodeName, hostAddress, hostAddress, DEFAULT_PORT, SwimTimers.ferrolb(),
                Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(1), true);
    }

    public MembershipSettings withPort(int newPort) {
        return new MembershipSettings(nodeName, bindAddress, advertiseAddress, newPort, timers, joinDeadline,
                joinSettle, peerRefreshInterval, rejoinInterval, crashWatch);
    }

    public MembershipSettings withTimers(SwimTimers newTimers) {
        return new MembershipSettings(nodeName, bindAddress, advertiseAddress, port, newTimers, joinDeadline,
                joinSettle, peerRefreshInterval, rejoinInterval, crashWatch);
    }

    public MembershipSettings withJoinDeadline(Duration newDeadline) {
        return new MembershipSettings(nodeName, bindAddress, advertiseAddress, port, timers, newDeadline,
                joinSettle, peerRefreshInterval, rejoinInterval, crashWatch);
    }

    /** With or without the {@link CrashWatch} (off: crashes are found by SWIM alone, for comparison). */
    public MembershipSettings withCrashWatch(boolean enabled) {
        return new MembershipSettings(nodeName, bindAddress, advertiseAddress, port, timers, joinDeadline,
                joinSettle, peerRefreshInterval, rejoinInterval, enabled);
    }

    /** The {@code host:port} string scalecube uses as this member's address. */
    public String advertisedEndpoint() {
        return Endpoints.of(advertiseAddress, port);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }
}
