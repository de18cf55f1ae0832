package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneBinaries;
import io.ferrolb.testkit.MetalLbBinaries;
import io.ferrolb.testkit.MetalLbSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab of docs/design.md §12.2, up: the network, a real control plane on 198.18.0.1:6443, what Helm and
 * kubelet would have written, the controller in the root namespace and one speaker and one webpod
 * per node namespace, every process with its own ServiceAccount token. {@link #close()} undoes
 * every step, also of a lab that failed half-way; a shutdown hook covers Ctrl-C.
 */
public final class Lab implements AutoCloseable {

    public static final Path DEFAULT_DIR = Path.of("/tmp/ferrolb-lab");
    public static final int API_PORT = 6443;

    /**
     * How to build the lab. {@code speakerArgs} are appended to every speaker's flags; {@code impl}
     * says whose controller and speakers run (MetalLB's own binaries as the yardstick).
     */
    public record Settings(int nodes, Path dir, String handoff, List<String> speakerArgs, List<String> speakerJvm,
            Implementation impl) {
        public static Settings defaults() {
            return new Settings(3, DEFAULT_DIR, "iptables", List.of(), ChartJvm.speaker(), Implementation.FERROLB);
        }

        public Settings withNodes(int n) {
            return new Settings(n, dir, handoff, speakerArgs, speakerJvm, impl);
        }

        public Settings withSpeakerArgs(String... args) {
            return new Settings(nodes, dir, handoff, List.of(args), speakerJvm, impl);
        }

        public Settings withImpl(Implementation implementation) {
            return new Settings(nodes, dir, handoff, speakerArgs, speakerJvm, implementation);
        }
    }

    private final Settings settings;
    private final Steps steps;
    private final PidFile pids;
    private final Topology topology;
    private final Map<Integer, LabNode> nodes = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::teardown, "lab-teardown");
    private ControlPlane plane;
    private Backends backends;
    private LoadBalancerRules loadBalancerRules;
    private LabProcess controller;
    private int controllerPort;
    private boolean closed;

    private Lab(Settings settings, Steps steps) {
        this.settings = settings;
        this.steps = steps;
        this.pids = new PidFile(settings.dir().resolve("pids"));
        this.topology = new Topology(settings.nodes());
    }

    /** Builds the whole lab step by step; on failure everything built so far is removed again. */
    public static Lab up(Settings settings, Steps steps) {
        Lab lab = new Lab(settings, steps);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        steps.run("clean up what an earlier lab left behind", () -> {
            down(settings.dir(), settings.nodes());
            deleteRecursively(settings.dir());
        });
        steps.run("network: bridge flb-br in flb-lan, " + settings.nodes() + " node namespaces, flb-client, "
                + "root veth flb-host " + Topology.HOST_IP, () -> {
                    Files.createDirectories(settings.dir());
                    topology.up();
                });
        plane = steps.run("control plane: etcd and kube-apiserver on " + Topology.HOST_IP + ":" + API_PORT,
                () -> ControlPlane.start(ControlPlane.Options.defaults().withBindAddress(Topology.HOST_IP)
                        .withPort(API_PORT)));
        recordControlPlanePids();
        Implementation impl = settings.impl();
        ClusterObjects objects = new ClusterObjects(plane.client(), impl);
        installObjects(objects);
        steps.run("kubelet's part: Node objects and speaker Pods", () -> registerNodes(objects));
        steps.run("controller (" + impl + ", ServiceAccount " + impl.controller() + ")", this::startController);
        steps.run("membership key from Secret " + impl.memberlistSecret(), () -> {
            String key = objects.awaitMemberlistKey(Duration.ofSeconds(60));
            for (LabNode node : nodes.values()) {
                Files.writeString(node.dir().resolve("memberlist").resolve("secretkey"), key);
            }
        });
        steps.run("webpods and the EndpointSlice writer", () -> {
            Map<String, Path> portFiles = new LinkedHashMap<>();
            for (LabNode node : nodes.values()) {
                Files.writeString(node.portsFile(), "");
                portFiles.put(node.name(), node.portsFile());
                node.startWebPod();
            }
            backends = new Backends(plane.client(), portFiles).start();
        });
        if (impl == Implementation.METALLB) {
            steps.run("kube-proxy's part: LoadBalancer IP rules on every node (chain " + LoadBalancerRules.CHAIN + ")",
                    () -> {
                        loadBalancerRules = new LoadBalancerRules(plane.client(), List.copyOf(nodes.values())).start();
                    });
        }
        steps.run("speakers (" + (impl == Implementation.FERROLB ? "handoff: " + settings.handoff()
                : "MetalLB " + MetalLbBinaries.version()) + ")", () -> {
                    nodes.values().forEach(n -> n.startSpeaker(speakerCommand(n)));
                    for (LabNode node : nodes.values()) {
                        awaitSpeakerReady(node, Duration.ofSeconds(90));
                    }
                });
    }

    /** What Helm installs: CRDs, namespace, (for ferrolb) the chart's ServiceAccounts and RBAC, release objects. */
    private void installObjects(ClusterObjects objects) {
        if (settings.impl() == Implementation.FERROLB) {
            steps.run("install CRDs, namespace, the chart's ServiceAccounts and RBAC, release objects", () -> {
                plane.installCrds(ControlPlaneBinaries.repositoryRoot().resolve("crds/manifests"));
                plane.ensureNamespace(ClusterObjects.NAMESPACE);
                plane.kubectlWithInput(ChartRbac.renderInChild(ClusterObjects.NAMESPACE), "apply", "-f", "-")
                        .requireSuccess();
                objects.installReleaseObjects();
            });
            return;
        }
        steps.run("install MetalLB " + MetalLbBinaries.version() + "'s CRDs (from its Go module), namespace, "
                + "release objects (MetalLB runs with the admin's credentials here)", () -> {
                    plane.installCrds(MetalLbSource.module(MetalLbBinaries.version()).resolve("config/crd/bases"));
                    plane.ensureNamespace(ClusterObjects.NAMESPACE);
                    objects.installReleaseObjects();
                });
    }

    /** What kubelet registers: a Node and a speaker Pod per node, and the speaker's credentials. */
    private void registerNodes(ClusterObjects objects) throws IOException {
        boolean ferrolb = settings.impl() == Implementation.FERROLB;
        LabNode.SpeakerMetrics metrics = ferrolb ? LabNode.SpeakerMetrics.PLAIN
                : new LabNode.SpeakerMetrics(true, plane.adminToken());
        for (int i = 1; i <= settings.nodes(); i++) {
            LabNode node = new LabNode(i, settings.dir().resolve(Topology.nodeName(i)), pids, metrics);
            nodes.put(i, node);
            objects.registerNode(node.name(), node.ip());
            objects.registerSpeakerPod(node.name(), node.ip());
            Files.writeString(node.dir().resolve("excludel2.yaml"), ClusterObjects.EXCLUDE_L2);
            if (ferrolb) {
                plane.serviceAccountKubeconfig(ClusterObjects.NAMESPACE, ClusterObjects.SPEAKER, node.kubeconfig());
            } else {
                Files.copy(plane.kubeconfig(), node.kubeconfig(), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void startController() throws IOException {
        controllerPort = freePort();
        List<String> command;
        String readyz;
        if (settings.impl() == Implementation.METALLB) {
            int healthPort = freePort();
            command = Commands.metallbController(plane.kubeconfig(), controllerPort, healthPort);
            readyz = "http://127.0.0.1:" + healthPort + "/readyz";
        } else {
            Path kubeconfig = plane.serviceAccountKubeconfig(ClusterObjects.NAMESPACE, ClusterObjects.CONTROLLER,
                    settings.dir().resolve("controller.kubeconfig"));
            command = Commands.ferrolbController(kubeconfig, controllerPort);
            readyz = "http://127.0.0.1:" + controllerPort + "/readyz";
        }
        controller = LabProcess.start("controller", null, command, settings.dir().resolve("controller.log"), pids);
        Await.until("controller ready", Duration.ofSeconds(90), () -> {
            if (!controller.alive()) {
                throw new Await.Abort("controller exited: " + controller.logTail(20));
            }
            return Http.status(readyz) == 200;
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The speaker of a node, as the DaemonSet would run it on the host network. */
    List<String> speakerCommand(LabNode node) {
        return Commands.speaker(settings, node);
    }

    public void awaitSpeakerReady(LabNode node, Duration timeout) {
        Await.until("speaker of " + node.name() + " ready", timeout, () -> {
            if (!node.speakerRunning()) {
                throw new Await.Abort("speaker of " + node.name() + " exited: "
                        + node.speaker().logTail(30));
            }
            return node.speakerReady(nodes.values().stream().map(LabNode::name).toList());
        });
    }

    /** Starts a node's speaker again (after a kill or SIGTERM) and waits until it is ready. */
    public void restartSpeaker(LabNode node) {
        startSpeaker(node);
        awaitSpeakerReady(node, Duration.ofSeconds(90));
    }

    /** Starts a node's speaker and returns at once (it may not become ready, e.g. with its link down). */
    public void startSpeaker(LabNode node) {
        node.startSpeaker(speakerCommand(node));
    }

    /** Stops the controller (SIGTERM) and starts it again, waiting for /readyz. */
    public void restartController() throws IOException {
        controller.close();
        startController();
    }

    public LabProcess controller() {
        return controller;
    }

    /**
     * The PID of every lab process the benchmarks weigh, by name: each running speaker
     * ({@code speaker-n1}...), the controller, kube-apiserver and etcd.
     */
    public Map<String, Long> processes() {
        Map<String, Long> out = new LinkedHashMap<>();
        nodes().stream().filter(LabNode::speakerRunning).forEach(n -> out.put("speaker-" + n.name(), n.speaker().pid()));
        out.put("controller", controller.pid());
        long[] p = plane.pids();
        out.put("kube-apiserver", p[0]);
        out.put("etcd", p[1]);
        return out;
    }

    private void recordControlPlanePids() {
        long[] p = plane.pids();
        pids.record(p[0], "kube-apiserver");
        pids.record(p[1], "etcd");
    }

    /** Stops kube-apiserver for an outage; etcd and every lab process keep running. */
    public void stopApiServer() {
        plane.stopApiServer();
    }

    public boolean apiServerRunning() {
        return plane.apiServerRunning();
    }

    public Duration restartApiServer() {
        Duration d = plane.restartApiServer();
        recordControlPlanePids();
        return d;
    }

    public ControlPlane plane() {
        return plane;
    }

    public KubernetesClient client() {
        return plane.client();
    }

    public List<LabNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public LabNode node(String name) {
        return nodes.values().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    public Settings settings() {
        return settings;
    }

    public PidFile pids() {
        return pids;
    }

    public Steps steps() {
        return steps;
    }

    static Path jar(String module) {
        Path target = ControlPlaneBinaries.repositoryRoot().resolve(module).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("ferrolb-" + module + "-[^-]+.*\\.jar")
                    && !p.getFileName().toString().contains("sources")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + module + " jar in " + target
                            + "; build it with: mvn -B -DskipTests package"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + target + "; build it with: mvn -B -DskipTests package", e);
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Removes what a lab in {@code dir} left: its recorded processes (by PID and start time), its
     * namespaces and the root veth. Safe when nothing is there.
     */
    public static void down(Path dir, int nodes) {
        new PidFile(dir.resolve("pids")).stopAll()
                .forEach(e -> System.out.println("           stopped leftover " + e.name() + " (pid " + e.pid() + ")"));
        new Topology(Math.max(nodes, Topology.existingNodeCount())).down();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running this already
        }
        teardown();
    }

    private synchronized void teardown() {
        if (closed) {
            return;
        }
        closed = true;
        steps.run("tear down: speakers, webpods, controller, control plane, namespaces", () -> {
            nodes.values().forEach(LabNode::stop);
            if (backends != null) {
                backends.close();
            }
            if (loadBalancerRules != null) {
                loadBalancerRules.close();
            }
            if (controller != null) {
                controller.close();
            }
            if (plane != null) {
                plane.close();
            }
            down(settings.dir(), settings.nodes());
        });
    }
}
