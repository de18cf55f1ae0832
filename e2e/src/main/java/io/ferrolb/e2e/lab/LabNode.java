package io.ferrolb.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of the lab: its namespace, address and MAC, and the processes kubelet would run on it
 * (the speaker with its own ServiceAccount token, the webpod).
 */
public final class LabNode {

    private static final Pattern ANNOUNCED =
            Pattern.compile("^metallb_speaker_announced\\{([^}]*)\\} 1(\\.0)?$", Pattern.MULTILINE);
    private static final Pattern IP = Pattern.compile("ip=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    public static final int METRICS_PORT = 7472;

    private final int index;
    private final Path dir;
    private final PidFile pids;
    private final SpeakerMetrics metricsEndpoint;
    private LabProcess speaker;
    private LabProcess webpod;

    /**
     * How the speaker serves its metrics: ferrolb's over HTTP; MetalLB's over HTTPS with a self-signed
     * certificate, authenticating the caller's bearer token (the lab's admin) by TokenReview.
     */
    record SpeakerMetrics(boolean https, String bearerToken) {
        static final SpeakerMetrics PLAIN = new SpeakerMetrics(false, null);
    }

    LabNode(int index, Path dir, PidFile pids, SpeakerMetrics metricsEndpoint) {
        this.index = index;
        this.dir = dir;
        this.pids = pids;
        this.metricsEndpoint = metricsEndpoint;
        try {
            Files.createDirectories(dir.resolve("memberlist"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int index() {
        return index;
    }

    public String name() {
        return Topology.nodeName(index);
    }

    public String namespace() {
        return Topology.node(index);
    }

    public String ip() {
        return Topology.nodeIp(index);
    }

    public String mac() {
        return Topology.mac(ip());
    }

    Path dir() {
        return dir;
    }

    Path portsFile() {
        return dir.resolve("nodeports");
    }

    Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    void startWebPod() {
        webpod = LabProcess.start("webpod-" + name(), namespace(),
                LabProcess.javaMain(WebPod.class.getName(), name(), "0.0.0.0", portsFile().toString()),
                dir.resolve("webpod.log"), pids);
    }

    /** Starts this node's speaker with {@code command} (a java command line without the namespace). */
    void startSpeaker(List<String> command) {
        if (speaker != null && speaker.alive()) {
            throw new IllegalStateException("speaker of " + name() + " is running");
        }
        speaker = LabProcess.start("speaker-" + name(), namespace(), command, dir.resolve("speaker.log"), pids);
    }

    public LabProcess speaker() {
        return speaker;
    }

    public boolean speakerRunning() {
        return speaker != null && speaker.alive();
    }

    /**
     * {@code /readyz} of the speaker answers 200. MetalLB's speaker has no such endpoint off the
     * node's loopback: it is ready when its metrics answer and it has seen every one of
     * {@code members} join its memberlist since it last started (until then it would announce VIPs
     * that are not its own).
     */
    public boolean speakerReady(List<String> members) {
        if (!metricsEndpoint.https()) {
            return get("/readyz").map(r -> r.statusCode() == 200).orElse(false);
        }
        return get("/metrics").map(r -> r.statusCode() == 200).orElse(false) && joinedSinceStart(members);
    }

    /** Whether MetalLB's speaker logged every member's NodeJoin since it last started (its log is appended to). */
    private boolean joinedSinceStart(List<String> members) {
        try {
            String log = Files.readString(dir.resolve("speaker.log"));
            int start = log.lastIndexOf("MetalLB speaker starting");
            return start >= 0 && members.stream().allMatch(m -> log.indexOf(
                    "\"node event\":\"NodeJoin\",\"node name\":\"" + m + "\"", start) > 0);
        } catch (IOException e) {
            return false;
        }
    }

    /** The VIPs this speaker's metrics say it announces (empty when it does not answer). */
    public Set<String> announced() {
        Set<String> out = new HashSet<>();
        get("/metrics").ifPresent(r -> {
            Matcher m = ANNOUNCED.matcher(r.body());
            while (m.find()) {
                Matcher ip = IP.matcher(m.group(1));
                if (ip.find()) {
                    out.add(ip.group(1));
                }
            }
        });
        return out;
    }

    public String metrics() {
        return get("/metrics").map(HttpResponse::body).orElse("");
    }

    private java.util.Optional<HttpResponse<String>> get(String path) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((metricsEndpoint.https() ? "https" : "http")
                    + "://" + ip() + ":" + METRICS_PORT + path)).timeout(Duration.ofMillis(800));
            if (metricsEndpoint.bearerToken() != null) {
                request.header("Authorization", "Bearer " + metricsEndpoint.bearerToken());
            }
            return java.util.Optional.of((metricsEndpoint.https() ? Http.INSECURE_TLS : HTTP).send(request.build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** Stops both processes (speaker first, gracefully). */
    void stop() {
        List<LabProcess> all = new ArrayList<>();
        if (speaker != null) {
            all.add(speaker);
        }
        if (webpod != null) {
            all.add(webpod);
        }
        all.forEach(LabProcess::close);
    }
}
