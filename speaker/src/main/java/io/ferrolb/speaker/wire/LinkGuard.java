package io.ferrolb.speaker.wire;

import io.ferrolb.common.Daemons;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the node's eligible interfaces every {@code period} and reports changes, so that a link
 * going down is acted on in a fraction of a second instead of at MetalLB's ten-second rescan.
 * {@code usable} hears "no eligible interface left" (false) at once, and "usable again" (true) only
 * after the links have been up for {@code holdDown}, so that a flapping link does not make the
 * speaker flap with it.
 */
public final class LinkGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkGuard.class);

    private final LinkScanner links;
    private final Runnable changed;
    private final Consumer<Boolean> usable;
    private final Duration period;
    private final Duration holdDown;
    private final ScheduledExecutorService timer = Daemons.singleThread("link-guard");
    private Set<String> last;
    private boolean reportedUsable = true;
    private long usableSince = -1;

    public LinkGuard(LinkScanner links, Duration period, Duration holdDown, Runnable changed,
            Consumer<Boolean> usable) {
        this.links = links;
        this.period = period;
        this.holdDown = holdDown;
        this.changed = changed;
        this.usable = usable;
    }

    /**
     * Starts watching. {@code actedOn} are the interfaces the caller saw when it built its parts
     * and {@code usableNow} what it decided from them: a link that came up or went away since (a
     * speaker started behind a downed link lists its caches only once the link is back) is then a
     * change at the first check, so the wire opens its capture at once instead of at its rescan.
     */
    public LinkGuard start(boolean usableNow, Set<String> actedOn) {
        begin(usableNow, actedOn);
        timer.scheduleWithFixedDelay(this::check, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The state {@link #start} begins from; package-private so tests can drive the guard. */
    void begin(boolean usableNow, Set<String> actedOn) {
        last = Set.copyOf(actedOn);
        reportedUsable = usableNow;
    }

    /** One observation; package-private so tests can drive it with a chosen clock. */
    void observe(Set<String> now, long nanos) {
        if (!now.equals(last)) {
            LOG.info("eligible interfaces changed from={} to={}", last, now);
            last = now;
            changed.run();
        }
        if (now.isEmpty()) {
            usableSince = -1;
            if (reportedUsable && tell(false, nanos)) {
                LOG.warn("no interface can carry announcements: stepped down until a link is back");
            }
        } else if (!reportedUsable) {
            if (usableSince < 0) {
                usableSince = nanos;
            }
            if (nanos - usableSince >= holdDown.toNanos() && tell(true, nanos)) {
                LOG.info("interfaces usable again interfaces={}", now);
            }
        }
    }

    /**
     * Tells the listener and remembers what it acted on. A listener that throws (a join that
     * failed) has not acted: the state stays as it was, and "usable" is told again after another
     * hold-down, so that a failed join is retried instead of leaving the speaker out for good.
     */
    private boolean tell(boolean nowUsable, long nanos) {
        try {
            usable.accept(nowUsable);
            reportedUsable = nowUsable;
            return true;
        } catch (RuntimeException e) {
            LOG.error("acting on interfaces {} failed, retrying error={}", nowUsable ? "usable" : "unusable",
                    e.toString());
            usableSince = nowUsable ? nanos : -1;
            return false;
        }
    }

    private void check() {
        try {
            observe(links.refresh(), System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("link check failed error={}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
