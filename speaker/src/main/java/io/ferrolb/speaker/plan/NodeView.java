package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.ferrolb.config.Advertisement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes as the election sees them, built once per plan (docs/compatibility.md §3.2 step 4,
 * §3.4): their labels, and the nodes eligible before any advertisement filter, i.e. live speakers (or every Node
 * when membership is disabled) that are known Nodes, not NetworkUnavailable and not excluded. What
 * each advertisement makes of them is computed once per advertisement and reused by every Service.
 */
final class NodeView {

    static final String EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
    static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";

    /** An advertisement's share of the eligible nodes: those it selects and their preference scores. */
    private record AdNodes(Set<String> selected, Map<String, Integer> scores) {
    }

    private final Map<String, Map<String, String>> labels;
    private final Set<String> eligible;
    // Keyed by identity: one Config shares an Advertisement instance among the pools it announces.
    private final Map<Advertisement, AdNodes> byAd = new IdentityHashMap<>();

    private NodeView(Map<String, Map<String, String>> labels, Set<String> eligible) {
        this.labels = labels;
        this.eligible = eligible;
    }

    static NodeView of(Collection<Node> nodes, LiveSpeakers liveSpeakers, boolean ignoreExcludeLb) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        Set<String> usable = new HashSet<>();
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            Map<String, String> own = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            labels.put(name, own);
            boolean excluded = !ignoreExcludeLb && own.containsKey(EXCLUDE_LABEL);
            if (!excluded && !networkUnavailable(node)) {
                usable.add(name);
            }
        }
        // A live member without a Node object has unknown labels, so no advertisement can select it.
        if (liveSpeakers instanceof LiveSpeakers.Known members) {
            usable.retainAll(members.alive());
        }
        return new NodeView(labels, usable);
    }

    /** The first NetworkUnavailable condition decides; only status "True" counts, as in MetalLB. */
    static boolean networkUnavailable(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        for (NodeCondition condition : node.getStatus().getConditions()) {
            if (NETWORK_UNAVAILABLE.equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    /** The advertisements that let {@code node} announce; none when the node is unknown. */
    List<Advertisement> selecting(List<Advertisement> ads, String node) {
        Map<String, String> own = labels.get(node);
        if (own == null) {
            return List.of();
        }
        return ads.stream().filter(ad -> ad.selectsNode(own)).toList();
    }

    /** The eligible nodes selected by at least one of the advertisements; a fresh, mutable set. */
    Set<String> candidates(List<Advertisement> ads) {
        Set<String> out = new HashSet<>();
        for (Advertisement ad : ads) {
            out.addAll(of(ad).selected());
        }
        return out;
    }

    /** Each candidate's preference score summed over the advertisements; zero scores left out. */
    Map<String, Integer> scores(List<Advertisement> ads, Set<String> candidates) {
        Map<String, Integer> out = new HashMap<>();
        for (Advertisement ad : ads) {
            of(ad).scores().forEach((node, score) -> {
                if (candidates.contains(node)) {
                    out.merge(node, score, Integer::sum);
                }
            });
        }
        return out;
    }

    private AdNodes of(Advertisement ad) {
        return byAd.computeIfAbsent(ad, this::compute);
    }

    private AdNodes compute(Advertisement ad) {
        Set<String> selected = new HashSet<>();
        Map<String, Integer> scores = new HashMap<>();
        for (String node : eligible) {
            Map<String, String> own = labels.get(node);
            if (ad.selectsNode(own)) {
                selected.add(node);
                int score = ad.preferenceScore(own);
                if (score != 0) {
                    scores.put(node, score);
                }
            }
        }
        return new AdNodes(Set.copyOf(selected), Map.copyOf(scores));
    }
}
