package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A pool of addresses the controller may hand to Services of type LoadBalancer.
 *
 * <p>The printer columns keep MetalLB's order (Auto Assign, Avoid Buggy IPs, Addresses). The CRD
 * generator sorts columns by JSON path, so the last one is spelled in bracket notation, which
 * selects the same field and sorts after the dotted paths.
 */
@Group(MetalLb.GROUP)
@Version(MetalLb.VERSION)
@Singular("ipaddresspool")
@Plural("ipaddresspools")
@JsonClassDescription("IPAddressPool is a set of IP addresses that may be allocated to Services of type LoadBalancer.")
@AdditionalPrinterColumn(name = "Auto Assign", jsonPath = ".spec.autoAssign",
        type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Avoid Buggy IPs", jsonPath = ".spec.avoidBuggyIPs",
        type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Addresses", jsonPath = ".spec['addresses']",
        type = AdditionalPrinterColumn.Type.STRING)
public class IPAddressPool extends CustomResource<IPAddressPoolSpec, IPAddressPoolStatus> implements Namespaced {

    public IPAddressPool() {
    }

    public IPAddressPool(String namespace, String name, IPAddressPoolSpec spec) {
        getMetadata().setNamespace(namespace);
        getMetadata().setName(name);
        setSpec(spec);
    }

    @Override
    @Required
    public IPAddressPoolSpec getSpec() {
        return super.getSpec();
    }
}
