package io.ferrolb.controller.differential;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a generated Service asks for. Only the fields MetalLB's controller reads vary.
 *
 * @param loadBalancer      type LoadBalancer, else ClusterIP
 * @param families          spec.ipFamilies, empty for the API server's default
 * @param familyPolicy      spec.ipFamilyPolicy, empty for the default (SingleStack)
 * @param localTraffic      externalTrafficPolicy Local (LoadBalancer only)
 * @param loadBalancerIp    the deprecated spec.loadBalancerIP
 * @param app               the pod selector's {@code app} value (sharing with Local traffic needs equal selectors)
 */
record ServiceSpec(String app, boolean loadBalancer, List<String> families, Optional<String> familyPolicy, List<Port> ports,
        boolean localTraffic, Map<String, String> labels, Map<String, String> annotations,
        Optional<String> loadBalancerIp) {

    record Port(String protocol, int port) {
        @Override
        public String toString() {
            return port + "/" + protocol;
        }
    }

    /** The logical namespace of a Service name: even indexes in {@code a}, odd in {@code b}. */
    static String namespaceOf(String name) {
        return Integer.parseInt(name.substring(1)) % 2 == 0 ? "a" : "b";
    }

    /** Whether going from this spec to that one needs the Service recreated. */
    boolean familiesDifferFrom(ServiceSpec other) {
        return !families.equals(other.families) || !familyPolicy.equals(other.familyPolicy);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(loadBalancer ? "LoadBalancer" : "ClusterIP").append(" app=").append(app);
        if (!families.isEmpty() || familyPolicy.isPresent()) {
            s.append(" families=").append(families).append(familyPolicy.map(p -> "/" + p).orElse(""));
        }
        s.append(" ports=").append(ports);
        if (localTraffic) {
            s.append(" etp=Local");
        }
        if (!labels.isEmpty()) {
            s.append(" labels=").append(labels);
        }
        if (!annotations.isEmpty()) {
            s.append(" annotations=").append(annotations);
        }
        loadBalancerIp.ifPresent(ip -> s.append(" loadBalancerIP=").append(ip));
        return s.toString();
    }
}
