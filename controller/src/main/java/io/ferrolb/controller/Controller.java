package io.ferrolb.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.common.KubeClients;
import io.ferrolb.common.Metrics;
import io.ferrolb.common.OpsServer;
import io.ferrolb.controller.membership.MembershipSecret;
import io.ferrolb.controller.reconcile.AllocationCoordinator;
import io.ferrolb.controller.reconcile.ControllerMetrics;
import io.ferrolb.controller.reconcile.IPAddressPoolReconciler;
import io.ferrolb.controller.reconcile.KubeServiceWriter;
import io.ferrolb.controller.reconcile.LoadBalancerClass;
import io.ferrolb.controller.reconcile.NamespaceReconciler;
import io.ferrolb.controller.reconcile.PoolStatusWriter;
import io.ferrolb.controller.reconcile.ServiceReconciler;
import io.ferrolb.controller.webhook.WebhookCertificates;
import io.ferrolb.controller.webhook.WebhookServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller: every part built from {@link ControllerOptions} and started in order,
 * stopped in reverse by {@link #close()}. With leader election, only the leader allocates; every
 * replica serves the webhook and its metrics.
 */
public final class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    private static final Duration CERT_VALIDITY = Duration.ofDays(365);
    private static final Duration CERT_CHECK = Duration.ofSeconds(30);
    private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final ControllerOptions options;
    private final KubernetesClient client;
    private final PrometheusMeterRegistry registry = Metrics.newRegistry();
    private final EventRecorder events;
    private final AllocationCoordinator coordinator;
    private final PoolStatusWriter poolStatus;
    private final IPAddressPoolReconciler poolsReconciler;
    private final List<RegisteredController<?>> registered;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Operator operator;
    private CompletableFuture<?> election;
    private OpsServer ops;
    private WebhookServer webhook;

    private Controller(ControllerOptions options) {
        this.options = options;
        this.client = KubeClients.create(options.kubeconfig());
        this.events = new EventRecorder(client, "ferrolb-controller");
        ControllerMetrics metrics = new ControllerMetrics(registry);
        this.poolStatus = new PoolStatusWriter(client, options.namespace(), options.poolStatusPeriod());
        this.coordinator = new AllocationCoordinator(new KubeServiceWriter(client, events), metrics,
                LoadBalancerClass.of(options.loadBalancerClass()), poolStatus::offer);
        if (options.webhookMode().controller()) {
            IPAddressPoolReconciler pools = new IPAddressPoolReconciler(coordinator, metrics, events,
                    poolStatus::identities);
            operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(options.reconcileThreads())
                    .withUseSSAToPatchPrimaryResource(false)
                    .withResourceCloner(Controller::unchanged));
            registered = List.of(operator.register(new ServiceReconciler(coordinator)),
                    operator.register(pools, o -> o.settingNamespaces(options.namespace())),
                    operator.register(new NamespaceReconciler(coordinator)));
            coordinator.cachesSyncedWhen(this::cachesSynced);
            pools.loadOnlyWhen(this::cachesSynced);
            poolsReconciler = pools;
        } else {
            poolsReconciler = null;
            registered = List.of();
        }
    }

    /**
     * The "clone" JOSDK hands a reconciler: the cached object itself. Its default clones every
     * resource of every event through JSON (a serialization and a parse), about 8% of the
     * controller's CPU over a 10,000-Service backlog. No reconciler here changes what it is given:
     * a write is a new object built from it ({@code ServiceHandler}), and the passes over all
     * Services already read the cache itself.
     */
    private static <R extends HasMetadata> R unchanged(R resource) {
        return resource;
    }

    /** Builds and starts everything; returns once serving (allocation may wait for leadership). */
    public static Controller start(ControllerOptions options) throws IOException {
        Controller controller = new Controller(options);
        try {
            controller.startParts();
        } catch (IOException | RuntimeException e) {
            controller.close();
            throw e;
        }
        return controller;
    }

    private void startParts() throws IOException {
        ops = new OpsServer(new InetSocketAddress(options.bindAddress(), options.port()), registry,
                () -> !options.webhookMode().controller() || coordinator.ready()).start();
        if (options.webhookMode().webhook()) {
            List<String> hosts = new ArrayList<>();
            hosts.add(options.webhookServiceName() + "." + options.namespace() + ".svc");
            hosts.add(options.webhookServiceName() + "." + options.namespace() + ".svc.cluster.local");
            hosts.addAll(options.webhookHosts());
            WebhookCertificates certificates = new WebhookCertificates(client, options.namespace(),
                    options.webhookSecret(), options.webhookConfiguration(), hosts, CERT_VALIDITY, Clock.systemUTC());
            certificates.start(CERT_CHECK);
            closeables.add(certificates);
            webhook = new WebhookServer(new InetSocketAddress(options.bindAddress(), options.webhookPort()),
                    certificates.keyManager(), client, options.namespace()).start();
        }
        if (!options.membershipSecret().isEmpty() && !options.deployment().isEmpty()) {
            MembershipSecret.ensure(client, options.namespace(), options.membershipSecret(), options.deployment());
        }
        if (operator == null) {
            return;
        }
        if (options.leaderElection()) {
            election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                    .withName(options.leaseName())
                    .withLock(new LeaseLock(options.namespace(), options.leaseName(), options.identity()))
                    .withLeaseDuration(Duration.ofSeconds(15))
                    .withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofSeconds(2))
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(new LeaderCallbacks(this::lead, this::lostLeadership,
                            leader -> LOG.info("leader is {}", leader)))
                    .build()).build().start();
        } else {
            lead();
        }
    }

    private void lead() {
        LOG.info("leading: starting the reconcilers identity={}", options.identity());
        operator.start();
        // Zero pools produce no pool event: once the caches hold everything, load what is there.
        long deadline = System.nanoTime() + CACHE_SYNC_TIMEOUT.toNanos();
        while (!cachesSynced()) {
            if (System.nanoTime() > deadline) {
                LOG.error("informer caches not synced after {}; exiting", CACHE_SYNC_TIMEOUT);
                Runtime.getRuntime().halt(1);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        poolsReconciler.loadConfig();
    }

    /** True once every informer of every reconciler has listed its objects. */
    private boolean cachesSynced() {
        for (RegisteredController<?> controller : registered) {
            var informers = controller.getControllerHealthInfo().informerEventSourceHealthIndicators().values();
            if (informers.isEmpty()) {
                return false;
            }
            for (InformerWrappingEventSourceHealthIndicator<?> source : informers) {
                for (InformerHealthIndicator informer : source.informerHealthIndicators().values()) {
                    if (!informer.hasSynced()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void lostLeadership() {
        if (stopped.getCount() > 0) {
            LOG.error("leadership lost; exiting so that a fresh process rebuilds its state");
            Runtime.getRuntime().halt(1);
        }
    }

    /** The metrics and health port. */
    public int opsPort() {
        return ops.port();
    }

    /** The webhook port, or -1 without a webhook. */
    public int webhookPort() {
        return webhook == null ? -1 : webhook.port();
    }

    public boolean ready() {
        return coordinator.ready();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        stopped.countDown();
        if (election != null) {
            election.cancel(true);
        }
        if (operator != null) {
            try {
                operator.stop();
            } catch (RuntimeException e) {
                LOG.debug("operator stop: {}", e.toString());
            }
        }
        coordinator.close();
        poolStatus.close();
        if (webhook != null) {
            webhook.close();
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("close: {}", e.toString());
            }
        }
        if (ops != null) {
            ops.close();
        }
        events.close();
        client.close();
    }
}
