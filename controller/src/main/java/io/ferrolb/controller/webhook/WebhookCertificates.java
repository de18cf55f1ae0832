package io.ferrolb.controller.webhook;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ferrolb.common.Daemons;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and rotates the webhook's CA and serving certificate, keeps them in a Secret shared by
 * every controller replica, serves the current pair and injects the CA into the
 * ValidatingWebhookConfiguration. A pair is replaced when it names other hosts or has less than a
 * third of its validity left.
 */
public final class WebhookCertificates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificates.class);
    static final String CA_CERT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String TLS_CERT = "tls.crt";
    static final String TLS_KEY = "tls.key";

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private final String webhookConfigurationName;
    private final List<String> hosts;
    private final Duration validity;
    private final Clock clock;
    private final AtomicReference<X509ExtendedKeyManager> current = new AtomicReference<>();
    private final ScheduledExecutorService executor = Daemons.singleThread("webhook-certs");

    public WebhookCertificates(KubernetesClient client, String namespace, String secretName,
                               String webhookConfigurationName, List<String> hosts, Duration validity, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.secretName = secretName;
        this.webhookConfigurationName = webhookConfigurationName;
        this.hosts = List.copyOf(hosts);
        this.validity = validity;
        this.clock = clock;
    }

    /** Ensures a valid pair now, then re-checks every {@code period}. */
    public void start(Duration period) {
        ensure();
        executor.scheduleWithFixedDelay(() -> {
            try {
                ensure();
            } catch (RuntimeException e) {
                LOG.warn("webhook certificate check failed error={}", e.getMessage());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The key manager the TLS server uses; it always serves the current pair. */
    public X509ExtendedKeyManager keyManager() {
        return new Delegating();
    }

    synchronized void ensure() {
        Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        IssuedCertificates pair = secret == null ? null : read(secret);
        if (pair == null || !fresh(pair)) {
            pair = IssuedCertificates.issue(hosts, validity, clock.instant());
            secret = store(secret, pair);
            pair = read(secret);
            LOG.info("webhook certificate issued secret={}/{} hosts={}", namespace, secretName, hosts);
        }
        load(pair);
        injectCa(pair.caCert());
    }

    private boolean fresh(IssuedCertificates pair) {
        try {
            X509Certificate tls = Pem.certificate(pair.tlsCert());
            Instant notAfter = tls.getNotAfter().toInstant();
            Instant notBefore = tls.getNotBefore().toInstant();
            Duration left = Duration.between(clock.instant(), notAfter);
            boolean enoughLeft = left.compareTo(Duration.between(notBefore, notAfter).dividedBy(3)) > 0;
            List<String> named = tls.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
            return enoughLeft && named.containsAll(hosts.stream().map(WebhookCertificates::canonicalHost).toList());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String canonicalHost(String host) {
        try {
            return host.matches("[0-9.]+") || host.contains(":")
                    ? java.net.InetAddress.getByName(host).getHostAddress() : host;
        } catch (java.net.UnknownHostException e) {
            return host;
        }
    }

    private Secret store(Secret existing, IssuedCertificates pair) {
        Map<String, String> data = Map.of(CA_CERT, b64(pair.caCert()), CA_KEY, b64(pair.caKey()),
                TLS_CERT, b64(pair.tlsCert()), TLS_KEY, b64(pair.tlsKey()));
        try {
            if (existing == null) {
                return client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                        .withNewMetadata().withNamespace(namespace).withName(secretName).endMetadata()
                        .withType("kubernetes.io/tls").withData(data).build()).create();
            }
            return client.secrets().inNamespace(namespace).resource(new SecretBuilder(existing).withData(data).build())
                    .update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Another replica stored a pair first: use theirs.
            return client.secrets().inNamespace(namespace).withName(secretName).get();
        }
    }

    private void load(IssuedCertificates pair) {
        try {
            PrivateKey key = Pem.privateKey(pair.tlsKey());
            X509Certificate cert = Pem.certificate(pair.tlsCert());
            X509Certificate ca = Pem.certificate(pair.caCert());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("webhook", key, new char[0], new java.security.cert.Certificate[] {cert, ca});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            current.set((X509ExtendedKeyManager) factory.getKeyManagers()[0]);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot load the webhook certificate", e);
        }
    }

    private void injectCa(String caPem) {
        ValidatingWebhookConfiguration config = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(webhookConfigurationName).get();
        if (config == null) {
            LOG.debug("no ValidatingWebhookConfiguration {} yet", webhookConfigurationName);
            return;
        }
        String bundle = b64(caPem);
        boolean stale = config.getWebhooks().stream()
                .anyMatch(w -> !Objects.equals(bundle, w.getClientConfig().getCaBundle()));
        if (!stale) {
            return;
        }
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(webhookConfigurationName)
                .edit(c -> {
                    for (ValidatingWebhook w : c.getWebhooks()) {
                        w.getClientConfig().setCaBundle(bundle);
                    }
                    return c;
                });
        LOG.info("webhook CA injected configuration={}", webhookConfigurationName);
    }

    private static IssuedCertificates read(Secret secret) {
        Map<String, String> d = secret.getData();
        if (d == null || !d.keySet().containsAll(List.of(CA_CERT, CA_KEY, TLS_CERT, TLS_KEY))) {
            return null;
        }
        return new IssuedCertificates(unb64(d.get(CA_CERT)), unb64(d.get(CA_KEY)), unb64(d.get(TLS_CERT)),
                unb64(d.get(TLS_KEY)));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String unb64(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * Delegates to whatever pair is current, so a rotation needs no server restart. Extended: the
     * HTTPS server uses SSLEngine, which asks the engine variants.
     */
    private final class Delegating extends X509ExtendedKeyManager {
        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return current.get().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return current.get().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return current.get().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return current.get().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.get().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return current.get().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return current.get().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return current.get().getPrivateKey(alias);
        }
    }
}
