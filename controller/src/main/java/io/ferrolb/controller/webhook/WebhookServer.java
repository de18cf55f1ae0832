package io.ferrolb.controller.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ferrolb.api.v1beta1.IPAddressPool;
import io.ferrolb.api.v1beta1.L2Advertisement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating webhook over HTTPS (TLS 1.3, port 9443 by default): MetalLB's two L2 paths, each
 * answering AdmissionReview v1 with the rules of {@link AdmissionRules} applied to the objects the
 * API server holds now.
 */
public final class WebhookServer implements AutoCloseable {

    public static final String POOL_PATH = "/validate-metallb-io-v1beta1-ipaddresspool";
    public static final String L2_PATH = "/validate-metallb-io-v1beta1-l2advertisement";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private final HttpsServer server;
    private final ExecutorService executor;
    private final KubernetesClient client;
    private final KubernetesSerialization json;
    private final String namespace;
    private final AdmissionRules rules;

    public WebhookServer(InetSocketAddress bind, KeyManager keyManager, KubernetesClient client, String namespace)
            throws IOException {
        this.client = client;
        this.json = client.getKubernetesSerialization();
        this.namespace = namespace;
        this.rules = new AdmissionRules(namespace);
        server = HttpsServer.create(bind, 0);
        try {
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(new KeyManager[] {keyManager}, null, null);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3"});
                    params.setSSLParameters(p);
                }
            });
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the webhook", e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "webhook");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(POOL_PATH, this::pool);
        server.createContext(L2_PATH, this::advertisement);
    }

    public WebhookServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void pool(HttpExchange exchange) throws IOException {
        handle(exchange, (operation, object) -> rules.pool(operation, json.convertValue(object, IPAddressPool.class),
                pools()));
    }

    private void advertisement(HttpExchange exchange) throws IOException {
        handle(exchange, (operation, object) -> rules.advertisement(operation,
                json.convertValue(object, L2Advertisement.class), pools(),
                client.resources(L2Advertisement.class).inNamespace(namespace).list().getItems()));
    }

    private List<IPAddressPool> pools() {
        return client.resources(IPAddressPool.class).inNamespace(namespace).list().getItems();
    }

    private interface Decision {
        Optional<String> decide(String operation, JsonNode object);
    }

    private void handle(HttpExchange exchange, Decision decision) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode review = json.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), JsonNode.class);
            JsonNode request = review.path("request");
            String operation = request.path("operation").asText();
            JsonNode object = "DELETE".equals(operation) ? request.path("oldObject") : request.path("object");
            Optional<String> denial = decision.decide(operation, object);
            denial.ifPresent(m -> LOG.info("webhook denied operation={} kind={} name={} reason={}", operation,
                    request.path("kind").path("kind").asText(), request.path("name").asText(), m));
            respond(exchange, 200, response(request.path("uid").asText(), denial));
        } catch (RuntimeException e) {
            LOG.warn("webhook request failed error={}", e.toString());
            respond(exchange, 400, "{\"error\":" + json.asJson(String.valueOf(e.getMessage())) + "}");
        }
    }

    private String response(String uid, Optional<String> denial) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode response = root.putObject("response");
        response.put("uid", uid);
        response.put("allowed", denial.isEmpty());
        denial.ifPresent(message -> {
            ObjectNode status = response.putObject("status");
            status.put("code", 403);
            status.put("reason", "Forbidden");
            status.put("message", message);
        });
        return json.asJson(root);
    }

    private static void respond(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
