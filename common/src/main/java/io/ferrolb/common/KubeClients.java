package io.ferrolb.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Kubernetes client: from an explicit kubeconfig, else in-cluster or the usual kubeconfig lookup.
 * Objects are read without {@code metadata.managedFields}: the API server's record of which client
 * wrote which field is often the largest part of an object, neither binary reads it, and with a
 * thousand Services in the informer caches it was most of the speaker's live heap. Writes never
 * carry it either, which the API server takes as "unchanged".
 */
public final class KubeClients {

    private KubeClients() {
    }

    public static KubernetesClient create(String kubeconfig) {
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withKubernetesSerialization(serialization());
        if (kubeconfig == null || kubeconfig.isEmpty()) {
            return builder.build();
        }
        return builder.withConfig(Config.fromKubeconfig(Path.of(kubeconfig).toFile())).build();
    }

    /** fabric8's serialization with {@code metadata.managedFields} skipped on read and write. */
    public static KubernetesSerialization serialization() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
        // true: the model's kinds are registered, so that a watch's ERROR event is read as a Status
        // (an expired watch then relists) and generic reads resolve apiVersion and kind to classes.
        return new KubernetesSerialization(mapper, true);
    }

    @JsonIgnoreProperties(value = "managedFields", ignoreUnknown = true)
    private abstract static class WithoutManagedFields {
    }

    /** The namespace of the pod's service account, when running in a cluster. */
    public static String inClusterNamespace() {
        Path file = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
