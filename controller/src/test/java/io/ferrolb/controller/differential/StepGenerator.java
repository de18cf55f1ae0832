package io.ferrolb.controller.differential;

import io.ferrolb.controller.differential.Step.Allocation;
import io.ferrolb.controller.differential.Step.PoolSpec;
import io.ferrolb.controller.differential.ServiceSpec.Port;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Random valid steps from a seed. Small address spaces, few names, so that sequences run into
 * exhaustion, sharing, pending Services and reallocation quickly.
 *
 * <p>Two rules keep MetalLB's own choice deterministic, so that a difference is a difference:
 * at most one pool at a time may serve any Service automatically (autoAssign without
 * serviceAllocation: v0.16.1 tries those in Go map order, a new order per run), and pools with a
 * serviceAllocation have distinct priorities (its sort comparator is not a strict order for equal
 * ones). Both are listed in the README's compatibility notes, as is the one pool shape it keeps
 * away from for another reason: a lone {@code .0/32} in an avoidBuggyIPs pool.
 */
final class StepGenerator {

    static final List<String> POOLS = List.of("p0", "p1", "p2", "p3");
    static final int SERVICES = 6;

    private static final List<Port> PORTS = List.of(
            new Port("TCP", 80), new Port("TCP", 443), new Port("UDP", 53), new Port("TCP", 53));

    private final Random random;
    private final List<Integer> priorities;
    private final Map<String, PoolSpec> pools = new HashMap<>();

    StepGenerator(long seed) {
        this.random = new Random(seed);
        List<Integer> shuffled = new ArrayList<>(List.of(1, 2, 3, 4));
        Collections.shuffle(shuffled, random);
        this.priorities = shuffled;
    }

    List<Step> sequence(int steps) {
        List<Step> out = new ArrayList<>();
        while (out.size() < steps) {
            out.add(next());
        }
        return out;
    }

    private Step next() {
        int roll = random.nextInt(100);
        if (roll < 25 || pools.isEmpty()) {
            String name = pick(POOLS);
            PoolSpec spec = pool(name);
            pools.put(name, spec);
            return new Step.ApplyPool(name, spec);
        }
        if (roll < 32) {
            String name = pick(List.copyOf(pools.keySet()));
            pools.remove(name);
            return new Step.DeletePool(name);
        }
        if (roll < 82) {
            return new Step.ApplyService(serviceName(), service());
        }
        if (roll < 92) {
            return new Step.DeleteService(serviceName());
        }
        return new Step.LabelNamespace(random.nextBoolean() ? "a" : "b", teamLabel());
    }

    private PoolSpec pool(String name) {
        int index = POOLS.indexOf(name);
        List<String> menu = new ArrayList<>(addressMenu(index));
        Collections.shuffle(menu, random);
        List<String> addresses = new ArrayList<>(menu.subList(0, 1 + random.nextInt(3)));
        Optional<Boolean> avoidBuggyIPs = random.nextInt(100) < 30 ? Optional.of(true) : optionally(false);
        if (avoidBuggyIPs.orElse(false) && addresses.removeIf(a -> a.endsWith(".0/32")) && addresses.isEmpty()) {
            // v0.16.1 counts a lone .0 address of such a pool as -1 available (README: compatibility notes).
            addresses.add("10.5" + index + ".0.2/31");
        }
        Optional<Allocation> allocation = random.nextInt(100) < 40 ? Optional.of(allocation(index)) : Optional.empty();
        boolean autoAssign = random.nextInt(100) >= 20;
        if (autoAssign && allocation.isEmpty() && anotherGeneralPool(name)) {
            autoAssign = false;
        }
        return new PoolSpec(List.copyOf(addresses), autoAssign ? optionally(true) : Optional.of(false), avoidBuggyIPs,
                allocation);
    }

    /** Whether another pool already serves any Service automatically. */
    private boolean anotherGeneralPool(String name) {
        return pools.entrySet().stream().anyMatch(e -> !e.getKey().equals(name)
                && e.getValue().autoAssign().orElse(true) && e.getValue().allocation().isEmpty());
    }

