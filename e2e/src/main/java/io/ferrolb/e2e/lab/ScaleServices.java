package io.ferrolb.e2e.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The benchmarks' Services at scale: a pool of 1,024 addresses the client reaches on the LAN, N
 * LoadBalancer Services drawing from it, and who answers ARP for each of their VIPs as the client
 * sees it.
 */
final class ScaleServices {

    static final String POOL_CIDR = "198.18.4.0/22";
    static final int MAX = 1024;
    private static final int STABLE_ROUNDS = 10;

    private final Lab lab;
    private final Duration wait;
    private final List<String> names = new ArrayList<>();

    ScaleServices(Lab lab, Duration wait) {
        this.lab = lab;
        this.wait = wait;
    }

    /** The pool the Services draw from, and a route so that the client reaches it on the LAN. */
    void preparePool() {
        lab.plane().kubectlWithInput("""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata:
                  name: scale-pool
                  namespace: metallb-system
                spec:
                  addresses:
                  - %s
                ---
                apiVersion: metallb.io/v1beta1
                kind: L2Advertisement
                metadata:
                  name: scale-l2
                  namespace: metallb-system
                """.formatted(POOL_CIDR), "apply", "-f", "-").requireSuccess();
        Sh.in(Topology.CLIENT, "ip", "route", "replace", POOL_CIDR, "dev", "eth0").requireSuccess();
    }

    /** Creates Services up to {@code n} in one request per 100, then waits for every address. */
    void scaleTo(int n) {
        if (n > MAX) {
            throw new IllegalArgumentException("at most " + MAX + " Services: the pool is " + POOL_CIDR);
        }
        List<String> missing = IntStream.rangeClosed(names.size() + 1, n)
                .mapToObj(i -> String.format(Locale.ROOT, "scale-%04d", i)).toList();
        for (int from = 0; from < missing.size(); from += 100) {
            String yaml = missing.subList(from, Math.min(missing.size(), from + 100)).stream()
                    .map(name -> Seed.serviceYaml(name, Map.of(), "")).collect(Collectors.joining("---\n"));
            lab.plane().kubectlWithInput(yaml, "create", "-f", "-").requireSuccess();
        }
        names.addAll(missing);
        Await.until(n + " Services with an address", wait, () -> vips().size() == n);
    }

    /** The current VIP of every benchmark Service. */
    List<String> vips() {
        Set<String> ours = Set.copyOf(names);
        return lab.client().services().inNamespace("default").list().getItems().stream()
                .filter(s -> ours.contains(s.getMetadata().getName()))
                .map(Seed::ingressIp).flatMap(Optional::stream).sorted().toList();
    }

    /**
     * Waits until every VIP has been answered by exactly one MAC for {@link #STABLE_ROUNDS} rounds
     * of {@code watch}; returns the owner node of each.
     */
    Map<String, String> awaitOneOwnerEach(ArpWatch watch, List<String> vips) {
        Map<String, String> nodeByMac = lab.nodes().stream().collect(Collectors.toMap(LabNode::mac, LabNode::name));
        long[] stableSince = {-1};
        return Await.value("every VIP answered by exactly one node", wait, () -> {
            Map<String, Set<String>> now = watch.refresh().current();
            boolean one = vips.stream().allMatch(v -> now.getOrDefault(v, Set.of()).size() == 1);
            if (!one) {
                stableSince[0] = -1;
                return null;
            }
            if (stableSince[0] < 0) {
                stableSince[0] = watch.lastRound();
            }
            if (watch.lastRound() - stableSince[0] < STABLE_ROUNDS) {
                return null;
            }
            Map<String, String> owners = new LinkedHashMap<>();
            vips.forEach(v -> owners.put(v, nodeByMac.get(now.get(v).iterator().next())));
            return owners;
        }, m -> true);
    }
}
