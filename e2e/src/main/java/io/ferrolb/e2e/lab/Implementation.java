package io.ferrolb.e2e.lab;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which load balancer the lab runs: ferrolb, or MetalLB's own binaries (built from its Go module by
 * tools/peers/metallb/build.sh) as the yardstick. The names are those each one's Helm chart gives.
 */
public enum Implementation {

    FERROLB("ferrolb-controller", "ferrolb-speaker", "ferrolb-memberlist",
            Map.of("app.kubernetes.io/name", "ferrolb", "app.kubernetes.io/component", "speaker")),
    METALLB("controller", "speaker", "memberlist", Map.of("app", "metallb", "component", "speaker"));

    private final String controller;
    private final String speaker;
    private final String memberlistSecret;
    private final Map<String, String> speakerLabels;

    Implementation(String controller, String speaker, String memberlistSecret, Map<String, String> speakerLabels) {
        this.controller = controller;
        this.speaker = speaker;
        this.memberlistSecret = memberlistSecret;
        this.speakerLabels = Map.copyOf(speakerLabels);
    }

    /** {@code ferrolb} or {@code metallb}, as {@code --impl} takes it. */
    public static Implementation parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--impl must be ferrolb or metallb, not " + text);
        }
    }

    /** The controller's Deployment (and ServiceAccount) name. */
    public String controller() {
        return controller;
    }

    /** The speaker DaemonSet's (and ServiceAccount's) name. */
    public String speaker() {
        return speaker;
    }

    public String speakerPod(String node) {
        return speaker + "-" + node;
    }

    public String memberlistSecret() {
        return memberlistSecret;
    }

    public Map<String, String> speakerLabels() {
        return speakerLabels;
    }

    /** The speakers' labels as a selector, for {@code --ml-labels}. */
    public String speakerSelector() {
        return speakerLabels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
