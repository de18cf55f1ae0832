package io.ferrolb.controller.convergence;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.ferrolb.api.v1beta1.ServiceAnnotations;
import io.ferrolb.controller.allocator.Family;
import io.ferrolb.controller.allocator.FamilyPolicy;
import io.ferrolb.controller.allocator.Port;
import io.ferrolb.controller.allocator.ServiceInfo;
import io.ferrolb.net.GoQuote;
import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the allocator reads off a Service: keys, family, requested addresses. */
final class ServiceFacts {

    static final String LOAD_BALANCER = "LoadBalancer";

    private ServiceFacts() {
    }

    static String key(Service service) {
        return service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    }

    static ServiceInfo info(String key, Service service) {
        Map<String, String> annotations = annotations(service);
        List<Port> ports = new ArrayList<>();
        for (ServicePort port : orEmpty(service.getSpec().getPorts())) {
            ports.add(new Port(port.getProtocol() == null ? "TCP" : port.getProtocol(), port.getPort()));
        }
        List<String> families = orEmpty(service.getSpec().getIpFamilies());
        IpFamily primary = !families.isEmpty() && "IPv6".equals(families.get(0)) ? IpFamily.IPV6 : IpFamily.IPV4;
        Map<String, String> labels = service.getMetadata().getLabels() == null ? Map.of()
                : service.getMetadata().getLabels();
        return new ServiceInfo(key, service.getMetadata().getNamespace(), labels, ports,
                ServiceAnnotations.value(annotations, ServiceAnnotations.ALLOW_SHARED_IP), backendKey(service),
                policy(service), primary);
    }

    /** ETP=Local Services share only with identical selectors: {@code k=v,k2=v2}, sorted by key. */
    static String backendKey(Service service) {
        if (!"Local".equals(service.getSpec().getExternalTrafficPolicy())) {
            return "";
        }
        Map<String, String> selector = service.getSpec().getSelector() == null ? Map.of()
                : new TreeMap<>(service.getSpec().getSelector());
        List<String> pairs = new ArrayList<>();
        selector.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    static FamilyPolicy policy(Service service) {
        return FamilyPolicy.fromApi(service.getSpec().getIpFamilyPolicy());
    }

    static List<String> clusterIps(Service service) {
        List<String> ips = orEmpty(service.getSpec().getClusterIPs());
        if (!ips.isEmpty()) {
            return ips;
        }
        String single = service.getSpec().getClusterIP();
        return single == null || single.isEmpty() ? List.of() : List.of(single);
    }

    /** The family of the clusterIPs (the Service's family); throws with MetalLB's message. */
    static Family family(Service service) {
        List<String> ips = orEmpty(service.getSpec().getClusterIPs());
        if (ips.isEmpty()) {
            ips = java.util.Collections.singletonList(
                    service.getSpec().getClusterIP() == null ? "" : service.getSpec().getClusterIP());
        }
        return Family.ofAddresses(ips);
    }

    /** The addresses the user asked for, by annotation or {@code spec.loadBalancerIP}. */
    record Requested(List<IpAddress> ips, Family family) {
        static final Requested NONE = new Requested(List.of(), Family.UNKNOWN);
    }

    /** @throws IllegalArgumentException with MetalLB's message when the request is malformed */
    static Requested requested(Service service) {
        String annotation = ServiceAnnotations.value(annotations(service), ServiceAnnotations.LOAD_BALANCER_IPS);
        String spec = service.getSpec().getLoadBalancerIP() == null ? "" : service.getSpec().getLoadBalancerIP();
        if (annotation.isEmpty() && spec.isEmpty()) {
            return Requested.NONE;
        }
        if (!annotation.isEmpty() && !spec.isEmpty()) {
            throw new IllegalArgumentException("service can not have both " + ServiceAnnotations.LOAD_BALANCER_IPS
                    + " and svc.Spec.LoadBalancerIP");
        }
        if (!annotation.isEmpty()) {
            List<IpAddress> ips = new ArrayList<>();
            for (String part : annotation.split(",", -1)) {
                if (!IpAddress.isValid(part.strip())) {
                    throw new IllegalArgumentException("invalid " + ServiceAnnotations.LOAD_BALANCER_IPS + ": "
                            + GoQuote.quote(annotation));
                }
                ips.add(IpAddress.parse(part.strip()));
            }
            return new Requested(ips, Family.ofIps(ips));
        }
        if (!IpAddress.isValid(spec)) {
            throw new IllegalArgumentException("invalid spec.loadBalancerIP " + GoQuote.quote(spec));
        }
        IpAddress ip = IpAddress.parse(spec);
        return new Requested(List.of(ip), Family.of(ip.family()));
    }

    static Map<String, String> annotations(Service service) {
        return service.getMetadata().getAnnotations() == null ? Map.of() : service.getMetadata().getAnnotations();
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
