package io.ferrolb.controller.differential;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.ferrolb.config.Config;
import io.ferrolb.config.ConfigException;
import io.ferrolb.controller.allocator.Allocator;
import io.ferrolb.controller.allocator.PoolSet;
import io.ferrolb.controller.convergence.Outcome;
import io.ferrolb.controller.convergence.ServiceHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether a side's answer after a step is one that serving the Services in some order gives.
 * MetalLB v0.16.1 reprocesses every Service after a pool change, those holding more addresses first
 * and the rest in its cache's map order, so with k Services wanting addresses it takes one of k!
 * orders at random. The oracle replays the step with ferrolb's own pure allocator: Services that
 * held addresses before the step first (most addresses first, as MetalLB sorts them), then every
 * order of the others, each from a fresh allocator; a side's ingress and pool annotations must
 * equal one order's outcome. Both sides passing means they differ only in the order they served
 * competing Services; an answer that no order gives is a difference.
 */
final class OrderOracle {

    /** Beyond this many wanting Services (7! = 5,040 orders) the oracle gives up: a difference. */
    static final int MAX_WANTING = 7;

    private OrderOracle() {
    }

    /** A Service's result: its ingress and its pool annotation. */
    private record Held(List<String> ingress, String pool) {
    }

    static boolean reachable(Side.World world, Snapshot before, Snapshot target) {
        Config config;
        try {
            config = Config.from(world.pools(), List.of());
        } catch (ConfigException e) {
            return false;
        }
        Map<String, Held> wanted = new TreeMap<>();
        target.services().forEach((k, v) -> wanted.put(k, new Held(v.ingress(), v.pool())));
        List<String> holders = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String key : world.services().keySet()) {
            Snapshot.ServiceState was = before.services().get(key);
            (was != null && !was.ingress().isEmpty() ? holders : others).add(key);
        }
        holders.sort(Comparator.comparingInt((String k) -> -before.services().get(k).ingress().size())
                .thenComparing(k -> k));
        if (others.size() > MAX_WANTING) {
            return false;
        }
        return permutations(others).stream().anyMatch(order -> {
            List<String> all = new ArrayList<>(holders);
            all.addAll(order);
            return wanted.equals(serve(world, config, before, all));
        });
    }

    /** Every Service's result when served once each in this order, from a fresh allocator. */
    private static Map<String, Held> serve(Side.World world, Config config, Snapshot before, List<String> order) {
        Allocator allocator = new Allocator();
        allocator.setPools(PoolSet.resolve(config, world.namespaceLabels()));
        ServiceHandler handler = new ServiceHandler(allocator);
        Map<String, Held> out = new TreeMap<>();
        for (String key : order) {
            Snapshot.ServiceState was = before.services().get(key);
            Held held = was == null ? new Held(List.of(), null) : new Held(was.ingress(), was.pool());
            Outcome outcome = handler.handle(as(world.services().get(key), held));
            out.put(key, outcome.toWrite() == null ? held : heldBy(outcome.toWrite()));
        }
        return out;
    }

    /** The Service as it was before the step: the current spec with the earlier status and annotation. */
    private static Service as(Service current, Held held) {
        Map<String, String> annotations = new LinkedHashMap<>(Objects.requireNonNullElse(
                current.getMetadata().getAnnotations(), Map.of()));
        annotations.remove("metallb.io/ip-allocated-from-pool");
        if (held.pool() != null) {
            annotations.put("metallb.io/ip-allocated-from-pool", held.pool());
        }
        List<LoadBalancerIngress> ingress = held.ingress().stream()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).build()).toList();
        return new ServiceBuilder(current).editMetadata().withAnnotations(annotations).endMetadata()
                .withNewStatus().withNewLoadBalancer().withIngress(ingress).endLoadBalancer().endStatus().build();
    }

    private static Held heldBy(Service written) {
        Map<String, String> annotations = written.getMetadata().getAnnotations();
        List<String> ingress = written.getStatus() == null || written.getStatus().getLoadBalancer() == null
                || written.getStatus().getLoadBalancer().getIngress() == null ? List.of()
                : written.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList();
        return new Held(ingress, annotations == null ? null : annotations.get("metallb.io/ip-allocated-from-pool"));
    }

    static List<List<String>> permutations(List<String> items) {
        List<List<String>> out = new ArrayList<>();
        permute(new ArrayList<>(items), 0, out);
        return out;
    }

    private static void permute(List<String> items, int from, List<List<String>> out) {
        if (from >= items.size() - 1) {
            out.add(List.copyOf(items));
            return;
        }
        for (int i = from; i < items.size(); i++) {
            Collections.swap(items, from, i);
            permute(items, from + 1, out);
            Collections.swap(items, from, i);
        }
    }
}
