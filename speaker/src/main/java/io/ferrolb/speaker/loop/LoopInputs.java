package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the loop reads at the start of each iteration: the informer caches and the membership view.
 * Every method returns the current state; none blocks.
 */
public interface LoopInputs {

    List<Service> services();

    List<EndpointSlice> endpointSlices();

    List<Node> nodes();

    /** The IPAddressPools of the speaker's namespace. */
    List<IPAddressPool> pools();

    /** The L2Advertisements of the speaker's namespace. */
    List<L2Advertisement> advertisements();

    /**
     * The nodes whose ServiceL2Status says they announce each Service (the cluster's record of who
     * held an address, which outlives this process).
     */
    Map<ServiceKey, Set<String>> announcers();

    /** The live speakers, or membership disabled (every Node counts as a speaker). */
    LiveSpeakers liveSpeakers();

    /**
     * Nodes out of the live view for certain: their speakers announced a leave, or the crash watch
     * saw the process end. Only their addresses are claimed from a plan made ahead (docs/design.md
     * §7.6); a member a failure detector declared dead may yet be alive and busy.
     */
    Set<String> departed();

    /** False until this speaker has joined its peers (the join gate, docs/design.md §4.5). */
    boolean joined();
}
