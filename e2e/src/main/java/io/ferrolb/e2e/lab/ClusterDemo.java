package io.ferrolb.e2e.lab;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The seed walkthrough on the cluster lab ({@code lab demo --cluster}): the chart's pods, a pool,
 * three Services backed by the web Deployment, arping and curl from the client, then svc1's owner
 * loses its speaker three ways (the pod deleted, its process killed, the node's link down), each
 * with the timeline the client saw: ARP probes every 50 ms and a new TCP connection every 20 ms.
 */
public final class ClusterDemo {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String SPEAKER_SELECTOR = "app.kubernetes.io/component=speaker";

    /**
     * What the client saw of one takeover, in ms from the event; {@code doubleRounds} counts ARP rounds
     * answered by two MACs from the event until every speaker was Ready again (the move back included).
     */
    public record Takeover(String how, String from, String to, long arpMs, long tcpMs, long failedConnections,
            long doubleRounds) {
    }

    /** The walkthrough's Services and addresses, and the three takeovers of svc1. */
    public record Result(Map<String, String> vips, List<Takeover> takeovers) {
    }

    private final ClusterLab lab;
    private final Steps out;
    private final LabClient client;

    public ClusterDemo(ClusterLab lab) {
        this.lab = lab;
        this.out = lab.steps();
        this.client = new LabClient(lab.dir(), lab.pids());
    }

    /** The chart's pods, the pool, three Services, arping and curl; returns each Service's address. */
    public Map<String, String> walkthrough() {
        out.say("\n# 1. helm install (" + lab.helmInstallTime().toMillis() + " ms until every pod was Ready):");
        out.say(Steps.indent(lab.helmInstallOutput()));
        kubectl("get", "pods", "-n", ClusterObjects.NAMESPACE, "-o", "wide");
        kubectl("get", "pods", "-n", "default", "-o", "wide");

        out.say("\n# 2. The pool and the L2 advertisement (MetalLB's manifests, unchanged):");
        out.say(Steps.indent(Seed.POOL_YAML));
        out.run("kubectl apply -f pool.yaml", () -> lab.kubectl(Seed.POOL_YAML, "apply", "-f", "-"));

        out.say("\n# 3. Three Services of type LoadBalancer in front of the web Deployment:");
        Map<String, String> ips = new LinkedHashMap<>();
        for (String svc : List.of("svc1", "svc2", "svc3")) {
            out.run("kubectl apply -f " + svc + ".yaml", () -> lab.kubectl(serviceYaml(svc), "apply", "-f", "-"));
        }
        out.run("wait for the EXTERNAL-IPs and one ServiceL2Status each", () -> {
            for (String svc : List.of("svc1", "svc2", "svc3")) {
                ips.put(svc, awaitServed(svc));
            }
        });
        kubectl("get", "svc", "-n", "default");
        kubectl("get", "servicel2statuses", "-n", ClusterObjects.NAMESPACE);

        out.say("\n# 4. Who answers ARP for each VIP? The nodes' MACs:");
        for (ClusterNode n : lab.nodes()) {
            out.say("   " + n.name() + "  " + n.ip() + "  " + n.mac());
        }
        for (Map.Entry<String, String> e : ips.entrySet()) {
            out.say("\n$ ip netns exec flb-client arping -c 1 " + e.getValue());
            out.say(Steps.indent(client.arpingRaw(e.getValue()).stdout().strip()));
            String owner = awaitSettled(e.getKey(), e.getValue());
            out.say("   -> " + e.getKey() + " ServiceL2Status node: " + owner + " (" + lab.node(owner).mac() + ")");
        }

        out.say("\n# 5. curl through every VIP (kube-proxy sends it to a web pod, which answers its node's name):");
        for (Map.Entry<String, String> e : ips.entrySet()) {
            String answer = client.curl(e.getValue(), 80).orElse("(failed)");
            out.say("$ ip netns exec flb-client curl -s http://" + e.getValue() + "/   ->  " + answer);
            if (lab.nodes().stream().noneMatch(n -> n.name().equals(answer))) {
                throw new IllegalStateException("curl through " + e.getValue() + " got '" + answer
                        + "', not a web pod's node name");
            }
        }

        return ips;
    }

    /** The walkthrough, then the three takeovers of svc1. */
    public Result run() {
        Map<String, String> ips = walkthrough();
        return new Result(ips, takeovers(ips.get("svc1")));
    }

    /** svc1's owner loses its speaker three ways; returns what the client saw of each. */
    public List<Takeover> takeovers(String vip) {
        List<Takeover> takeovers = List.of(
                takeover("kubectl delete pod", vip, this::deleteSpeakerPod, this::restoreNothing),
                takeover("kill -9 in the container", vip, this::killSpeakerProcess, this::restoreNothing),
                takeover("link down", vip, this::linkDown, this::linkUp));
        out.say("\n# 7. The three takeovers of svc1 as the client saw them:");
        for (Takeover t : takeovers) {
            out.say(String.format("   %-26s %s -> %s: ARP from the new owner after %d ms, first TCP connect %d ms, "
                    + "%d failed connections, %d ARP rounds with two owners", t.how(), t.from(), t.to(), t.arpMs(),
                    t.tcpMs(), t.failedConnections(), t.doubleRounds()));
        }
        return takeovers;
    }

    interface Action {
        void on(ClusterNode owner) throws Exception;
    }

    private Takeover takeover(String how, String vip, Action event, Action restore) {
        String owner = awaitSettled("svc1", vip);
        ClusterNode node = lab.node(owner);
        out.say("\n# 6. Takeover of svc1 (" + vip + ", owner " + owner + ") by " + how + ":");
        try (ArpWatch arp = ArpWatch.start(lab.dir(), lab.pids(), "arp-watch", List.of(vip), 50);
                ProberRun tcp = client.probeNew("tcp-prober", vip, 80, 20, 200)) {
            tcp.awaitSuccess(System.currentTimeMillis(), WAIT);
            Await.until("the ARP watch sees " + owner, WAIT, () -> node.mac().equals(answering(arp, vip)));
            long at = System.currentTimeMillis();
            event.on(node);
            ArpWatch.Change moved = Await.value("a survivor answering ARP for " + vip, WAIT, () -> arp.refresh()
                    .changesFrom(at).stream().filter(c -> c.vip().equals(vip) && c.macs().size() == 1
                            && !c.macs().contains(node.mac())).findFirst().orElse(null), c -> true);
            String to = lab.nodes().stream().filter(n -> moved.macs().contains(n.mac())).map(ClusterNode::name)
                    .findFirst().orElse(String.join(",", moved.macs()));
            ProberRun.Attempt first = Await.value("a TCP connection through " + vip, WAIT, () -> tcp.attempts()
                    .stream().filter(a -> a.ok() && a.epochMs() >= at && a.epochMs() >= moved.epochMs())
                    .findFirst().orElse(null), a -> true);
            long failed = tcp.attempts().stream().filter(a -> !a.ok() && a.epochMs() >= at).count();
            out.say(String.format("   %s answers ARP for %s %d ms after the event; first new connection through it "
                    + "after %d ms; %d connections failed in between", to, vip, Math.max(0, moved.epochMs() - at),
                    first.epochMs() + first.ms() - at, failed));
            restore.on(node);
            awaitSpeakersReady();
            awaitSettled("svc1", vip);
            kubectl("get", "pods", "-n", ClusterObjects.NAMESPACE, "-o", "wide", "-l", SPEAKER_SELECTOR);
            kubectl("get", "servicel2statuses", "-n", ClusterObjects.NAMESPACE);
            long doubles = arp.refresh().doubles().stream().filter(d -> d.epochMs() >= at).count();
            out.say("   ARP rounds with two owners during the takeover and the move back: " + doubles);
            return new Takeover(how, owner, to, Math.max(0, moved.epochMs() - at), first.epochMs() + first.ms() - at,
                    failed,
                    doubles);
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private static String answering(ArpWatch arp, String vip) {
        Set<String> macs = arp.refresh().current().get(vip);
        return macs != null && macs.size() == 1 ? macs.iterator().next() : null;
    }

    private void deleteSpeakerPod(ClusterNode owner) {
        String pod = speakerPod(owner.name()).getMetadata().getName();
        out.say("$ kubectl delete pod -n " + ClusterObjects.NAMESPACE + " " + pod + " --wait=false");
        lab.kubectl(null, "delete", "pod", "-n", ClusterObjects.NAMESPACE, pod, "--wait=false");
    }

    private void killSpeakerProcess(ClusterNode owner) {
        List<Long> pids = owner.containerPids("ferrolb-speaker.jar");
        if (pids.size() != 1) {
            throw new IllegalStateException("expected one speaker JVM on " + owner.name() + ", found " + pids);
        }
        out.say("$ kill -9 " + pids.get(0) + "   # the speaker's java in its container on " + owner.name());
        ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
    }

    private void linkDown(ClusterNode owner) {
        out.say("$ ip netns exec " + owner.namespace() + " ip link set eth0 down");
        Sh.must("ip", "netns", "exec", owner.namespace(), "ip", "link", "set", "eth0", "down");
    }

    private void linkUp(ClusterNode owner) {
        out.say("$ ip netns exec " + owner.namespace() + " ip link set eth0 up   # and its routes back");
        Sh.must("ip", "netns", "exec", owner.namespace(), "ip", "link", "set", "eth0", "up");
        owner.addRoutes();
    }

    private void restoreNothing(ClusterNode owner) {
        // The DaemonSet or kubelet brings the speaker back by itself.
    }

    private Pod speakerPod(String node) {
        return lab.client().pods().inNamespace(ClusterObjects.NAMESPACE).withLabel("app.kubernetes.io/component",
                "speaker").list().getItems().stream().filter(p -> node.equals(p.getSpec().getNodeName())
                        && p.getMetadata().getDeletionTimestamp() == null)
                .findFirst().orElseThrow(() -> new IllegalStateException("no speaker pod on " + node));
    }

    /** Every node runs a speaker pod that is Ready, none being deleted. */
    public void awaitSpeakersReady() {
        Await.until("a Ready speaker on every node", WAIT, () -> lab.nodes().stream().allMatch(n -> {
            var pods = lab.client().pods().inNamespace(ClusterObjects.NAMESPACE)
                    .withLabel("app.kubernetes.io/component", "speaker").list().getItems().stream()
                    .filter(p -> n.name().equals(p.getSpec().getNodeName())).toList();
            return pods.size() == 1 && pods.get(0).getMetadata().getDeletionTimestamp() == null
                    && pods.get(0).getStatus().getConditions().stream()
                            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        }));
    }

    /** Waits until the Service has an address and one ServiceL2Status; returns the address. */
    public String awaitServed(String svc) {
        String ip = Await.value(svc + " EXTERNAL-IP", WAIT, () -> Seed.ingressIp(lab.client().services()
                .inNamespace("default").withName(svc).get()).orElse(null), v -> true);
        Await.value(svc + " ServiceL2Status", WAIT, () -> statusNode(svc).orElse(null), v -> true);
        return ip;
    }

    /** Waits until exactly the ServiceL2Status node's MAC answers arping for the VIP; returns that node. */
    public String awaitSettled(String svc, String vip) {
        String[] last = {"nothing yet"};
        try {
            return Await.value(svc + " answered by its ServiceL2Status node alone", WAIT, () -> {
                Optional<String> node = statusNode(svc);
                // Distinct MACs: arping also prints the replies to an ARP watch probing from the same client.
                Set<String> macs = new java.util.TreeSet<>(client.arping(vip));
                last[0] = "ServiceL2Status node " + node.orElse("(none or several)") + ", ARP replies from " + macs;
                return node.isPresent() && macs.equals(Set.of(lab.node(node.get()).mac())) ? node.get() : null;
            }, v -> true);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; last seen: " + last[0], e);
        }
    }

    public Optional<String> statusNode(String svc) {
        return Seed.statusNode(lab.client(), svc);
    }

    public static String serviceYaml(String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: default
                spec:
                  type: LoadBalancer
                  selector:
                    app: web
                  ports:
                  - name: http
                    port: 80
                    targetPort: 8080
                """.formatted(name);
    }

    private void kubectl(String... args) {
        out.say("\n$ kubectl " + String.join(" ", args));
        out.say(lab.kubectl(null, args).stripTrailing());
    }

}
