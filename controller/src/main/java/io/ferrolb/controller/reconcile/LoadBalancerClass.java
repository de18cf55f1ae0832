package io.ferrolb.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Objects;

/**
 * The {@code --lb-class} filter: without a class, only Services without
 * {@code spec.loadBalancerClass}; with one, only Services of exactly that class. Others are never
 * touched.
 */
public record LoadBalancerClass(String name) {

    public static LoadBalancerClass none() {
        return new LoadBalancerClass(null);
    }

    public static LoadBalancerClass of(String name) {
        return new LoadBalancerClass(name == null || name.isEmpty() ? null : name);
    }

    public boolean serves(Service service) {
        return Objects.equals(name, service.getSpec() == null ? null : service.getSpec().getLoadBalancerClass());
    }
}
