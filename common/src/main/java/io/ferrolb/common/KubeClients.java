package io.ferrolb.common;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Kubernetes client: from an explicit kubeconfig, else in-cluster or the usual kubeconfig lookup. */
public final class KubeClients {

    private KubeClients() {
    }

    public static KubernetesClient create(String kubeconfig) {
        if (kubeconfig == null || kubeconfig.isEmpty()) {
            return new KubernetesClientBuilder().build();
        }
        Config config = Config.fromKubeconfig(Path.of(kubeconfig).toFile());
        return new KubernetesClientBuilder().withConfig(config).build();
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
