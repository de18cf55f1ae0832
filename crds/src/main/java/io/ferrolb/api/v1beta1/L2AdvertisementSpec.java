package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The desired state of an L2Advertisement; every field optional, an empty spec means "everything". */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("L2AdvertisementSpec is the desired state of an L2Advertisement.")
public record L2AdvertisementSpec(
        @JsonPropertyDescription("Names of the IPAddressPools announced by this advertisement. When neither this "
                + "list nor ipAddressPoolSelectors is set, every pool is announced.")
        List<String> ipAddressPools,

        @JsonPropertyDescription("Label selectors of the IPAddressPools announced by this advertisement.")
        List<LabelSelector> ipAddressPoolSelectors,

        @JsonPropertyDescription("Label selectors of the nodes that may announce; empty means every node.")
        List<LabelSelector> nodeSelectors,

        @JsonPropertyDescription("Interfaces to announce on; empty means every eligible interface of the node.")
        List<String> interfaces,

        @JsonPropertyDescription("Label selectors of the Services announced by this advertisement; empty means "
                + "every Service of the selected pools.")
        List<LabelSelector> serviceSelectors,

        @JsonPropertyDescription("Soft preferences among the nodes allowed to announce: the node with the highest "
                + "summed weight wins the election, the usual hash ranking breaks ties (MetalLB v0.16.2).")
        List<PreferredNodeSelector> preferredNodeSelectors) {

    /** An advertisement of every pool from every node. */
    public static L2AdvertisementSpec all() {
        return new L2AdvertisementSpec(null, null, null, null, null, null);
    }
}
