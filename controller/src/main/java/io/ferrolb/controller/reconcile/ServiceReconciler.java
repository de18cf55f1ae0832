package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/**
 * Hands every Service event to the coordinator. Called on deletions too, without a finalizer
 * (MetalLB uses none): a deleted Service's addresses are released for pending ones. Status and
 * annotation changes matter, so every event counts, not only generation changes.
 */
@ControllerConfiguration(name = "services", triggerReconcilerOnAllEvents = true,
        generationAwareEventProcessing = false)
public final class ServiceReconciler implements Reconciler<Service> {

    private final AllocationCoordinator coordinator;

    public ServiceReconciler(AllocationCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public UpdateControl<Service> reconcile(Service service, Context<Service> context) {
        if (context.isPrimaryResourceDeleted()) {
            coordinator.onServiceDeleted(service.getMetadata().getNamespace() + "/" + service.getMetadata().getName());
        } else {
            coordinator.onService(service);
        }
        return UpdateControl.noUpdate();
    }

    @Override
    public List<EventSource<?, Service>> prepareEventSources(EventSourceContext<Service> context) {
        coordinator.servicesFrom(() -> context.getPrimaryCache().list());
        return List.of();
    }
}
