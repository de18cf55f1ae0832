package io.ferrolb.api.v1beta1;

import java.util.Map;

/**
 * The Service annotations MetalLB reads and writes, under both prefixes: {@code metallb.io/} and
 * the deprecated {@code metallb.universe.tf/}. Where both are set, the {@code metallb.io/} one wins.
 */
public final class ServiceAnnotations {

    public static final String PREFIX = "metallb.io/";
    public static final String DEPRECATED_PREFIX = "metallb.universe.tf/";

    public static final String ADDRESS_POOL = PREFIX + "address-pool";
    public static final String LOAD_BALANCER_IPS = PREFIX + "loadBalancerIPs";
    public static final String ALLOCATED_FROM_POOL = PREFIX + "ip-allocated-from-pool";
    public static final String ALLOW_SHARED_IP = PREFIX + "allow-shared-ip";

    private ServiceAnnotations() {
    }

    /** The deprecated spelling of a {@code metallb.io/} key. */
    public static String deprecated(String key) {
        return DEPRECATED_PREFIX + key.substring(PREFIX.length());
    }

    /** The value under the key or its deprecated spelling, or "" when neither is present. */
    public static String value(Map<String, String> annotations, String key) {
        if (annotations == null) {
            return "";
        }
        String value = annotations.get(key);
        if (value == null) {
            value = annotations.get(deprecated(key));
        }
        return value == null ? "" : value;
    }

    /** True when the key or its deprecated spelling is present, even with an empty value. */
    public static boolean present(Map<String, String> annotations, String key) {
        return annotations != null && (annotations.containsKey(key) || annotations.containsKey(deprecated(key)));
    }
}
