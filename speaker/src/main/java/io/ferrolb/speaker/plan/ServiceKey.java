package io.ferrolb.speaker.plan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/**
 * A Service's identity, printed {@code namespace/name} as MetalLB and the informer caches key it.
 *
 * @param namespace the Service's namespace
 * @param name      the Service's name
 */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {

    private static final Comparator<ServiceKey> ORDER =
            Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::name);

    public ServiceKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** The key of an object's metadata. */
    public static ServiceKey of(HasMetadata object) {
        return new ServiceKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /**
     * Parses {@code namespace/name}.
     *
     * @throws IllegalArgumentException without exactly one slash
     */
    public static ServiceKey parse(String key) {
        int slash = key.indexOf('/');
        if (slash < 0 || slash != key.lastIndexOf('/')) {
            throw new IllegalArgumentException("not a namespace/name key: " + key);
        }
        return new ServiceKey(key.substring(0, slash), key.substring(slash + 1));
    }

    @Override
    public int compareTo(ServiceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
