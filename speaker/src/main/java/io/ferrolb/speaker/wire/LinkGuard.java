package io.ferrolb.speaker.wire;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
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
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "link-guard");
        t.setDaemon(true);
        return t;
    });
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

    /** Starts watching; {@code usableNow} is what the caller acted on at start. */
    public LinkGuard start(boolean usableNow) {
        last = links.refresh();
        reportedUsable = usableNow;
        timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
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
            if (reportedUsable) {
                reportedUsable = false;
                LOG.warn("no interface can carry announcements: stepping down until a link is back");
                usable.accept(false);
            }
        } else if (!reportedUsable) {
            if (usableSince < 0) {
                usableSince = nanos;
            }
            if (nanos - usableSince >= holdDown.toNanos()) {
                reportedUsable = true;
                LOG.info("interfaces usable again interfaces={}", now);
                usable.accept(true);
            }
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
