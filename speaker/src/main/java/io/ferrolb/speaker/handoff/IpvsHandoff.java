package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodePort handoff through IPVS (docs/design.md §8.3): each VIP is a local address of a dummy interface of
 * ours, {@value #DEVICE} (dummy links are NOARP and match no announce rule), and each (VIP,
 * protocol, port) an IPVS virtual service with the node's {@code nodeIP:nodePort} as its one real
 * server. Virtual services are ours when their address sits on our device; kube-proxy's (on
 * {@code kube-ipvs0}) and anyone else's are left alone. Needs the kernel's {@code ip_vs} and
 * {@code ipvsadm}, and strict ARP ({@link StrictArpCheck}): a local address is otherwise answered
 * by the kernel on every interface.
 */
public final class IpvsHandoff implements Handoff {

    public static final String DEVICE = "ferrolb-ipvs0";
    private static final Logger LOG = LoggerFactory.getLogger(IpvsHandoff.class);

    private final CommandRunner runner;
    private final Map<IpFamily, IpAddress> nodeIps = new EnumMap<>(IpFamily.class);
    private final Map<String, Set<IpvsService>> desired = new LinkedHashMap<>();
    /** A command failed since the last full convergence: the next call converges again. */
    private boolean unsynced;

    /**
     * Creates the device if it is missing. What a previous run left stays until the next change
     * or {@link #reconcile()}, so that a restarting speaker does not cut traffic it will own again.
     *
     * @param nodeIps the node's own addresses, at most one per family: the real servers
     */
    public IpvsHandoff(CommandRunner runner, List<IpAddress> nodeIps) {
        this.runner = runner;
        nodeIps.forEach(ip -> this.nodeIps.putIfAbsent(ip.family(), ip));
        if (!run(List.of("ip", "link", "show", "dev", DEVICE), false)) {
            run(List.of("ip", "link", "add", DEVICE, "type", "dummy"), true);
        }
    }

    @Override
    public synchronized void install(String service, List<IpAddress> ips, List<PortMapping> ports) {
        Set<IpvsService> wanted = new LinkedHashSet<>();
        for (IpAddress vip : ips) {
            IpAddress node = nodeIps.get(vip.family());
            if (node == null) {
                LOG.warn("no node address of family={} for handoff service={} ip={}", vip.family(), service, vip);
                continue;
            }
            for (PortMapping p : ports) {
                if (p.nodePort() > 0) {
                    wanted.add(new IpvsService(vip, p.protocol(), p.port(), node, p.nodePort()));
                }
            }
        }
        if (!wanted.equals(desired.put(service, wanted)) || unsynced) {
            converge();
            LOG.info("handoff installed service={} virtualServices={}", service, wanted.size());
        }
    }

    @Override
    public synchronized void remove(String service) {
        if (desired.remove(service) != null || unsynced) {
            converge();
            LOG.info("handoff removed service={}", service);
        }
    }

    /** Removes every virtual service and address of ours, then the device. */
    @Override
    public synchronized void close() {
        desired.clear();
        try {
            converge();
        } catch (HandoffException e) {
            LOG.error("handoff not fully removed at close error={}", e.getMessage());
        }
        run(List.of("ip", "link", "del", DEVICE), true);
        LOG.info("handoff closed: virtual services removed");
    }

    /**
     * No: an address of the IPVS device is local to the node, and a kernel that is not strict about
     * ARP answers for local addresses on every interface (§8.5), so a standing-by node would answer
     * for an address another node announces.
     */
    @Override
    public boolean standsBy() {
        return false;
    }

    /**
     * Converges the device and the IPVS table to exactly what is installed now, deleting what a
     * previous run left behind. The speaker calls it once its first plan has been applied.
     */
    public synchronized void reconcile() {
        converge();
    }

    /**
     * Converges: virtual services first (so an address turns local only once its service exists),
     * then addresses; on removal the address goes first, so nothing local is left without a service.
     */
    private void converge() {
        List<String> failures = new ArrayList<>();
        try {
            converge(failures);
        } catch (HandoffException e) {
            failures.add(e.getMessage());
        }
        unsynced = !failures.isEmpty();
        if (unsynced) {
            throw new HandoffException(String.join("; ", failures));
        }
    }

    private void converge(List<String> failures) {
        Set<IpvsService> wanted = new LinkedHashSet<>();
        desired.values().forEach(wanted::addAll);
        Set<IpAddress> wantedAddresses = new LinkedHashSet<>();
        wanted.forEach(s -> wantedAddresses.add(s.vip()));
        Set<IpAddress> addresses = IpvsState.addresses(runner, DEVICE);
        Map<String, IpvsState.Virtual> virtuals = IpvsState.virtuals(runner);
        for (IpAddress a : addresses) {
            if (!wantedAddresses.contains(a)) {
                run(List.of("ip", a.family() == IpFamily.IPV4 ? "-4" : "-6", "addr", "del", cidr(a), "dev", DEVICE),
                        failures);
            }
        }
        Set<String> wantedKeys = new LinkedHashSet<>();
        for (IpvsService s : wanted) {
            wantedKeys.add(s.key());
            IpvsState.Virtual present = virtuals.get(s.key());
            if (present == null) {
                run(s.addVirtual(), failures);
            }
            for (String real : present == null ? List.<String>of() : present.reals()) {
                if (!real.equals(s.real())) {
                    run(s.deleteReal(real), failures);
                }
            }
            if (present == null || !present.reals().contains(s.real())) {
                run(s.addReal(), failures);
            }
        }
        for (IpvsState.Virtual v : virtuals.values()) {
            if (!wantedKeys.contains(v.key()) && (addresses.contains(v.vip()) || wantedAddresses.contains(v.vip()))) {
                run(List.of("ipvsadm", "-D", v.protocolFlag(), v.endpoint()), failures);
            }
        }
        for (IpAddress a : wantedAddresses) {
            if (!addresses.contains(a)) {
                List<String> add = new ArrayList<>(List.of("ip", a.family() == IpFamily.IPV4 ? "-4" : "-6", "addr",
                        "add", cidr(a), "dev", DEVICE));
                if (a.family() == IpFamily.IPV6) {
                    add.add("nodad");
                }
                run(add, failures);
            }
        }
    }

    private static String cidr(IpAddress a) {
        return a + "/" + a.family().bits();
    }

    private boolean run(List<String> argv, boolean warn) {
        return run(argv, warn ? new ArrayList<>() : null);
    }

    /** Runs one command; a failure is logged and, when {@code failures} is given, added to it. */
    private boolean run(List<String> argv, List<String> failures) {
        CommandRunner.Result r = runner.run(argv);
        if (!r.ok() && failures != null) {
            String failure = "\"" + String.join(" ", argv) + "\" failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip();
            LOG.error("handoff command failed {}", failure);
            failures.add(failure);
        }
        return r.ok();
    }
}
