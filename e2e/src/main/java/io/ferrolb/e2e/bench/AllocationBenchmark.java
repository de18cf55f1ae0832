package io.ferrolb.e2e.bench;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.IPAddressPoolSpec;
import io.ferrolb.e2e.lab.ChartJvm;
import io.ferrolb.e2e.lab.ProcStatus;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneBinaries;
import io.ferrolb.testkit.MetalLbBinaries;
import io.ferrolb.testkit.MetalLbSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The controller benchmark of docs/benchmarks.md, on a real API server with the controller as its
 * own process ({@code java -jar}, heap capped as in a container):
 * <ol>
 *   <li>backlog: N Services created while no controller runs (the API server's own creation rate),
 *       then the controller starts: Services/s until all have an address, RSS;
 *   <li>restart: the controller is stopped and started; time until it is ready (every Service
 *       handled again) and the number of addresses that moved;
 *   <li>arrivals: M more Services created while the controller runs: create-to-status latency
 *       p50/p99 and end-to-end Services/s.
 * </ol>
 * {@code e2e/bench.sh allocation [N=10000] [M=1000] [clients=16] [ferrolb|metallb]}: the last
 * argument runs MetalLB v0.16.1's own controller (built from its Go module) instead, with
 * MetalLB's CRDs.
 */
public final class AllocationBenchmark {

    private static final String NS = "bench";
    /** What the chart's Deployment of the controller sets. */
    static final List<String> JVM = ChartJvm.controller();

    private AllocationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int arrivals = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        boolean metallb = args.length > 3 && args[3].equals("metallb");
        if (args.length > 3 && !metallb && !args[3].equals("ferrolb")) {
            throw new IllegalArgumentException("the fourth argument is ferrolb or metallb, not " + args[3]);
        }
        Path out = ControlPlaneBinaries.repositoryRoot().resolve("e2e/target/bench");
        Files.createDirectories(out);
        // Every LoadBalancer Service takes a NodePort; the default range holds only 2,768.
        ControlPlane.Options options = ControlPlane.Options.defaults()
                .withApiServerFlags("--service-node-port-range=30000-49999");
        try (ControlPlane plane = ControlPlane.start(options)) {
            plane.installCrds(metallb ? MetalLbSource.module(MetalLbBinaries.version()).resolve("config/crd/bases")
                    : ControlPlaneBinaries.repositoryRoot().resolve("crds/manifests"));
            plane.ensureNamespace("metallb-system");
            plane.ensureNamespace(NS);
            KubernetesClient client = plane.client();
            client.resource(new IPAddressPool("metallb-system", "bench", IPAddressPoolSpec.of("10.64.0.0/16")))
                    .create();
            Tracker tracker = new Tracker(client);
            try {
                Supplier<BenchController> controllers = () -> metallb ? MetalLbControllerProcess.start(plane)
                        : ferrolb(plane, out.resolve("controller-" + STARTS.incrementAndGet() + ".log"));
                System.out.println("controller: " + (metallb ? "MetalLB " + MetalLbBinaries.version()
                        : "ferrolb, JVM " + JVM));
                run(plane, client, tracker, backlog, arrivals, clients, controllers);
            } finally {
                tracker.close();
            }
        }
    }

    private static final AtomicInteger STARTS = new AtomicInteger();

    private static BenchController ferrolb(ControlPlane plane, Path log) {
        try {
            return ControllerProcess.start(plane, log, JVM);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(ControlPlane plane, KubernetesClient client, Tracker tracker, int backlog, int arrivals,
                            int clients, Supplier<BenchController> controllers) throws Exception {
        long t0 = System.nanoTime();
        create(client, 0, backlog, clients, tracker);
        double createSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("backlog: %d Services created without a controller in %.1f s (%.0f/s, %d clients)%n",
                backlog, createSeconds, backlog / createSeconds, clients);

        long[] cp = plane.pids();
        try (BenchController first = controllers.get()) {
            long started = System.nanoTime();
            double api0 = ProcStatus.cpuSeconds(cp[0]);
            double etcd0 = ProcStatus.cpuSeconds(cp[1]);
            tracker.await(backlog, Duration.ofMinutes(15));
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] rss = first.rssMiB();
            System.out.printf("backlog: all %d addressed %.1f s after the controller process started: %.0f Services/s;"
                    + " RSS %d MiB (peak %d)%n", backlog, seconds, backlog / seconds, rss[0], rss[1]);
            System.out.printf("  CPU seconds in that window: kube-apiserver %.1f, etcd %.1f, controller %.1f "
                    + "(of %.1f available on 2 cores)%n", ProcStatus.cpuSeconds(cp[0]) - api0, ProcStatus.cpuSeconds(cp[1]) - etcd0,
                    ProcStatus.cpuSeconds(first.pid()), 2 * seconds);
            System.out.println("  " + first.timers());
        }
        rawStatusWrites(client, Math.min(backlog, 2000), 8);

        Map<String, List<String>> before = snapshot(client);
        try (BenchController second = controllers.get()) {
            Duration ready = second.awaitReady(Duration.ofMinutes(5));
            long moved = moved(before, snapshot(client));
            System.out.printf("restart: ready, all %d Services handled again, %d ms after process start; "
                    + "addresses moved: %d%n", backlog, ready.toMillis(), moved);

            long a0 = System.nanoTime();
            create(client, backlog, backlog + arrivals, clients, tracker);
            tracker.await(backlog + arrivals, Duration.ofMinutes(15));
            double seconds = (System.nanoTime() - a0) / 1e9;
            double[] latency = tracker.latenciesMillis(backlog, backlog + arrivals);
            long[] rss = second.rssMiB();
            System.out.printf("arrivals: %d Services created and addressed in %.1f s (%.0f/s); create-to-status "
                    + "p50 %.0f ms, p99 %.0f ms, max %.0f ms; RSS %d MiB (peak %d)%n", arrivals, seconds,
                    arrivals / seconds, pct(latency, 0.50), pct(latency, 0.99), latency[latency.length - 1], rss[0],
                    rss[1]);
            System.out.println("  " + second.timers());
            System.out.printf("addresses moved over the whole run: %d%n", moved(before, snapshot(client)));
        }
    }

    private static void create(KubernetesClient client, int from, int to, int clients, Tracker tracker)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger failures = new AtomicInteger();
        for (int i = from; i < to; i++) {
            String name = "svc-" + i;
            pool.execute(() -> {
                long t = System.nanoTime();
                try {
                    client.resource(new ServiceBuilder()
                            .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                            .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", name))
                            .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec()
                            .build()).create();
                    tracker.created(name, t);
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " Services could not be created");
        }
    }

    /**
     * The API server's own rate for the controller's one write, without the controller: status
     * updates of existing Services (their address unchanged, the pool annotation re-set) by
     * {@code threads} clients.
     */
    private static void rawStatusWrites(KubernetesClient client, int count, int threads) throws InterruptedException {
        List<Service> targets = client.services().inNamespace(NS).list().getItems().subList(0, count);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        for (Service s : targets) {
            pool.execute(() -> {
                s.getMetadata().getAnnotations().put("bench/raw", "1");
                client.services().inNamespace(NS).resource(s).updateStatus();
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("raw API server rate, %d Service status updates by %d clients, no controller: %.0f/s%n",
                count, threads, count / seconds);
    }

    private static Map<String, List<String>> snapshot(KubernetesClient client) {
        Map<String, List<String>> ips = new TreeMap<>();
        for (Service s : client.services().inNamespace(NS).list().getItems()) {
            ips.put(s.getMetadata().getName(), ingress(s));
        }
        return ips;
    }

    private static long moved(Map<String, List<String>> before, Map<String, List<String>> after) {
        return before.entrySet().stream().filter(e -> !e.getValue().equals(after.get(e.getKey()))).count();
    }

    static List<String> ingress(Service s) {
        if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return s.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList();
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Watches the Services: when each was created and when it first had an address. */
    private static final class Tracker implements AutoCloseable {
        private final Map<String, Long> created = new ConcurrentHashMap<>();
        private final Map<String, Long> addressed = new ConcurrentHashMap<>();
        private final SharedIndexInformer<Service> informer;

        Tracker(KubernetesClient client) {
            informer = client.services().inNamespace(NS).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Service s) {
                    seen(s);
                }

                @Override
                public void onUpdate(Service old, Service s) {
                    seen(s);
                }

                @Override
                public void onDelete(Service s, boolean unknown) {
                }
            });
        }

        private void seen(Service s) {
            if (!ingress(s).isEmpty()) {
                addressed.putIfAbsent(s.getMetadata().getName(), System.nanoTime());
            }
        }

        void created(String name, long at) {
            created.put(name, at);
        }

        void await(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (addressed.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + addressed.size() + " of " + count + " have an address");
                }
                Thread.sleep(20);
            }
        }

        double[] latenciesMillis(int from, int to) {
            double[] out = new double[to - from];
            for (int i = from; i < to; i++) {
                String name = "svc-" + i;
                out[i - from] = (addressed.get(name) - created.get(name)) / 1e6;
            }
            java.util.Arrays.sort(out);
            return out;
        }

        @Override
        public void close() {
            informer.close();
        }
    }
}
