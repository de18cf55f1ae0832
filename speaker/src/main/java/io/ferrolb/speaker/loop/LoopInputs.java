package io.ferrolb.speaker.loop;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.speaker.plan.Membership;
import java.util.List;

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

    /** The live speakers, or membership disabled (every Node counts as a speaker). */
    Membership membership();

    /** False until this speaker has joined its peers (DESIGN §4 "join before announcing"). */
    boolean joined();
}
