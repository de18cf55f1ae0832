package io.ferrolb.controller.convergence;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Literal Services as the API server would hand them out (ClusterIPs set). */
final class Services {

    private Services() {
    }

    static ServiceBuilder lb(String namespace, String name) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withType("LoadBalancer").withClusterIP("198.19.0.10")
                .withClusterIPs("198.19.0.10").withIpFamilies("IPv4").withIpFamilyPolicy("SingleStack")
                .addNewPort().withProtocol("TCP").withPort(80).endPort()
                .endSpec();
    }

    static ServiceBuilder dual(String namespace, String name, String policy, String... families) {
        List<String> clusterIps = families[0].equals("IPv6") ? List.of("fd00:198:19::10", "198.19.0.10")
                : List.of("198.19.0.10", "fd00:198:19::10");
        return lb(namespace, name).editSpec().withClusterIP(clusterIps.get(0)).withClusterIPs(clusterIps)
                .withIpFamilies(families).withIpFamilyPolicy(policy).endSpec();
    }

    static Service withIngress(Service service, String... ips) {
        return new ServiceBuilder(service).withNewStatus().withNewLoadBalancer()
                .withIngress(Arrays.stream(ips).map(ip -> new LoadBalancerIngressBuilder().withIp(ip).build()).toList())
                .endLoadBalancer().endStatus().build();
    }

    static Service annotated(Service service, Map<String, String> annotations) {
        return new ServiceBuilder(service).editMetadata().addToAnnotations(annotations).endMetadata().build();
    }

    /** The ingress IPs of a written Service. */
    static List<String> ingress(Service service) {
        return BalancerConvergence.ingressTexts(service);
    }
}
