package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps pools with namespaceSelectors pinned to the namespaces whose labels match now. */
@ControllerConfiguration(name = "namespaces", triggerReconcilerOnAllEvents = true,
        generationAwareEventProcessing = false)
public final class NamespaceReconciler implements Reconciler<Namespace> {

    private final AllocationCoordinator coordinator;

    public NamespaceReconciler(AllocationCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        coordinator.onNamespacesChanged();
        return UpdateControl.noUpdate();
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        coordinator.namespaceLabelsFrom(() -> {
            Map<String, Map<String, String>> labels = new HashMap<>();
            context.getPrimaryCache().list().forEach(ns -> labels.put(ns.getMetadata().getName(),
                    ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels()));
            return labels;
        });
        return List.of();
    }
}
