package io.ferrolb.controller.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the webhook answers when it cannot decide: an AdmissionReview that says what failed (the API
 * server shows its message to the user), never a bare HTTP error, which the API server reports as a
 * broken webhook without the cause. The client here points at a port where nothing listens, so
 * every list of the existing pools fails.
 */
class WebhookServerTest {

    private static final String POOL_REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
             "uid":"7f1c2d3e-0000-4000-8000-000000000001","operation":"CREATE",
             "kind":{"group":"metallb.io","version":"v1beta1","kind":"IPAddressPool"},
             "namespace":"metallb-system","name":"lab-pool",
             "object":{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool",
              "metadata":{"name":"lab-pool","namespace":"metallb-system"},
              "spec":{"addresses":["198.18.0.200-198.18.0.250"]}}}}
            """;

    private final ObjectMapper mapper = new ObjectMapper();
    private IssuedCertificates certs;
    private KubernetesClient unreachable;
    private WebhookServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        certs = IssuedCertificates.issue(List.of("127.0.0.1"), Duration.ofHours(1), Instant.now());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:" + closedPort)
                .withRequestTimeout(2000).withConnectionTimeout(2000).withRequestRetryBackoffLimit(0).build();
        unreachable = new KubernetesClientBuilder().withConfig(config).build();
        server = new WebhookServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), keyManager(),
                unreachable, "metallb-system").start();
        http = HttpClient.newBuilder().sslContext(trusting()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
        unreachable.close();
    }

    @Test
    void anInternalErrorIsAnAdmissionReviewSayingWhatFailed() throws Exception {
        HttpResponse<String> r = post(WebhookServer.POOL_PATH, POOL_REVIEW);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode review = mapper.readTree(r.body());
        assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = review.path("response");
        assertThat(response.path("uid").asText()).isEqualTo("7f1c2d3e-0000-4000-8000-000000000001");
        assertThat(response.path("allowed").asBoolean(true)).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
        assertThat(response.path("status").path("reason").asText()).isEqualTo("InternalError");
        assertThat(response.path("status").path("message").asText())
                .startsWith("ferrolb webhook could not validate IPAddressPool metallb-system/lab-pool (CREATE): ");
    }

    @Test
    void aRequestThatIsNotAReviewIsRefusedInAReview() throws Exception {
        HttpResponse<String> r = post(WebhookServer.L2_PATH, "{not json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode response = mapper.readTree(r.body()).path("response");
        assertThat(response.path("allowed").asBoolean(true)).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(400);
        assertThat(response.path("status").path("message").asText())
                .startsWith("ferrolb webhook: the request is not an AdmissionReview");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private KeyManager keyManager() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("tls", Pem.privateKey(certs.tlsKey()), new char[0],
                new Certificate[] {Pem.certificate(certs.tlsCert())});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        return kmf.getKeyManagers()[0];
    }

    private SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificate(certs.caCert()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }
}
