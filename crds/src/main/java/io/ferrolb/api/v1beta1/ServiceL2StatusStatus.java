package io.ferrolb.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * The announcement a ServiceL2Status reports. Node and Service are immutable (a CEL rule on the
 * CRD): a move to another node is a delete and a create, never an edit.
 *
 * <p>A class, not a record: the CRD generator reads annotations from both a field and its
 * accessor, and a record component's annotation lands on both, which would list every CEL rule
 * twice.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("ServiceL2StatusStatus names the node that announces a Service and its interfaces.")
public final class ServiceL2StatusStatus {

    private static final String IMMUTABLE = "self == oldSelf";

    @ValidationRule(value = IMMUTABLE, message = "Value is immutable")
    @JsonPropertyDescription("The node that announces the Service and receives its traffic.")
    private final String node;

    @ValidationRule(value = IMMUTABLE, message = "Value is immutable")
    @JsonPropertyDescription("The name of the announced Service.")
    private final String serviceName;

    @ValidationRule(value = IMMUTABLE, message = "Value is immutable")
    @JsonPropertyDescription("The namespace of the announced Service.")
    private final String serviceNamespace;

    @JsonPropertyDescription("The interfaces the announcement is restricted to; absent when the Service is "
            + "announced on every interface.")
    private final List<InterfaceInfo> interfaces;

    @JsonCreator
    public ServiceL2StatusStatus(@JsonProperty("node") String node,
                                 @JsonProperty("serviceName") String serviceName,
                                 @JsonProperty("serviceNamespace") String serviceNamespace,
                                 @JsonProperty("interfaces") List<InterfaceInfo> interfaces) {
        this.node = node;
        this.serviceName = serviceName;
        this.serviceNamespace = serviceNamespace;
        this.interfaces = interfaces == null ? null : List.copyOf(interfaces);
    }

    public String getNode() {
        return node;
    }

    public String getServiceName() {
        return serviceName;
    }

    public String getServiceNamespace() {
        return serviceNamespace;
    }

    public List<InterfaceInfo> getInterfaces() {
        return interfaces;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceL2StatusStatus other
                && Objects.equals(node, other.node)
                && Objects.equals(serviceName, other.serviceName)
                && Objects.equals(serviceNamespace, other.serviceNamespace)
                && Objects.equals(interfaces, other.interfaces);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, serviceName, serviceNamespace, interfaces);
    }

    @Override
    public String toString() {
        return "ServiceL2StatusStatus[node=" + node + ", serviceName=" + serviceName
                + ", serviceNamespace=" + serviceNamespace + ", interfaces=" + interfaces + "]";
    }

    /** One network interface of an announcement. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonClassDescription("InterfaceInfo names a network interface of the announcing node.")
    public record InterfaceInfo(
            @JsonPropertyDescription("The interface name, for example eth0.")
            String name) {
    }
}
