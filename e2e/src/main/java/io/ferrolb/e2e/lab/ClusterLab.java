package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.testkit.ClusterBinaries;
import io.ferrolb.testkit.CommandResult;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster lab (docs/design.md §12.5): the process lab's network and control plane, plus
 * kube-scheduler and kube-controller-manager next to the API server, and on every node namespace
 * containerd, kubelet and kube-proxy. ferrolb arrives as users install it: its images imported into
 * each node's containerd and the chart installed with the Helm CLI, default values. A web
 * Deployment (one pod per node, answering with its node's name) is the backend. {@link #close()}
 * undoes every step, also of a lab that failed half-way; a shutdown hook covers Ctrl-C.
 */
public final class ClusterLab implements AutoCloseable {

    public static final String RELEASE = "ferrolb";
    static final String WEB_YAML = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              labels:
                app: web
            spec:
              replicas: %d
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - topologyKey: kubernetes.io/hostname
                        labelSelector:
                          matchLabels:
                            app: web
                  automountServiceAccountToken: false
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: web
                    image: ferrolb.local/web:lab
                    imagePullPolicy: Never
                    ports:
                    - name: http
                      containerPort: 8080
                    env:
                    - name: NODE_NAME
                      valueFrom:
                        fieldRef:
                          fieldPath: spec.nodeName
                    readinessProbe:
                      tcpSocket:
                        port: 8080
                      periodSeconds: 2
            """;

    private final Path dir;
    private final int nodeCount;
    private final Steps steps;
    private final PidFile pids;
    private final Topology topology;
    private final Map<Integer, ClusterNode> nodes = new LinkedHashMap<>();
    private final List<LabProcess> controlPlaneProcesses = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::teardown, "cluster-lab-teardown");
    private ControlPlane plane;
    private String helmInstallOutput;
    private Duration helmInstallTime;
    private boolean closed;

    private ClusterLab(Path dir, int nodeCount, Steps steps) {
        this.dir = dir;
        this.nodeCount = nodeCount;
        this.steps = steps;
        this.pids = new PidFile(dir.resolve("pids"));
        this.topology = new Topology(nodeCount);
    }

    public static ClusterLab up(Path dir, int nodeCount, Steps steps) {
        ClusterLab lab = new ClusterLab(dir, nodeCount, steps);
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
        Path binaries = steps.run("node binaries (tools/cluster/build.sh) and images (tools/images)", () -> {
            Path b = ClusterBinaries.directory();
            ClusterBinaries.images();
            return b;
        });
        steps.run("clean up what an earlier lab left behind", () -> down(dir));
        steps.run("network: bridge flb-br in flb-lan, " + nodeCount + " node namespaces, flb-client, root veth "
                + Topology.HOST_VETH + " " + Topology.HOST_IP + ", routes to the pod networks", () -> {
                    Files.createDirectories(dir);
                    topology.up();
                    for (int i = 1; i <= nodeCount; i++) {
                        Sh.must("ip", "route", "replace", ClusterFiles.podCidr(i), "via", Topology.nodeIp(i), "dev",
                                Topology.HOST_VETH);
                    }
                });
        plane = steps.run("control plane: etcd and kube-apiserver on " + Topology.HOST_IP + ":" + Lab.API_PORT
                + " (Services " + ClusterFiles.SERVICE_CIDRS + ")", () -> ControlPlane.start(ControlPlane.Options
                        .defaults().withBindAddress(Topology.HOST_IP).withPort(Lab.API_PORT)
                        .withServiceCidrs(ClusterFiles.SERVICE_CIDRS).withServiceAccountAdmission()
                        // Webhooks are called at their endpoints: the root namespace has no kube-proxy.
                        .withApiServerFlags("--allow-privileged=true", "--enable-aggregator-routing=true")));
        long[] p = plane.pids();
        pids.record(p[0], "kube-apiserver");
        pids.record(p[1], "etcd");
        Path kubeconfig = dir.resolve("kubeconfig");
        steps.run("kube-scheduler and kube-controller-manager", () -> {
            Files.copy(plane.kubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
            startControlPlaneComponents(binaries, kubeconfig);
        });
        List<Path> images = imageArchives();
        for (int i = 1; i <= nodeCount; i++) {
            ClusterNode node = new ClusterNode(i, dir.resolve(Topology.nodeName(i)), pids);
            nodes.put(i, node);
            steps.run("node " + node.name() + ": containerd, images " + images.stream()
                    .map(a -> a.getFileName().toString()).toList() + ", kubelet, kube-proxy", () -> {
                        node.startRuntime(nodeCount);
                        node.importImages(images);
                        node.startKubelet(kubeconfig, binaries);
                        node.startKubeProxy(kubeconfig, binaries);
                    });
        }
        steps.run("nodes registered and Ready", this::awaitNodesReady);
        steps.run("helm install " + RELEASE + " helm/ferrolb -n " + ClusterObjects.NAMESPACE
                + " --create-namespace (default values, images " + imageTag() + ") --wait, every pod Ready", () -> {
                    long started = System.nanoTime();
                    helmInstallOutput = helm(binaries, "install", RELEASE,
                            ControlPlaneBinaries.repositoryRoot().resolve("helm/ferrolb").toString(),
                            "-n", ClusterObjects.NAMESPACE, "--create-namespace",
                            "--set", "controller.image.tag=" + imageTag(), "--set", "speaker.image.tag=" + imageTag(),
                            "--wait", "--timeout", "5m");
                    // Helm's --wait can pass a DaemonSet whose status it read before the pods existed.
                    kubectl(null, "rollout", "status", "daemonset/" + RELEASE + "-speaker", "-n",
                            ClusterObjects.NAMESPACE, "--timeout=300s");
                    kubectl(null, "rollout", "status", "deployment/" + RELEASE + "-controller", "-n",
                            ClusterObjects.NAMESPACE, "--timeout=300s");
                    helmInstallTime = Duration.ofNanos(System.nanoTime() - started);
                });
        steps.run("web Deployment (" + nodeCount + " pods, one per node)", () -> {
            kubectl(WEB_YAML.formatted(nodeCount), "apply", "-f", "-");
            kubectl(null, "rollout", "status", "deployment/web", "-n", "default", "--timeout=180s");
        });
    }

    private void startControlPlaneComponents(Path binaries, Path kubeconfig) {
        Path certificate = plane.directory().resolve("certs/apiserver.crt");
        controlPlaneProcesses.add(LabProcess.start("kube-scheduler", null, List.of(
                binaries.resolve("kube-scheduler").toString(), "--kubeconfig=" + kubeconfig,
                "--leader-elect=false", "--secure-port=0"), dir.resolve("kube-scheduler.log"), pids));
        controlPlaneProcesses.add(LabProcess.start("kube-controller-manager", null, List.of(
                binaries.resolve("kube-controller-manager").toString(), "--kubeconfig=" + kubeconfig,
                "--leader-elect=false", "--secure-port=0",
                "--service-account-private-key-file=" + plane.directory().resolve("sa.key"),
                "--root-ca-file=" + certificate,
                "--cluster-cidr=" + ClusterFiles.CLUSTER_CIDR,
                "--service-cluster-ip-range=" + ClusterFiles.SERVICE_CIDRS,
                "--use-service-account-credentials=true"), dir.resolve("kube-controller-manager.log"), pids));
    }

    private void awaitNodesReady() {
        Await.until(nodeCount + " Nodes registered", Duration.ofSeconds(120), () -> {
            for (ClusterNode node : nodes.values()) {
                if (!node.kubelet().alive()) {
                    throw new Await.Abort("kubelet of " + node.name() + " exited: " + node.kubelet().logTail(30));
                }
            }
            return client().nodes().list().getItems().size() == nodeCount;
        });
        for (ClusterNode node : nodes.values()) {
            // A merge patch without resourceVersion: kubelet writes the Node's status meanwhile.
            String cidr = ClusterFiles.podCidr(node.index());
            kubectl(null, "patch", "node", node.name(), "--type=merge", "-p",
                    "{\"spec\":{\"podCIDR\":\"" + cidr + "\",\"podCIDRs\":[\"" + cidr + "\"]}}");
        }
        kubectl(null, "wait", "--for=condition=Ready", "node", "--all", "--timeout=120s");
    }

    /** The tag the images were built with: the project's version (tools/images/build.sh). */
    public static String imageTag() {
        return Lab.jar("controller").getFileName().toString().replaceFirst("^ferrolb-controller-", "")
                .replaceFirst("\\.jar$", "");
    }

    private static List<Path> imageArchives() {
        Path images = ClusterBinaries.images();
        return List.of(images.resolve("pause-lab.oci.tar"), images.resolve("web-lab.oci.tar"),
                images.resolve("controller-" + imageTag() + ".oci.tar"),
                images.resolve("speaker-" + imageTag() + ".oci.tar"));
    }

    /** Runs the Helm CLI as the admin, its caches under the lab's directory; returns what it printed. */
    public String helm(String... args) {
        return helm(ClusterBinaries.directory(), args);
    }

    private String helm(Path binaries, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "HELM_CACHE_HOME=" + dir.resolve("helm/cache"),
                "HELM_CONFIG_HOME=" + dir.resolve("helm/config"), "HELM_DATA_HOME=" + dir.resolve("helm/data"),
                binaries.resolve("helm").toString(), "--kubeconfig", plane.kubeconfig().toString()));
        command.addAll(List.of(args));
        // A lab process (recorded by PID), so that a teardown half-way through an install stops it too.
        Path log = dir.resolve("helm.log");
        try {
            Files.deleteIfExists(log);
            LabProcess helm = LabProcess.start("helm", null, command, log, pids);
            helm.awaitExit(Duration.ofMinutes(10));
            String printed = Files.readString(log);
            if (helm.exitCode() != 0) {
                throw new IllegalStateException("helm " + String.join(" ", args) + " failed: " + printed.strip());
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kubectl as the admin, with {@code stdin} (may be null); fails with its output when it fails. */
    public String kubectl(String stdin, String... args) {
        CommandResult r = stdin == null ? plane.kubectl(args) : plane.kubectlWithInput(stdin, args);
        return r.requireSuccess();
    }

    /** GET /metrics on the chart's metrics port (7472) of an address: a node's (speaker) or a pod's. */
    public String metrics(String ip) {
        return Http.body("http://" + ip + ":7472/metrics");
    }

    public KubernetesClient client() {
        return plane.client();
    }

    public ControlPlane plane() {
        return plane;
    }

    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public ClusterNode node(String name) {
        return nodes.values().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    public Path dir() {
        return dir;
    }

    public PidFile pids() {
        return pids;
    }

    public Steps steps() {
        return steps;
    }

    public String helmInstallOutput() {
        return helmInstallOutput;
    }

    public Duration helmInstallTime() {
        return helmInstallTime;
    }

    /**
     * Removes what a cluster lab in {@code dir} left: every node's pods, shims, containerd, mounts and
     * cgroups, then the recorded processes, namespaces and root veth ({@link Lab#down}).
     */
    public static void down(Path dir) throws IOException {
        int count = Math.max(Topology.existingNodeCount(), 3);
        // kubelets first, so that none starts a container again while its node is cleaned up.
        new PidFile(dir.resolve("pids")).stopAll()
                .forEach(e -> System.out.println("           stopped leftover " + e.name() + " (pid " + e.pid() + ")"));
        for (int i = 1; i <= count; i++) {
            ClusterNode.cleanup(dir.resolve(Topology.nodeName(i)), Topology.nodeName(i), null);
        }
        Lab.down(dir, count);
        Lab.deleteRecursively(dir);
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
        steps.run("tear down: kubelets, pods, containerds, mounts, cgroups, control plane, namespaces", () -> {
            nodes.values().forEach(ClusterNode::close);
            controlPlaneProcesses.forEach(LabProcess::close);
            if (plane != null) {
                plane.close();
            }
            down(dir);
        });
    }
}
