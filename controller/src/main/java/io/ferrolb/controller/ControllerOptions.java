package io.ferrolb.controller;

import io.ferrolb.common.Flags;
import io.ferrolb.common.KubeClients;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The controller's settings, from MetalLB's flags and environment variables where MetalLB has
 * them, ours otherwise.
 *
 * @param webhookHosts extra names or IPs for the serving certificate, beside the Service's DNS names
 */
public record ControllerOptions(
        String kubeconfig,
        String namespace,
        String loadBalancerClass,
        String bindAddress,
        int port,
        WebhookMode webhookMode,
        int webhookPort,
        String webhookSecret,
        String webhookConfiguration,
        String webhookServiceName,
        List<String> webhookHosts,
        String membershipSecret,
        String deployment,
        boolean leaderElection,
        String leaseName,
        String identity,
        int reconcileThreads,
        Duration poolStatusPeriod) {

    /** {@code --webhook-mode}: serve the webhook and control, control only, or webhook only. */
    public enum WebhookMode {
        ENABLED, DISABLED, ONLYWEBHOOK;

        static final List<String> NAMES = List.of("enabled", "disabled", "onlywebhook");

        static WebhookMode parse(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }

        public boolean webhook() {
            return this != DISABLED;
        }

        public boolean controller() {
            return this != ONLYWEBHOOK;
        }
    }

    public static ControllerOptions parse(String[] args) {
        Flags f = new Flags(args, Set.of("leader-elect"));
        String namespace = f.string("namespace", "METALLB_NAMESPACE", KubeClients.inClusterNamespace());
        String hosts = f.string("webhook-host", null, "");
        ControllerOptions options = new ControllerOptions(
                f.string("kubeconfig", null, null),
                namespace,
                f.string("lb-class", null, ""),
                f.string("bind-address", null, "0.0.0.0"),
                f.integer("port", null, 7472),
                WebhookMode.parse(f.choice("webhook-mode", null, "enabled", WebhookMode.NAMES)),
                f.integer("webhook-port", null, 9443),
                f.string("webhook-secret", null, "ferrolb-webhook-cert"),
                f.string("webhook-configuration", null, "ferrolb-webhook-configuration"),
                f.string("cert-service-name", null, "ferrolb-webhook-service"),
                hosts.isEmpty() ? List.of() : Arrays.stream(hosts.split(",")).map(String::strip).toList(),
                f.string("ml-secret-name", "METALLB_ML_SECRET_NAME", ""),
                f.string("deployment", "METALLB_DEPLOYMENT", ""),
                f.bool("leader-elect", null, true),
                f.string("lease-name", null, "ferrolb-controller"),
                f.string("pod-name", "METALLB_POD_NAME", "ferrolb-controller-" + ProcessHandle.current().pid()),
                f.integer("reconcile-threads", null, 10),
                Duration.ofMillis(f.integer("pool-status-period-ms", null, 500)));
        f.requireAllKnown();
        if (namespace == null) {
            throw new IllegalArgumentException("--namespace (or METALLB_NAMESPACE) is required outside a cluster");
        }
        return options;
    }
}
