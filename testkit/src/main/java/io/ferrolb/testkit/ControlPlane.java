package io.ferrolb.testkit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Kubernetes API server: etcd and kube-apiserver as child processes on free local ports,
 * with a fresh data directory, RBAC authorization and an admin token. There is no
 * kube-controller-manager, scheduler or kubelet: tests create Nodes, Pods and EndpointSlices
 * themselves and nothing garbage-collects or finalizes namespaces.
 *
 * <p>Everything it starts is stopped by PID and its directory deleted on {@link #close()}, and by a
 * shutdown hook if the JVM ends first.
 */
public final class ControlPlane implements AutoCloseable {

    /** Service ClusterIPs come from the lab's range; no traffic is ever sent to them. */
    public static final String SERVICE_CIDRS = "198.19.0.0/16,fd00:198:19::/112";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern ETCD_VERSION = Pattern.compile("\"etcdserver\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * How to start the API server. {@code serviceAccountAdmission} turns on the ServiceAccount
     * admission plugin, for a cluster whose kube-controller-manager creates the default
     * ServiceAccounts and whose Pods get tokens mounted (the cluster lab).
     */
    public record Options(String bindAddress, int port, List<String> extraApiServerFlags, String serviceCidrs,
            boolean serviceAccountAdmission) {
        public Options {
            extraApiServerFlags = List.copyOf(extraApiServerFlags);
        }

        public static Options defaults() {
            return new Options("127.0.0.1", 0, List.of(), SERVICE_CIDRS, false);
        }

        public Options withBindAddress(String address) {
            return new Options(address, port, extraApiServerFlags, serviceCidrs, serviceAccountAdmission);
        }

        /** A fixed secure port (the lab's 6443); 0 picks a free one. */
        public Options withPort(int fixed) {
            return new Options(bindAddress, fixed, extraApiServerFlags, serviceCidrs, serviceAccountAdmission);
        }

        public Options withApiServerFlags(String... flags) {
            List<String> all = new ArrayList<>(extraApiServerFlags);
            all.addAll(List.of(flags));
            return new Options(bindAddress, port, all, serviceCidrs, serviceAccountAdmission);
        }

        /** ClusterIP ranges other than {@link #SERVICE_CIDRS}, e.g. to leave room for pod networks. */
        public Options withServiceCidrs(String cidrs) {
            return new Options(bindAddress, port, extraApiServerFlags, cidrs, serviceAccountAdmission);
        }

        public Options withServiceAccountAdmission() {
            return new Options(bindAddress, port, extraApiServerFlags, serviceCidrs, true);
        }
    }

    private final Path dir;
    private final Options options;
    private final String adminToken = UUID.randomUUID().toString();
    private final Thread shutdownHook = new Thread(this::stopAll, "control-plane-shutdown");
    private ManagedProcess etcd;
    private ManagedProcess apiServer;
    private List<String> apiServerCommand;
    private String url;
    private Path kubeconfig;
    private KubernetesClient client;
    private String version;
    private String etcdVersion;
    private Duration startupTime;

    private ControlPlane(Path dir, Options options) {
        this.dir = dir;
        this.options = options;
    }

    public static ControlPlane start() {
        return start(Options.defaults());
    }

    public static ControlPlane start(Options options) {
        Path binaries = ControlPlaneBinaries.directory();
        ControlPlane plane;
        try {
            plane = new ControlPlane(Files.createTempDirectory("ferrolb-cp-"), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(plane.shutdownHook);
        try {
            plane.boot(binaries);
            return plane;
        } catch (RuntimeException | IOException e) {
            plane.close();
            throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
        }
    }

    private void boot(Path binaries) throws IOException {
        long started = System.nanoTime();
        Files.writeString(dir.resolve("tokens.csv"), adminToken + ",admin,admin,system:masters\n");
        PemFiles.writeRsaKeyPair(dir.resolve("sa.key"), dir.resolve("sa.pub"));

        int etcdPort = freePort();
        int etcdPeerPort = freePort();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        etcd = ManagedProcess.start("etcd", List.of(
                binaries.resolve("etcd").toString(),
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                "--initial-cluster=default=http://127.0.0.1:" + etcdPeerPort,
                // Test data need not survive a power cut; fsync would dominate start-up time.
                "--unsafe-no-fsync",
                "--log-level=warn"), dir.resolve("etcd.log"));
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String etcdVersionJson = new StartupWait(etcd, READY_TIMEOUT)
                .forHttpOk(plain, URI.create(etcdUrl + "/version"), null);
        Matcher m = ETCD_VERSION.matcher(etcdVersionJson);
        etcdVersion = m.find() ? m.group(1) : "unknown";

        int port = options.port() > 0 ? options.port() : freePort();
        url = "https://" + hostLiteral(options.bindAddress()) + ":" + port;
        List<String> command = new ArrayList<>(List.of(
                binaries.resolve("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=" + options.bindAddress(),
                "--advertise-address=" + options.bindAddress(),
                "--secure-port=" + port,
                "--cert-dir=" + dir.resolve("certs"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=" + options.serviceCidrs()));
        if (!options.serviceAccountAdmission()) {
            // No kube-controller-manager creates default ServiceAccounts, so Pods a test
            // creates must not need one.
            command.add("--disable-admission-plugins=ServiceAccount");
        }
        command.addAll(options.extraApiServerFlags());
        apiServerCommand = List.copyOf(command);
        Path cert = startApiServer();
        startupTime = Duration.ofNanos(System.nanoTime() - started);

        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, kubeconfigYaml(cert, "admin", adminToken));
        client = newClient();
        version = client.getKubernetesVersion().getGitVersion();
        System.out.printf("[controlplane] kube-apiserver %s with etcd %s ready at %s in %d ms%n",
                version, etcdVersion, url, startupTime.toMillis());
    }

    private Path startApiServer() throws IOException {
        apiServer = ManagedProcess.start("kube-apiserver", apiServerCommand, dir.resolve("kube-apiserver.log"));
        Path cert = dir.resolve("certs").resolve("apiserver.crt");
        StartupWait apiServerStart = new StartupWait(apiServer, READY_TIMEOUT);
        apiServerStart.forFile(cert);
        HttpClient tls = HttpClient.newBuilder()
                .sslContext(PemFiles.trusting(cert))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        apiServerStart.forHttpOk(tls, URI.create(url + "/readyz"), adminToken);
        return cert;
    }

    /** Stops kube-apiserver (etcd and the data stay), as an outage of the control plane. */
    public synchronized void stopApiServer() {
        apiServer.close();
    }

    public synchronized boolean apiServerRunning() {
        return apiServer.isAlive();
    }

    /** Starts kube-apiserver again on the same address, port, certificates and data. */
    public synchronized Duration restartApiServer() {
        if (apiServer.isAlive()) {
            throw new IllegalStateException("kube-apiserver is running");
        }
        long started = System.nanoTime();
        try {
            startApiServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Writes a kubeconfig that authenticates with a bound token of the ServiceAccount (TokenRequest,
     * as kubelet mounts it), so the holder has exactly the RBAC permissions the ServiceAccount has.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount, Path file) {
        String token = kubectl("create", "token", serviceAccount, "-n", namespace, "--duration=24h")
                .requireSuccess().strip();
        try {
            Files.writeString(file, kubeconfigYaml(dir.resolve("certs").resolve("apiserver.crt"),
                    namespace + "-" + serviceAccount, token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A new admin client; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
    }

    /** The shared admin client, closed with the control plane. */
    public KubernetesClient client() {
        return client;
    }

    /** Runs the kubectl built with the API server against it, as admin. */
    public CommandResult kubectl(String... args) {
        return Kubectl.run(kubeconfig, List.of(args));
    }

    /** Runs kubectl with a manifest on its standard input, for example {@code apply -f -}. */
    public CommandResult kubectlWithInput(String stdin, String... args) {
        return Kubectl.run(kubeconfig, List.of(args), stdin);
    }

    /**
     * Applies the CRD manifests of a file or directory (server-side, as a user would) and waits
     * until the API server serves every CRD it defines.
     */
    public void installCrds(Path manifests) {
        kubectl("apply", "--server-side", "-f", manifests.toString()).requireSuccess();
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all").requireSuccess();
    }

    /** Creates the namespace unless it exists (no controller ever deletes one here). */
    public void ensureNamespace(String name) {
        if (!kubectl("get", "namespace", name).succeeded()) {
            kubectl("create", "namespace", name).requireSuccess();
        }
    }

    /** The PIDs of kube-apiserver and etcd, for measurements. */
    public long[] pids() {
        return new long[] {apiServer.pid(), etcd.pid()};
    }

    public String url() {
        return url;
    }

    /** The admin's bearer token (system:masters), e.g. for endpoints that authenticate by TokenReview. */
    public String adminToken() {
        return adminToken;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The API server's {@code gitVersion}, for example {@code v1.34.4}. */
    public String version() {
        return version;
    }

    public String etcdVersion() {
        return etcdVersion;
    }

    /** From the first process start to {@code /readyz} answering ok. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The directory holding the data, certificates, keys and logs. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs this anyway.
        }
        stopAll();
    }

    private synchronized void stopAll() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (apiServer != null) {
            apiServer.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        deleteRecursively(dir);
    }

    private String kubeconfigYaml(Path caCert, String user, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: ferrolb-test
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: ferrolb-test
                  context:
                    cluster: ferrolb-test
                    user: %s
                current-context: ferrolb-test
                """.formatted(url, caCert, user, token, user);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String hostLiteral(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[controlplane] cannot delete " + root + ": " + e);
        }
    }
}
