package io.ferrolb.controller.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.controller.Controller;
import io.ferrolb.controller.ControllerOptions;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real API server with our CRDs, controllers started in-process against it, and Service helpers. */
public final class Harness {

    static final String NS = "metallb-system";
    static final Duration WAIT = Duration.ofSeconds(30);

    final ControlPlane plane;
    final KubernetesClient client;
    private final List<Controller> controllers = new ArrayList<>();

    public Harness(ControlPlane plane) {
        this.plane = plane;
        this.client = plane.client();
        plane.installCrds(ControlPlaneBinaries.repositoryRoot().resolve("crds/manifests"));
        plane.ensureNamespace(NS);
    }

    /** A controller on ephemeral ports, webhook off, no leader election, plus any extra flags. */
    public Controller startController(String... extra) {
        List<String> args = new ArrayList<>(List.of("--kubeconfig", plane.kubeconfig().toString(),
                "--namespace", NS, "--bind-address", "127.0.0.1", "--port", "0", "--webhook-mode", "disabled",
                "--leader-elect=false", "--pool-status-period-ms", "100"));
        args.addAll(List.of(extra));
        try {
            Controller controller = Controller.start(ControllerOptions.parse(args.toArray(String[]::new)));
            controllers.add(controller);
            return controller;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop(Controller controller) {
        controller.close();
        controllers.remove(controller);
    }

    public void stopAll() {
        List.copyOf(controllers).forEach(this::stop);
    }

    /** Replaces every pool with these. */
    void pools(IPAddressPool... pools) {
        client.resources(IPAddressPool.class).inNamespace(NS).delete();
        await().atMost(WAIT).until(() -> client.resources(IPAddressPool.class).inNamespace(NS).list().getItems().isEmpty());
        for (IPAddressPool pool : pools) {
            client.resource(pool).create();
        }
    }

    Service create(String namespace, String name, UnaryOperator<ServiceBuilder> customise) {
        plane.ensureNamespace(namespace);
        ServiceBuilder builder = new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", name))
                .addNewPort().withProtocol("TCP").withPort(80).endPort().endSpec();
        return client.resource(customise.apply(builder).build()).create();
    }

    Service create(String namespace, String name) {
        return create(namespace, name, b -> b);
    }

    Service get(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    static List<String> ingress(Service service) {
        if (service == null || service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).toList();
    }

    List<String> ingress(String namespace, String name) {
        return ingress(get(namespace, name));
    }

    /** Waits until the Service's ingress IPs are exactly these, and returns the Service. */
    Service awaitIngress(String namespace, String name, String... ips) {
        await().atMost(WAIT).until(() -> ingress(namespace, name).equals(List.of(ips)));
        return get(namespace, name);
    }

    /** The events recorded on one object, oldest first. */
    List<Event> events(String namespace, String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .sorted(java.util.Comparator.comparing(Harness::occurred))
                .toList();
    }

    /**
     * When an event happened. Events written through events.k8s.io/v1 (by other components than
     * ferrolb) have an eventTime and no firstTimestamp; one such on a test's Service failed CI.
     */
    private static String occurred(Event event) {
        if (event.getFirstTimestamp() != null) {
            return event.getFirstTimestamp();
        }
        if (event.getEventTime() != null && event.getEventTime().getTime() != null) {
            return event.getEventTime().getTime();
        }
        return event.getMetadata().getCreationTimestamp();
    }

    /** Waits for an event with this reason on the object and returns its message. */
    String awaitEvent(String namespace, String name, String reason) {
        return await().atMost(WAIT).until(() -> events(namespace, name).stream()
                .filter(e -> reason.equals(e.getReason())).map(Event::getMessage).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    void deleteServices(String namespace) {
        client.services().inNamespace(namespace).delete();
        await().atMost(WAIT).until(() -> client.services().inNamespace(namespace).list().getItems().isEmpty());
    }
}
