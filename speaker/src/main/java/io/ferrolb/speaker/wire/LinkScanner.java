package io.ferrolb.speaker.wire;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's eligible interfaces, read from {@code /sys/class/net}: re-read at most every ten
 * seconds, as MetalLB rescans them, or at once through {@link #refresh()}.
 */
public final class LinkScanner {

    private static final Logger LOG = LoggerFactory.getLogger(LinkScanner.class);
    private static final long RESCAN_NANOS = 10_000_000_000L;

    private final Path sysClassNet;
    private final InterfaceRules rules;
    private Set<String> last = Set.of();
    private long scannedAt;
    private boolean scanned;

    public LinkScanner(Path sysClassNet, InterfaceRules rules) {
        this.sysClassNet = sysClassNet;
        this.rules = rules;
    }

    /**
     * The exclude patterns of MetalLB's {@code excludel2.yaml} ({@code announcedInterfacesToExclude}),
     * or MetalLB's defaults when the file is absent. Read once, at start-up.
     */
    public static List<String> excludePatterns(Path excludeFile) {
        if (excludeFile == null || !Files.isRegularFile(excludeFile)) {
            return InterfaceRules.DEFAULT_EXCLUDES;
        }
        try {
            Map<?, ?> doc = new KubernetesSerialization().unmarshal(Files.readString(excludeFile), Map.class);
            Object list = doc == null ? null : doc.get("announcedInterfacesToExclude");
            List<String> out = new ArrayList<>();
            if (list instanceof List<?> items) {
                items.forEach(i -> out.add(String.valueOf(i)));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read interface excludes file={} error={}; using the defaults", excludeFile, e.toString());
            return InterfaceRules.DEFAULT_EXCLUDES;
        }
    }

    /** Reads the links now (the link guard does, every few hundred ms) and caches the answer. */
    public synchronized Set<String> refresh() {
        last = scan();
        scannedAt = System.nanoTime();
        scanned = true;
        return last;
    }

    public synchronized Set<String> eligible() {
        long now = System.nanoTime();
        if (!scanned || now - scannedAt > RESCAN_NANOS) {
            last = scan();
            scannedAt = now;
            scanned = true;
        }
        return last;
    }

    /**
     * An administratively up link without carrier (cable out, the switch port down) cannot carry an
     * announcement; MetalLB still counts it, ferrolb does not. An unreadable {@code carrier} counts
     * as present, as for links that do not report it.
     */
    private static boolean hasCarrier(Path link) {
        try {
            return !"0".equals(Files.readString(link.resolve("carrier")).strip());
        } catch (IOException e) {
            return true;
        }
    }

    private Set<String> scan() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> links = Files.list(sysClassNet)) {
            for (Path link : links.toList()) {
                String name = link.getFileName().toString();
                try {
                    int flags = Integer.decode(Files.readString(link.resolve("flags")).strip());
                    boolean enslaved = Files.exists(link.resolve("master"));
                    if (rules.eligible(new InterfaceRules.Link(name, flags, enslaved)) && hasCarrier(link)) {
                        out.add(name);
                    }
                } catch (IOException | NumberFormatException e) {
                    LOG.debug("skipping link {}: {}", name, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {} error={}", sysClassNet, e.toString());
        }
        return out;
    }
}
