package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which node announces a Service over Layer 2; one object per announced Service, written by its speaker. */
@Group(MetalLb.GROUP)
@Version(MetalLb.VERSION)
@Singular("servicel2status")
@Plural("servicel2statuses")
@JsonClassDescription("ServiceL2Status shows which node announces a LoadBalancer Service over Layer 2.")
@AdditionalPrinterColumn(name = "Allocated Node", jsonPath = ".status.node",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Service Name", jsonPath = ".status.serviceName",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Service Namespace", jsonPath = ".status.serviceNamespace",
        type = AdditionalPrinterColumn.Type.STRING)
public class ServiceL2Status extends CustomResource<ServiceL2StatusSpec, ServiceL2StatusStatus>
        implements Namespaced {
}
