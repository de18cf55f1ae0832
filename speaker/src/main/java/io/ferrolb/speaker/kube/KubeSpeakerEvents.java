package io.ferrolb.speaker.kube;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.common.EventRecorder;
import io.ferrolb.speaker.loop.SpeakerEvents;

/** Speaker events through the recorder (component ferrolb-speaker), MetalLB's reasons and texts. */
public final class KubeSpeakerEvents implements SpeakerEvents {

    private final EventRecorder recorder;

    public KubeSpeakerEvents(EventRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void nodeAssigned(Service service, String node) {
        recorder.record(service, "Normal", "nodeAssigned", "announcing from node \"" + node
                + "\" with protocol \"layer2\"");
    }

    @Override
    public void announceFailed(Service service, String message) {
        recorder.record(service, "Warning", "announceFailed", message);
    }

    @Override
    public void notAnnounced(Service service, String message) {
        recorder.record(service, "Warning", "notAnnounced", message);
    }

    @Override
    public void handoffFailed(Service service, String message) {
        recorder.record(service, "Warning", "handoffFailed", message);
    }

    @Override
    public void addressConflict(Service service, String message) {
        recorder.record(service, "Warning", "addressConflict", message);
    }
}
