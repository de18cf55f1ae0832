package io.ferrolb.controller.reconcile;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.config.Config;
import io.ferrolb.config.ConfigException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every IPAddressPool of the controller's namespace on any pool change. A configuration
 * that does not parse (the webhook was bypassed) is not applied: the last good one stays in
 * force, {@code metallb_k8s_client_config_stale_bool} is 1 and the offending object gets a Warning
 * event naming the field. Status writes do not change a pool's generation, so they cause no work.
 */
@ControllerConfiguration(name = "ipaddresspools", triggerReconcilerOnAllEvents = true)
public final class IPAddressPoolReconciler implements Reconciler<IPAddressPool> {

    private static final Logger LOG = LoggerFactory.getLogger(IPAddressPoolReconciler.class);

    private final AllocationCoordinator coordinator;
    private final ControllerMetrics metrics;
    private final EventRecorder events;
    private final Consumer<Map<String, String>> identities;
    private volatile Supplier<Stream<IPAddressPool>> pools = Stream::empty;
    private volatile BooleanSupplier synced = () -> true;

    /** @param identities told the UID of every pool, by name, on every change (the status writer needs them) */
    public IPAddressPoolReconciler(AllocationCoordinator coordinator, ControllerMetrics metrics, EventRecorder events,
            Consumer<Map<String, String>> identities) {
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.events = events;
        this.identities = identities;
    }

    @Override
    public UpdateControl<IPAddressPool> reconcile(IPAddressPool pool, Context<IPAddressPool> context) {
        metrics.update();
        loadConfig();
        return UpdateControl.noUpdate();
    }

    @Override
    public List<EventSource<?, IPAddressPool>> prepareEventSources(EventSourceContext<IPAddressPool> context) {
        pools = () -> context.getPrimaryCache().list();
        return List.of();
    }

    /** Configurations are only read from a fully listed cache: a partial one would drop pools. */
    public void loadOnlyWhen(BooleanSupplier cachesSynced) {
        this.synced = cachesSynced;
    }

    /** Parses the pools in the cache and hands a valid configuration to the coordinator. */
    public void loadConfig() {
        if (!synced.getAsBoolean()) {
            return;
        }
        List<IPAddressPool> current = pools.get().toList();
        identities.accept(current.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
                p -> p.getMetadata().getUid(), (a, b) -> a)));
        try {
            coordinator.onConfig(Config.from(current, List.of()));
        } catch (ConfigException e) {
            metrics.configStale();
            metrics.updateError();
            LOG.warn("failed to parse the configuration, keeping the last good one kind={} name={} field={} error={}",
                    e.kind(), e.objectName(), e.field(), e.getMessage());
            current.stream().filter(p -> p.getMetadata().getName().equals(e.objectName())).findFirst()
                    .ifPresent(p -> events.record(p, "Warning", "InvalidConfiguration", "field " + e.field() + ": "
                            + e.getMessage() + "; the last valid configuration stays in force"));
        }
    }
}
