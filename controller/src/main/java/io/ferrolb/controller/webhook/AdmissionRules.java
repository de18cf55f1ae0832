package io.ferrolb.controller.webhook;

import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import io.ferrolb.config.Config;
import io.ferrolb.config.ConfigException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The webhook's decisions (docs/compatibility.md §2.8): creation only in the controller's namespace, and the
 * whole configuration, with the candidate replacing its namesake, must parse. Deletions are
 * always allowed, even of a pool in use.
 */
public final class AdmissionRules {

    private final String namespace;

    public AdmissionRules(String namespace) {
        this.namespace = namespace;
    }

    /** The denial message for a pool, or empty to allow it. */
    public Optional<String> pool(String operation, IPAddressPool candidate, List<IPAddressPool> existing) {
        Optional<String> wrongPlace = wrongNamespace(operation, candidate);
        if (wrongPlace.isPresent() || "DELETE".equals(operation)) {
            return wrongPlace;
        }
        return parse(replacing(existing, candidate), List.of());
    }

    /** The denial message for an L2Advertisement, or empty to allow it. */
    public Optional<String> advertisement(String operation, L2Advertisement candidate, List<IPAddressPool> pools,
                                          List<L2Advertisement> existing) {
        Optional<String> wrongPlace = wrongNamespace(operation, candidate);
        if (wrongPlace.isPresent() || "DELETE".equals(operation)) {
            return wrongPlace;
        }
        return parse(pools, replacing(existing, candidate));
    }

    private Optional<String> wrongNamespace(String operation, HasMetadata candidate) {
        if ("CREATE".equals(operation) && !namespace.equals(candidate.getMetadata().getNamespace())) {
            return Optional.of("resource must be created in " + namespace + " namespace");
        }
        return Optional.empty();
    }

    private static Optional<String> parse(List<IPAddressPool> pools, List<L2Advertisement> advertisements) {
        try {
            Config.from(pools, advertisements);
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static <T extends HasMetadata> List<T> replacing(List<T> existing, T candidate) {
        List<T> out = new ArrayList<>();
        boolean replaced = false;
        for (T item : existing) {
            if (item.getMetadata().getName().equals(candidate.getMetadata().getName())) {
                out.add(candidate);
                replaced = true;
            } else {
                out.add(item);
            }
        }
        if (!replaced) {
            out.add(candidate);
        }
        return out;
    }
}
