package io.ferrolb.controller.allocator;

import io.ferrolb.net.IpFamily;
import java.util.List;
import java.util.Map;

/**
 * What the allocator needs to know about one Service.
 *
 * @param key        {@code namespace/name}
 * @param namespace  the Service's namespace, for pools restricted to namespaces
 * @param labels     the Service's labels, for pools restricted by service selectors
 * @param ports      the Service's (protocol, port) pairs
 * @param sharingKey the {@code allow-shared-ip} annotation's value, "" when absent
 * @param backendKey the selector for ETP=Local ({@code k=v,k2=v2}), "" for ETP=Cluster
 * @param policy     {@code spec.ipFamilyPolicy}
 * @param primary    the first of {@code spec.ipFamilies}, IPv4 when unset
 */
public record ServiceInfo(String key, String namespace, Map<String, String> labels, List<Port> ports,
                          String sharingKey, String backendKey, FamilyPolicy policy, IpFamily primary) {

    public ServiceInfo {
        labels = Map.copyOf(labels);
        ports = List.copyOf(ports);
    }

    /** A plain single-stack IPv4 Service without ports or sharing, for tests and tools. */
    public static ServiceInfo simple(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        return new ServiceInfo(key, namespace, Map.of(), List.of(), "", "", FamilyPolicy.SINGLE_STACK,
                IpFamily.IPV4);
    }
}
