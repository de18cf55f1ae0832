package io.ferrolb.controller.membership;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secret the speakers seal their gossip with (docs/compatibility.md §3.3): created once if absent, key
 * {@code secretkey} = unpadded standard base64 of 16 random bytes, owned by the controller
 * Deployment so that uninstalling removes it. An existing Secret is never changed.
 */
public final class MembershipSecret {

    public static final String KEY = "secretkey";
    private static final Logger LOG = LoggerFactory.getLogger(MembershipSecret.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private MembershipSecret() {
    }

    /** Creates the Secret unless it exists; the Deployment must exist (it owns the Secret). */
    public static void ensure(KubernetesClient client, String namespace, String secretName, String deploymentName) {
        if (client.secrets().inNamespace(namespace).withName(secretName).get() != null) {
            return;
        }
        Deployment owner = client.apps().deployments().inNamespace(namespace).withName(deploymentName).get();
        if (owner == null) {
            throw new IllegalStateException("deployment " + namespace + "/" + deploymentName
                    + " not found; it owns the membership secret " + secretName);
        }
        Secret secret = new SecretBuilder()
                .withNewMetadata().withNamespace(namespace).withName(secretName)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build())
                .endMetadata()
                .withData(Map.of(KEY, Base64.getEncoder().encodeToString(newKey().getBytes(StandardCharsets.US_ASCII))))
                .build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            LOG.info("membership secret created secret={}/{}", namespace, secretName);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /** 16 random bytes as unpadded standard base64: 22 characters. */
    static String newKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().withoutPadding().encodeToString(key);
    }
}
