package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.controller.convergence.ServiceEvent;

/** Writes through the API server; events go through the recorder (component ferrolb-controller). */
public final class KubeServiceWriter implements ServiceWriter {

    private final KubernetesClient client;
    private final EventRecorder events;

    public KubeServiceWriter(KubernetesClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    @Override
    public Service writeStatus(Service service) {
        // Service status updates keep metadata changes, so the pool annotation rides along.
        return client.services().inNamespace(service.getMetadata().getNamespace()).resource(service).updateStatus();
    }

    @Override
    public void record(Service service, ServiceEvent event) {
        events.record(service, event.type().name(), event.reason(), event.message());
    }
}
