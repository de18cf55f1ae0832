package io.ferrolb.controller.convergence;

import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/**
 * The result of handling one Service.
 *
 * @param toWrite the Service with the new status and annotations, or null when nothing changed;
 *                written with one status-subresource update
 * @param events  events to record on the Service, in order
 * @param state   what the controller should do next
 */
public record Outcome(Service toWrite, List<ServiceEvent> events, SyncState state) {

    public Outcome {
        events = List.copyOf(events);
    }
}
