package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Service;

/** The events the speaker records on Services (source component ferrolb-speaker). */
public interface SpeakerEvents {

    /** Normal {@code nodeAssigned}: {@code announcing from node "<node>" with protocol "layer2"}. */
    void nodeAssigned(Service service, String node);

    /** Warning {@code announceFailed} with MetalLB's message. */
    void announceFailed(Service service, String message);

    /**
     * Warning {@code notAnnounced}: the Service has an address, but no node announces it, and why
     * (ferrolb's own; sent by one speaker for all).
     */
    void notAnnounced(Service service, String message);

    /** Warning {@code handoffFailed}: the NodePort handoff rules could not be installed or removed (ferrolb's own). */
    void handoffFailed(Service service, String message);

    /** Warning {@code addressConflict}: another host claims an address this node announces (ferrolb's own). */
    void addressConflict(Service service, String message);
}
