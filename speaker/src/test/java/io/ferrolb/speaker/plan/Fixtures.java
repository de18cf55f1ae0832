package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.ferrolb.api.v1beta1.L2AdvertisementSpec;
import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.PreferredNodeSelector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Literal Kubernetes objects for the planner's table tests. */
public final class Fixtures {

    public static final String NS = "default";

    private Fixtures() {
    }

    /** A LoadBalancer Service with ETP=Cluster and the given ingress IPs. */
    public static Service lb(String name, String... ips) {
        return lbBuilder(name, ips).build();
    }

    public static ServiceBuilder lbBuilder(String name, String... ips) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").withExternalTrafficPolicy("Cluster")
                .withClusterIP("10.96.0.10").endSpec()
                .withNewStatus().withNewLoadBalancer().withIngress(Arrays.stream(ips)
                        .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).build()).toList()).endLoadBalancer().endStatus();
    }

    /** A LoadBalancer Service with ETP=Local. */
    public static Service local(String name, String... ips) {
        return lbBuilder(name, ips).editSpec().withExternalTrafficPolicy("Local").endSpec().build();
    }

    public static Service labelled(Service service, String... keyValues) {
        return new ServiceBuilder(service).editMetadata().addToLabels(map(keyValues)).endMetadata().build();
    }

    public static Service annotated(Service service, String... keyValues) {
        return new ServiceBuilder(service).editMetadata().addToAnnotations(map(keyValues)).endMetadata().build();
    }

    public static Node node(String name, String... labelKeyValues) {
        Map<String, String> labels = map(labelKeyValues);
        labels.put("kubernetes.io/hostname", name);
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    public static Node withCondition(Node node, String type, String status) {
        return new NodeBuilder(node).editOrNewStatus()
                .addToConditions(new NodeConditionBuilder().withType(type).withStatus(status).build()).endStatus().build();
    }

    /** An EndpointSlice of a Service in {@link #NS}. */
    public static EndpointSlice slice(String service, Endpoint... endpoints) {
        return sliceIn(NS, service, endpoints);
    }

    public static EndpointSlice sliceIn(String namespace, String service, Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(namespace).withGenerateName(service + "-")
                .withName(service + "-" + Integer.toHexString(Arrays.hashCode(endpoints) & 0xfffff))
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4").withEndpoints(endpoints).build();
    }

    public static Endpoint ready(String node) {
        return endpoint(node, true, true);
    }

    public static Endpoint notReady(String node) {
        return endpoint(node, false, false);
    }

    /** An endpoint; {@code null} conditions stay unset, as an API server may leave them. */
    public static Endpoint endpoint(String node, Boolean ready, Boolean serving) {
        return new EndpointBuilder().withAddresses("10.244.0.10").withNodeName(node)
                .withConditions(new EndpointConditions(ready, serving, null)).build();
    }

    public static L2AdvertisementSpec adSpec(List<LabelSelector> nodeSelectors, List<String> interfaces,
                                      List<LabelSelector> serviceSelectors) {
        return new L2AdvertisementSpec(null, null, nodeSelectors, interfaces, serviceSelectors, null);
    }

    public static L2AdvertisementSpec onInterfaces(String... interfaces) {
        return adSpec(null, List.of(interfaces), null);
    }

    public static L2AdvertisementSpec onNodes(LabelSelector... nodeSelectors) {
        return adSpec(List.of(nodeSelectors), null, null);
    }

    public static L2AdvertisementSpec forServices(LabelSelector... serviceSelectors) {
        return adSpec(null, null, List.of(serviceSelectors));
    }

    public static L2AdvertisementSpec preferring(PreferredNodeSelector... preferences) {
        return new L2AdvertisementSpec(null, null, null, null, null, List.of(preferences));
    }

    public static PreferredNodeSelector prefer(int weight, LabelSelector preference) {
        return new PreferredNodeSelector(weight, preference);
    }

    public static LabelSelector labels(String... keyValues) {
        return LabelSelector.matchLabels(map(keyValues));
    }

    public static Map<String, String> map(String... keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