    /** Each pool's addresses come from its own block, so pools never overlap. */
    private static List<String> addressMenu(int index) {
        String v4 = "10.5" + index + ".0.";
        String v6 = "fc5" + index + "::";
        return List.of(v4 + "0/32", v4 + "2/31", v4 + "4/30", v4 + "8-" + v4 + "10", v4 + "254/31",
                v6 + "/127", v6 + "4/126", v6 + "10-" + v6 + "12");
    }

    private Allocation allocation(int index) {
        List<String> namespaces = new ArrayList<>();
        if (random.nextInt(100) < 40) {
            namespaces.add(random.nextBoolean() ? "a" : "b");
        }
        Map<String, String> namespaceLabels = random.nextInt(100) < 25 ? teamLabel() : Map.of();
        Map<String, String> serviceLabels = random.nextInt(100) < 40 ? Map.of("tier", pick(List.of("web", "db")))
                : Map.of();
        return new Allocation(Optional.of(priorities.get(index)), namespaces, namespaceLabels, serviceLabels);
    }

    private String serviceName() {
        return "s" + random.nextInt(SERVICES);
    }

    private ServiceSpec service() {
        boolean loadBalancer = random.nextInt(100) < 85;
        List<String> families;
        Optional<String> policy;
        int family = random.nextInt(100);
        if (family < 50) {
            families = List.of();
            policy = Optional.empty();
        } else if (family < 65) {
            families = List.of("IPv6");
            policy = Optional.of("SingleStack");
        } else if (family < 80) {
            families = random.nextBoolean() ? List.of() : List.of("IPv6", "IPv4");
            policy = Optional.of("PreferDualStack");
        } else {
            families = List.of("IPv4", "IPv6");
            policy = Optional.of("RequireDualStack");
        }
        List<Port> ports = new ArrayList<>(PORTS);
        Collections.shuffle(ports, random);
        ports = List.copyOf(ports.subList(0, 1 + random.nextInt(2)));
        Map<String, String> labels = random.nextInt(100) < 60 ? Map.of("tier", pick(List.of("web", "db"))) : Map.of();
        Map<String, String> annotations = new LinkedHashMap<>();
        Optional<String> loadBalancerIp = Optional.empty();
        if (random.nextInt(100) < 15) {
            annotations.put("metallb.io/address-pool", random.nextInt(5) == 0 ? "nope" : pick(POOLS));
        }
        int requested = random.nextInt(100);
        if (requested < 15) {
            List<String> ips = new ArrayList<>(List.of(requestableIp()));
            if (random.nextBoolean()) {
                ips.add(requestableIp());
            }
            annotations.put("metallb.io/loadBalancerIPs", String.join(",", ips));
        } else if (requested < 20) {
            loadBalancerIp = Optional.of(requestableIp());
        }
        if (random.nextInt(100) < 35) {
            annotations.put("metallb.io/allow-shared-ip", pick(List.of("k1", "k2")));
        }
        boolean local = loadBalancer && random.nextInt(100) < 20;
        String app = random.nextInt(100) < 80 ? "x" : "y";
        return new ServiceSpec(app, loadBalancer, families, policy, ports, local, labels, Map.copyOf(annotations),
                loadBalancer ? loadBalancerIp : Optional.empty());
    }

    /** An address in some pool's block (in a pool or not, depending on the pool's current spec), or outside all. */
    private String requestableIp() {
        int roll = random.nextInt(10);
        if (roll == 0) {
            return "10.99.0.1";
        }
        int pool = random.nextInt(POOLS.size());
        if (roll < 3) {
            return "fc5" + pool + "::" + random.nextInt(6);
        }
        return "10.5" + pool + ".0." + List.of(0, 1, 2, 3, 4, 5, 8, 9, 255).get(random.nextInt(9));
    }

    private Map<String, String> teamLabel() {
        int roll = random.nextInt(3);
        return roll == 0 ? Map.of() : Map.of("team", roll == 1 ? "red" : "blue");
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private Optional<Boolean> optionally(boolean value) {
        return random.nextBoolean() ? Optional.of(value) : Optional.empty();
    }
}
