package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.controller.convergence.ServiceEvent;

/** The controller's one seam towards Services: status writes and events. */
public interface ServiceWriter {

    /**
     * Writes status and annotations in one status-subresource update, guarded by the object's
     * resourceVersion.
     *
     * @return the Service as stored
     * @throws RuntimeException when the API server refuses (conflict, gone...); the caller retries
     */
    Service writeStatus(Service service);

    void record(Service service, ServiceEvent event);
}
