package io.ferrolb.speaker.plan;

import io.ferrolb.net.GoQuote;
import io.ferrolb.net.IpAddress;
import java.util.List;
import java.util.Objects;

/** This node must not announce a Service; {@link #reason()} says why, in MetalLB's words. */
public sealed interface NotAnnounced extends Decision {

    Reason reason();

    /**
     * Whether no node at all announces the Service for this decision's reason, so that users must
     * be told ({@code notAnnounced}); false when another node may announce it.
     */
    default boolean dark() {
        return false;
    }

    /**
     * The Service fails a check before or instead of the election.
     *
     * @param reason any reason but {@link Reason#NOT_OWNER} and {@link Reason#ANNOUNCE_FAILED},
     *               which have their own types
     * @param detail a short human-readable explanation for the log line and the event
     * @param dark   whether no node announces the Service (the same on every node)
     */
    record Skipped(ServiceKey service, Reason reason, String detail, boolean dark) implements NotAnnounced {
        public Skipped {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(detail, "detail");
            if (reason == Reason.NOT_OWNER || reason == Reason.ANNOUNCE_FAILED) {
                throw new IllegalArgumentException(reason + " has its own decision type");
            }
        }

        /** A skip whose darkness follows from its reason alone. */
        public Skipped(ServiceKey service, Reason reason, String detail) {
            this(service, reason, detail, reason.alwaysDark());
        }
    }

    /**
     * Another node won the election.
     *
     * @param ips       the Service's ingress IPs
     * @param winner    the node that announces them
     * @param candidate whether this node was among the election's candidates, so that it announces
     *                  the Service as soon as the winner goes away: its handoff rules stand by
     *                  (docs/design.md §8.1)
     */
    record NotOwner(ServiceKey service, List<IpAddress> ips, String winner, boolean candidate)
            implements NotAnnounced {
        public NotOwner {
            Objects.requireNonNull(service, "service");
            ips = List.copyOf(ips);
            Objects.requireNonNull(winner, "winner");
        }

        @Override
        public Reason reason() {
            return Reason.NOT_OWNER;
        }
    }

    /**
     * This node won, but none of the interfaces the advertisements ask for exists here, so the
     * Service stays dark: the election is not re-run (docs/compatibility.md §3.8).
     *
     * @param ips       the Service's ingress IPs, none of which is announced
     * @param requested the interfaces the advertisements selecting this node name
     * @param node      this node: the winner
     */
    record AnnounceFailed(ServiceKey service, List<IpAddress> ips, Interfaces.Only requested, String node)
            implements NotAnnounced {
        public AnnounceFailed {
            Objects.requireNonNull(service, "service");
            ips = List.copyOf(ips);
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(node, "node");
        }

        @Override
        public Reason reason() {
            return Reason.ANNOUNCE_FAILED;
        }

        @Override
        public boolean dark() {
            return true;
        }

        /** The Warning event messages MetalLB emits with reason {@code announceFailed}: one per IP. */
        public List<String> eventMessages() {
            return ips.stream().map(ip -> "the interfaces specified by LB IP " + GoQuote.quote(ip.toString())
                    + " doesn't exist in assigned node " + GoQuote.quote(node) + " with protocol \"layer2\"").toList();
        }
    }
}
