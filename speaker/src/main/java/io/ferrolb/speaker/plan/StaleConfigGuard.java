package io.ferrolb.speaker.plan;

import io.ferrolb.config.Config;
import io.ferrolb.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The speaker's side of docs/compatibility.md §2.6: a new configuration is refused while it has no
 * pool for IPs this node announces. The loop then keeps the old configuration, sets
 * {@code metallb_k8s_client_config_stale_bool} to 1 and tries again on the next change; once the
 * controller has moved the Services off the removed pool, the announcements drop and the new
 * configuration passes.
 *
 * <p>"Has a pool" uses the planner's own rule (every IP of a Service in one pool), so a configuration
 * that passes never makes the planner withdraw an announced Service with {@code ipNotAllowed}.
 */
public final class StaleConfigGuard {

    /** The outcome of {@link #check}. */
    public sealed interface Verdict {

        boolean mayApply();
    }

    /** The new configuration still holds every announced IP. */
    public record Apply() implements Verdict {
        @Override
        public boolean mayApply() {
            return true;
        }
    }

    /**
     * The new configuration would orphan announced IPs; keep the old one.
     *
     * @param orphans the announced Services the new configuration has no pool for, sorted by key
     */
    public record KeepOld(List<Orphan> orphans) implements Verdict {
        public KeepOld {
            orphans = List.copyOf(orphans);
            if (orphans.isEmpty()) {
                throw new IllegalArgumentException("keeping the old configuration needs a reason");
            }
        }

        @Override
        public boolean mayApply() {
            return false;
        }

        /** One log line's worth: which Services, which IPs. */
        public String message() {
            return "new configuration rejected: no pool for announced "
                    + orphans.stream().map(Orphan::toString).collect(Collectors.joining(", "));
        }
    }

    /** An announced Service whose IPs the new configuration has no pool for. */
    public record Orphan(ServiceKey service, List<IpAddress> ips) {
        public Orphan {
            Objects.requireNonNull(service, "service");
            ips = List.copyOf(ips);
        }

        @Override
        public String toString() {
            return "service=" + service + " ips=" + ips;
        }
    }

    private StaleConfigGuard() {
    }

    /**
     * Says whether {@code next} may replace the configuration in force.
     *
     * @param announced the IPs this node currently announces, per Service
     * @param next      the newly parsed configuration
     */
    public static Verdict check(Map<ServiceKey, ? extends List<IpAddress>> announced, Config next) {
        List<Orphan> orphans = new ArrayList<>();
        announced.forEach((service, ips) -> {
            if (!ips.isEmpty() && ServicePools.poolOf(next, ips).isEmpty()) {
                orphans.add(new Orphan(service, ips));
            }
        });
        if (orphans.isEmpty()) {
            return new Apply();
        }
        orphans.sort((a, b) -> a.service().compareTo(b.service()));
        return new KeepOld(orphans);
    }

    /** {@link #check(Map, Config)} for the announcements currently applied. */
    public static Verdict check(Collection<Announcement> announced, Config next) {
        return check(announced.stream().collect(Collectors.toMap(Announcement::service, Announcement::ips,
                (a, b) -> a)), next);
    }
}
