package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Which pools are announced over Layer 2, from which nodes and on which interfaces.
 *
 * <p>The printer columns keep MetalLB's order; the CRD generator sorts them by JSON path, so the
 * last two use bracket notation (same fields, sorted after the dotted paths).
 */
@Group(MetalLb.GROUP)
@Version(MetalLb.VERSION)
@Singular("l2advertisement")
@Plural("l2advertisements")
@JsonClassDescription("L2Advertisement announces the addresses of the selected IPAddressPools over Layer 2 "
        + "(ARP and NDP).")
@AdditionalPrinterColumn(name = "IPAddressPools", jsonPath = ".spec.ipAddressPools",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "IPAddressPool Selectors", jsonPath = ".spec.ipAddressPoolSelectors",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Interfaces", jsonPath = ".spec['interfaces']",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Node Selectors", jsonPath = ".spec['nodeSelectors']",
        type = AdditionalPrinterColumn.Type.STRING, priority = 10)
public class L2Advertisement extends CustomResource<L2AdvertisementSpec, L2AdvertisementStatus>
        implements Namespaced {

    public L2Advertisement() {
    }

    public L2Advertisement(String namespace, String name, L2AdvertisementSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }
}
