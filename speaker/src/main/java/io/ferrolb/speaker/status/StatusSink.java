package io.ferrolb.speaker.status;

import io.ferrolb.speaker.plan.ServiceKey;
import java.util.List;
import java.util.Map;

/** Where the loop reports what this node announces; ServiceL2Status objects follow it. */
public interface StatusSink {

    /**
     * The complete set of Services this node announces now, each with the interfaces to report
     * (empty when it announces on every interface).
     */
    void announced(Map<ServiceKey, List<String>> services);
}
