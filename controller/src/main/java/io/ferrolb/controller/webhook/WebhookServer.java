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
import io.ferrolb.common.Daemons;
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
        executor = Executors.newFixedThreadPool(4, Daemons.named("webhook"));
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
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            JsonNode review = json.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), JsonNode.class);
            request = review.path("request");
        } catch (RuntimeException e) {
            // Not an AdmissionReview: nothing to answer to but the HTTP request itself.
            LOG.warn("webhook request unreadable path={} error={}", exchange.getRequestURI().getPath(), e.toString());
            respond(exchange, 200, response("", Optional.of(new Verdict(400, "BadRequest",
                    "ferrolb webhook: the request is not an AdmissionReview: " + e.getMessage()))));
            return;
        }
        String operation = request.path("operation").asText();
        String kind = request.path("kind").path("kind").asText();
        String name = request.path("namespace").asText() + "/" + request.path("name").asText();
        Optional<Verdict> verdict;
        try {
            JsonNode object = "DELETE".equals(operation) ? request.path("oldObject") : request.path("object");
            verdict = decision.decide(operation, object).map(m -> new Verdict(403, "Forbidden", m));
            verdict.ifPresent(v -> LOG.info("webhook denied operation={} kind={} name={} reason={}", operation, kind,
                    name, v.message()));
        } catch (RuntimeException e) {
            // The API server shows this message to whoever applied the object: say what failed, in
            // an AdmissionReview, so that it is not reported as a broken webhook.
            LOG.error("webhook could not decide operation={} kind={} name={} error={}", operation, kind, name,
                    e.toString(), e);
            verdict = Optional.of(new Verdict(500, "InternalError", "ferrolb webhook could not validate " + kind + " "
                    + name + " (" + operation + "): " + e.getMessage()));
        }
        respond(exchange, 200, response(request.path("uid").asText(), verdict));
    }

    /** A refusal: the HTTP-style code and reason of the AdmissionReview's status, and the message users see. */
    private record Verdict(int code, String reason, String message) {
    }

    private String response(String uid, Optional<Verdict> verdict) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode response = root.putObject("response");
        response.put("uid", uid);
        response.put("allowed", verdict.isEmpty());
        verdict.ifPresent(v -> {
            ObjectNode status = response.putObject("status");
            status.put("code", v.code());
            status.put("reason", v.reason());
            status.put("message", v.message());
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
