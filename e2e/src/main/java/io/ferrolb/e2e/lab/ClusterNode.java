package io.ferrolb.e2e.lab;

import io.ferrolb.testkit.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One node of the cluster lab (docs/design.md §12.5): containerd, kubelet and kube-proxy in the node's
 * network namespace, with their state, mounts and cgroup parent ({@code /flb-<node>} in every cgroup v1
 * hierarchy) all owned by the lab. The daemons share the root mount namespace ({@code nsenter --net},
 * not {@code ip netns exec}, whose private /sys hides the cgroups). {@link #cleanup} removes a node's
 * traces, also those of a lab that crashed.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final Path CONTAINER_LOG_LINKS = Path.of("/var/log/containers");

    private final int index;
    private final Path dir;
    private final PidFile pids;
    private int nodeCount;
    private LabProcess containerd;
    private LabProcess kubelet;
    private LabProcess kubeProxy;

    ClusterNode(int index, Path dir, PidFile pids) {
        this.index = index;
        this.dir = dir;
        this.pids = pids;
    }

    public int index() {
        return index;
    }

    public String name() {
        return Topology.nodeName(index);
    }

    public String namespace() {
        return Topology.node(index);
    }

    public String ip() {
        return Topology.nodeIp(index);
    }

    public String mac() {
        return Topology.mac(ip());
    }

    Path dir() {
        return dir;
    }

    /** Files, cgroup parents, forwarding and routes to the other nodes' pods, then containerd. */
    void startRuntime(int nodeCount) throws IOException {
        for (String sub : List.of("containerd", "cni/net.d", "cni/ipam", "kubelet", "pod-logs")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("containerd/config.toml"), ClusterFiles.containerdConfig(dir));
        Files.writeString(dir.resolve("cni/net.d/10-flb-pods.conflist"), ClusterFiles.cniConflist(index, dir));
        Files.writeString(dir.resolve("resolv.conf"), "# the cluster lab has no DNS\n");
        createCgroupParent();
        Sh.must("ip", "netns", "exec", namespace(), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        this.nodeCount = nodeCount;
        addRoutes();
        containerd = start("containerd-" + name(), List.of("containerd", "--config",
                dir.resolve("containerd/config.toml").toString()), "containerd.log");
        Await.until("containerd of " + name(), Duration.ofSeconds(30), () -> {
            if (!containerd.alive()) {
                throw new Await.Abort("containerd of " + name() + " exited: " + containerd.logTail(20));
            }
            return ctr("version").succeeded();
        });
    }

    /**
     * The node's routes through {@code eth0}, which the kernel drops when the link goes down; a real
     * node's network configuration puts its own back when the link returns, and so does
     * {@code ClusterDemo} after taking the link down. Host-network pods (the speaker) reach the API
     * server at its ClusterIP, so the kernel needs a route before kube-proxy's OUTPUT rule rewrites
     * the address: on-link, so that an address without a rule is asked for on the lab's bridge and
     * goes nowhere else. The other nodes' pod networks go via their nodes.
     */
    public void addRoutes() {
        Sh.must("ip", "netns", "exec", namespace(), "ip", "route", "replace",
                ClusterFiles.SERVICE_CIDRS.split(",")[0], "dev", "eth0");
        for (int other = 1; other <= nodeCount; other++) {
            if (other != index) {
                Sh.must("ip", "netns", "exec", namespace(), "ip", "route", "replace", ClusterFiles.podCidr(other),
                        "via", Topology.nodeIp(other));
            }
        }
    }

    /** {@code ctr images import} of OCI archives into the namespace kubelet's CRI uses. */
    void importImages(List<Path> archives) {
        for (Path archive : archives) {
            CommandResult r = ctr("images", "import", "--no-unpack=false", archive.toString());
            if (!r.succeeded()) {
                throw new IllegalStateException("ctr images import " + archive + " on " + name() + ": "
                        + r.stderr().strip());
            }
        }
    }

    CommandResult ctr(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket().toString(), "--namespace",
                "k8s.io"));
        command.addAll(List.of(args));
        return Sh.run(command);
    }

    void startKubelet(Path kubeconfig, Path binaries) throws IOException {
        Files.writeString(dir.resolve("kubelet/config.yaml"), ClusterFiles.kubeletConfig(name(), ip(), dir));
        kubelet = start("kubelet-" + name(), List.of(binaries.resolve("kubelet").toString(),
                "--config=" + dir.resolve("kubelet/config.yaml"),
                "--kubeconfig=" + kubeconfig,
                "--hostname-override=" + name(),
                "--node-ip=" + ip(),
                "--root-dir=" + dir.resolve("kubelet"),
                "--cert-dir=" + dir.resolve("kubelet/pki")), "kubelet.log");
    }

    void startKubeProxy(Path kubeconfig, Path binaries) throws IOException {
        Files.writeString(dir.resolve("kube-proxy.yaml"), ClusterFiles.kubeProxyConfig(name(), ip(), kubeconfig));
        kubeProxy = start("kube-proxy-" + name(), List.of(binaries.resolve("kube-proxy").toString(),
                "--config=" + dir.resolve("kube-proxy.yaml")), "kube-proxy.log");
    }

    LabProcess kubelet() {
        return kubelet;
    }

    LabProcess containerd() {
        return containerd;
    }

    /** The PIDs of a container's processes whose command line contains {@code needle}, found by cgroup. */
    List<Long> containerPids(String needle) {
        List<Long> out = new ArrayList<>();
        for (long pid : cgroupPids(name())) {
            ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).filter(c -> c.contains(needle))
                    .ifPresent(c -> out.add(pid));
        }
        return out;
    }

    private LabProcess start(String name, List<String> command, String log) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + namespace(), "--"));
        full.addAll(command);
        return LabProcess.start(name, null, full, dir.resolve(log), pids);
    }

    private Path socket() {
        return dir.resolve("containerd/containerd.sock");
    }

    private void createCgroupParent() throws IOException {
        for (Path hierarchy : hierarchies()) {
            if (hierarchy.getFileName().toString().equals("unified")) {
                continue; // kubelet makes its own there; the v1 controllers need the parent to exist
            }
            Path parent = hierarchy.resolve("flb-" + name());
            Files.createDirectories(parent);
            if (hierarchy.getFileName().toString().equals("cpuset")) {
                // A new cpuset has no CPUs and no memory nodes until given its parent's.
                for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                    Files.writeString(parent.resolve(file), Files.readString(hierarchy.resolve(file)).strip());
                }
            }
        }
    }

    /** The cgroup hierarchies mounted under /sys/fs/cgroup (v1 controllers and the unified one). */
    private static List<Path> hierarchies() throws IOException {
        try (Stream<Path> s = Files.list(CGROUPS)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("cgroup.procs")) && !Files.isSymbolicLink(p))
                    .sorted().toList();
        }
    }

    /** Every process in the node's cgroup parent, in any hierarchy. */
    private static List<Long> cgroupPids(String node) {
        List<Long> out = new ArrayList<>();
        try {
            for (Path hierarchy : hierarchies()) {
                Path parent = hierarchy.resolve("flb-" + node);
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(parent)) {
                    for (Path procs : files.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                        for (String line : Files.readAllLines(procs)) {
                            if (!line.isBlank() && !out.contains(Long.parseLong(line.strip()))) {
                                out.add(Long.parseLong(line.strip()));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        for (LabProcess p : new LabProcess[] {kubelet, kubeProxy}) {
            if (p != null) {
                p.close();
            }
        }
        cleanup(dir, name(), containerd);
    }

    /**
     * Removes what node {@code name} left under {@code dir}: its pods' processes (by cgroup), the
     * containerd shims of its socket and containerd itself (by PID), the mounts under its directory
     * (deepest first), its cgroup directories (leaf first) and kubelet's log links to it. Safe to
     * call on what is not there.
     */
    static void cleanup(Path dir, String name, LabProcess containerd) {
        List<String> podNetworks = podNetworkNamespaces(dir);
        killAll(cgroupPids(name));
        String socket = dir.resolve("containerd/containerd.sock").toString();
        killAll(ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                .filter(c -> c.contains("containerd-shim") && c.contains(socket)).isPresent())
                .map(ProcessHandle::pid).toList());
        if (containerd != null) {
            containerd.close();
        } else {
            // A crashed lab's containerd: found by its configuration file.
            String config = dir.resolve("containerd/config.toml").toString();
            killAll(ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                    .filter(c -> c.startsWith("containerd ") && c.contains(config)).isPresent())
                    .map(ProcessHandle::pid).toList());
        }
        unmountUnder(dir);
        // containerd 1.6 keeps the pods' network namespaces in /var/run/netns, not under its state.
        podNetworks.forEach(ns -> Sh.run("ip", "netns", "del", ns));
        removeCgroupParent(name);
        removeLogLinks(dir);
    }

    /** The {@code cni-...} network namespaces of the node's pod sandboxes, read from their OCI specs. */
    private static List<String> podNetworkNamespaces(Path dir) {
        Path tasks = dir.resolve("containerd/state/io.containerd.runtime.v2.task/k8s.io");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        Pattern path = Pattern.compile("\"/var/run/netns/(cni-[0-9a-f-]+)\"");
        try (Stream<Path> specs = Files.list(tasks)) {
            for (Path spec : specs.map(t -> t.resolve("config.json")).filter(Files::isRegularFile).toList()) {
                Matcher m = path.matcher(Files.readString(spec));
                while (m.find()) {
                    if (!out.contains(m.group(1))) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void killAll(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(h -> {
                try {
                    h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("[lab] pid " + pid + " did not exit: " + e);
                }
            });
        }
    }

    private static void unmountUnder(Path dir) {
        String prefix = dir.toAbsolutePath().toString() + "/";
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String point = unescape(line.split(" ")[4]);
                if (point.startsWith(prefix)) {
                    mounts.add(point);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : mounts) {
            if (!Sh.run("umount", point).succeeded()) {
                Sh.run("umount", "-l", point);
            }
        }
    }

    private static String unescape(String mountPoint) {
        return mountPoint.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void removeCgroupParent(String name) {
        try {
            for (Path hierarchy : hierarchies()) {
                Path parent = hierarchy.resolve("flb-" + name);
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                List<Path> dirs;
                try (Stream<Path> s = Files.walk(parent)) {
                    dirs = s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
                }
                for (Path d : dirs) {
                    // cgroupfs directories are removed with rmdir even though they list files.
                    CommandResult r = Sh.run("rmdir", d.toString());
                    if (!r.succeeded()) {
                        System.err.println("[lab] cannot remove cgroup " + d + ": " + r.stderr().strip());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubelet's links in /var/log/containers to the node's logs, and the directory if that leaves it empty. */
    private static void removeLogLinks(Path dir) {
        if (!Files.isDirectory(CONTAINER_LOG_LINKS)) {
            return;
        }
        try (Stream<Path> links = Files.list(CONTAINER_LOG_LINKS)) {
            for (Path link : links.filter(Files::isSymbolicLink).toList()) {
                if (Files.readSymbolicLink(link).startsWith(dir)) {
                    Files.delete(link);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> left = Files.list(CONTAINER_LOG_LINKS)) {
            if (left.findAny().isEmpty()) {
                Files.delete(CONTAINER_LOG_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
