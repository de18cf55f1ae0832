package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodePort handoff through iptables (docs/design.md §8.2): a nat chain of our own, {@value #CHAIN}, jumped
 * to first from PREROUTING (traffic from the LAN) and OUTPUT (clients on the node), holding one
 * DNAT per (VIP, protocol, port) to {@code nodeIP:nodePort}. Every change is reconciled against
 * {@code iptables-save -t nat}: rules of ours that are not wanted are deleted, missing ones added,
 * rules without our comment are left alone, so a restarted speaker converges and a human's rule
 * survives. A change is written as the difference from what the last successful change left, as
 * one {@code iptables-restore --noflush} transaction per family whatever its size (all of it or
 * nothing); reading the table back costs as much as writing it, so that is done at the start, after
 * a failure, and at every {@link #reconcile()}. IPv6 addresses go through
 * ip6tables the same way.
 */
public final class IptablesHandoff implements Handoff {

    public static final String CHAIN = "FERROLB-HANDOFF";
    static final String JUMP_COMMENT = "ferrolb-handoff";
    private static final List<String> HOOKS = List.of("PREROUTING", "OUTPUT");
    private static final Logger LOG = LoggerFactory.getLogger(IptablesHandoff.class);

    private final CommandRunner runner;
    private final Map<IpFamily, IpAddress> nodeIps = new EnumMap<>(IpFamily.class);
    private final Map<String, Set<NatRule>> desired = new LinkedHashMap<>();
    /** Families whose table may differ from {@link #desired} because a command failed. */
    private final Set<IpFamily> unsynced = EnumSet.noneOf(IpFamily.class);
    /** Per family, what our last successful change left in the table: the base of the next delta. */
    private final Map<IpFamily, Known> known = new EnumMap<>(IpFamily.class);

    /** Our part of a family's nat table as we left it: the chain, the hooks jumping to it, our rules. */
    private record Known(boolean chain, Set<String> hooks, Set<NatRule> rules) {
    }

    /**
     * Touches nothing yet: rules a previous run left stay until the first change of their family
     * or {@link #reconcile()}, so that a restarting speaker does not cut traffic it will own again.
     *
     * @param nodeIps the node's own addresses, at most one per family: the DNAT destinations
     */
    public IptablesHandoff(CommandRunner runner, List<IpAddress> nodeIps) {
        this.runner = runner;
        nodeIps.forEach(ip -> this.nodeIps.putIfAbsent(ip.family(), ip));
    }

    /**
     * Converges both families to exactly what is installed now, deleting rules of ours that a
     * previous run left behind. The speaker calls it once its first plan has been applied.
     */
    public synchronized void reconcile() {
        converge(EnumSet.allOf(IpFamily.class), true);
    }

    @Override
    public synchronized void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
        apply(Map.of(service, new Target(ips, ports)), Set.of());
    }

    @Override
    public synchronized void remove(String service) {
        apply(Map.of(), Set.of(service));
    }

    @Override
    public synchronized void apply(Map<String, Target> install, Set<String> remove) {
        Set<IpFamily> changed = EnumSet.noneOf(IpFamily.class);
        for (String service : remove) {
            Set<NatRule> before = desired.remove(service);
            if (before != null) {
                changed.addAll(families(before, Set.of()));
            }
        }
        install.forEach((service, target) -> {
            Set<NatRule> rules = rules(service, target);
            Set<NatRule> before = desired.put(service, rules);
            if (!rules.equals(before)) {
                changed.addAll(families(rules, before));
            }
        });
        if (changed.isEmpty() && unsynced.isEmpty()) {
            return;
        }
        converge(changed, false);
        LOG.info("handoff applied installed={} removed={} families={}", install.size(), remove.size(), changed);
    }

    private Set<NatRule> rules(String service, Target target) {
        Set<NatRule> rules = new LinkedHashSet<>();
        List<IpAddress> ips = target.ips();
        List<PortMapping> ports = target.ports();
        for (IpAddress vip : ips) {
            IpAddress node = nodeIps.get(vip.family());
            if (node == null) {
                LOG.warn("no node address of family={} for handoff service={} ip={}", vip.family(), service, vip);
                continue;
            }
            for (PortMapping p : ports) {
                if (p.nodePort() > 0) {
                    rules.add(new NatRule(service, vip, p.protocol(), p.port(), node, p.nodePort()));
                }
            }
        }
        return rules;
    }

    /**
     * Deletes every rule of ours, the jumps and the chain (unless a foreign rule lives in it), in
     * one transaction per family.
     */
    @Override
    public synchronized void close() {
        desired.clear();
        known.clear();
        for (IpFamily family : IpFamily.values()) {
            SavedNat saved;
            try {
                saved = SavedNat.read(runner, family, CHAIN);
            } catch (HandoffException e) {
                continue;
            }
            if (!saved.hasChain()) {
                continue;
            }
            List<List<String>> ops = new ArrayList<>();
            saved.ours().forEach(r -> ops.add(concat(List.of("-D", CHAIN), r.tokens())));
            saved.jumps().forEach((hook, jumps) -> jumps.forEach(j -> ops.add(concat(List.of("-D", hook), j))));
            if (saved.foreign().isEmpty()) {
                ops.add(List.of("-X", CHAIN));
            } else {
                LOG.warn("leaving chain={} family={}: it holds {} rules that are not ferrolb's", CHAIN, family,
                        saved.foreign().size());
            }
            restore(family, ops, new ArrayList<>());
        }
        LOG.info("handoff closed: rules removed");
    }

    /**
     * Converges {@code families} and every family left unsynced by an earlier failure; throws when
     * a family could not be converged, after trying all of them.
     */
    private void converge(Set<IpFamily> families, boolean readBack) {
        Set<IpFamily> todo = EnumSet.copyOf(unsynced);
        todo.addAll(families);
        List<String> failures = new ArrayList<>();
        for (IpFamily family : todo) {
            List<String> failed = new ArrayList<>();
            if (readBack || unsynced.contains(family) || !known.containsKey(family)) {
                reconcile(family, failed);
            } else {
                delta(family, failed);
            }
            if (failed.isEmpty()) {
                unsynced.remove(family);
            } else {
                unsynced.add(family);
                known.remove(family);
                failures.addAll(failed);
            }
        }
        if (!failures.isEmpty()) {
            throw new HandoffException(String.join("; ", failures));
        }
    }

    private void reconcile(IpFamily family, List<String> failures) {
        SavedNat saved;
        try {
            saved = SavedNat.read(runner, family, CHAIN);
        } catch (HandoffException e) {
            failures.add(e.getMessage());
            return;
        }
        Set<NatRule> wanted = wanted(family);
        List<List<String>> ops = new ArrayList<>();
        if (!wanted.isEmpty()) {
            if (!saved.hasChain()) {
                ops.add(List.of("-N", CHAIN));
            }
            for (String hook : HOOKS) {
                if (saved.jumps().getOrDefault(hook, List.of()).isEmpty()) {
                    ops.add(List.of("-I", hook, "1", "-m", "comment", "--comment", JUMP_COMMENT, "-j", CHAIN));
                }
            }
        }
        Set<NatRule> present = new HashSet<>();
        for (SavedNat.Rule r : saved.ours()) {
            if (!wanted.contains(r.rule()) || !present.add(r.rule())) {
                ops.add(concat(List.of("-D", CHAIN), r.tokens()));
            }
        }
        wanted.stream().filter(r -> !present.contains(r)).forEach(r -> ops.add(concat(List.of("-A", CHAIN), r.spec())));
        if (!ops.isEmpty()) {
            restore(family, ops, failures);
        }
        if (failures.isEmpty()) {
            Set<String> hooks = new LinkedHashSet<>();
            HOOKS.forEach(h -> {
                if (!wanted.isEmpty() || !saved.jumps().getOrDefault(h, List.of()).isEmpty()) {
                    hooks.add(h);
                }
            });
            known.put(family, new Known(saved.hasChain() || !wanted.isEmpty(), hooks, wanted));
        }
    }

    /** Writes only what changed since our last successful change of the family, without reading it back. */
    private void delta(IpFamily family, List<String> failures) {
        Known before = known.get(family);
        Set<NatRule> wanted = wanted(family);
        List<List<String>> ops = new ArrayList<>();
        if (!wanted.isEmpty()) {
            if (!before.chain()) {
                ops.add(List.of("-N", CHAIN));
            }
            HOOKS.stream().filter(h -> !before.hooks().contains(h)).forEach(h -> ops.add(
                    List.of("-I", h, "1", "-m", "comment", "--comment", JUMP_COMMENT, "-j", CHAIN)));
        }
        before.rules().stream().filter(r -> !wanted.contains(r))
                .forEach(r -> ops.add(concat(List.of("-D", CHAIN), r.spec())));
        wanted.stream().filter(r -> !before.rules().contains(r))
                .forEach(r -> ops.add(concat(List.of("-A", CHAIN), r.spec())));
        if (!ops.isEmpty()) {
            restore(family, ops, failures);
        }
        if (failures.isEmpty()) {
            Set<String> hooks = new LinkedHashSet<>(before.hooks());
            if (!wanted.isEmpty()) {
                hooks.addAll(HOOKS);
            }
            known.put(family, new Known(before.chain() || !wanted.isEmpty(), hooks, wanted));
        }
    }

    private Set<NatRule> wanted(IpFamily family) {
        return desired.values().stream().flatMap(Set::stream).filter(r -> r.family() == family)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Applies the operations as one {@code iptables-restore --noflush} transaction. A chain is
     * declared only when it is new: declaring an existing chain there would flush it.
     */
    private void restore(IpFamily family, List<List<String>> ops, List<String> failures) {
        StringBuilder input = new StringBuilder("*nat\n");
        for (List<String> op : ops) {
            if (op.get(0).equals("-N")) {
                input.append(':').append(op.get(1)).append(" - [0:0]\n");
            } else {
                input.append(String.join(" ", op.stream().map(IptablesHandoff::quote).toList())).append('\n');
            }
        }
        input.append("COMMIT\n");
        List<String> argv = List.of(family == IpFamily.IPV4 ? "iptables-restore" : "ip6tables-restore", "--noflush",
                "-w", "5");
        CommandRunner.Result result = runner.run(argv, input.toString());
        if (!result.ok()) {
            String failure = "\"" + String.join(" ", argv) + "\" of " + ops.size() + " changes failed (exit "
                    + result.exitCode() + "): " + result.stderr().strip();
            LOG.error("handoff command failed {}", failure);
            failures.add(failure);
        }
    }

    /** A token as iptables-restore reads it: quoted when it holds a blank or a quote. */
    private static String quote(String token) {
        return token.chars().anyMatch(c -> c == ' ' || c == '"' || c == '\t')
                ? '"' + token.replace("\"", "\\\"") + '"' : token;
    }

    private static Set<IpFamily> families(Set<NatRule> a, Set<NatRule> b) {
        Set<IpFamily> out = new LinkedHashSet<>();
        a.forEach(r -> out.add(r.family()));
        if (b != null) {
            b.forEach(r -> out.add(r.family()));
        }
        return out;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
