package io.ferrolb.e2e.lab;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed walkthrough on the real lab: a pool and an L2Advertisement, three LoadBalancer
 * Services, their EXTERNAL-IPs and ServiceL2Statuses, arping and curl from the client, then
 * {@code kill -9} of svc1's owner and the takeover, with the interruption the client saw.
 */
public final class Demo {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Lab lab;
    private final Steps out;
    private final Seed seed;
    private final LabClient client;

    public Demo(Lab lab) {
        this.lab = lab;
        this.out = lab.steps();
        this.seed = new Seed(lab);
        this.client = new LabClient(lab.settings().dir(), lab.pids());
    }

    public void run() {
        out.say("\n# 1. Configure the pool and the L2 advertisement (MetalLB's manifests, unchanged):");
        out.say(Steps.indent(Seed.POOL_YAML));
        out.run("kubectl apply -f pool.yaml", seed::applyPool);

        out.say("\n# 2. Three Services of type LoadBalancer:");
        Map<String, String> ips = new LinkedHashMap<>();
        for (String svc : List.of("svc1", "svc2", "svc3")) {
            out.run("kubectl apply -f " + svc + ".yaml", () -> seed.createService(svc));
        }
        out.run("wait for the controller's EXTERNAL-IPs and the speakers' announcements", () -> {
            for (String svc : List.of("svc1", "svc2", "svc3")) {
                ips.put(svc, seed.awaitIp(svc, WAIT));
                seed.awaitAnnounced(svc, WAIT);
            }
        });
        kubectl("get", "svc", "-n", "default");
        kubectl("get", "servicel2statuses", "-n", ClusterObjects.NAMESPACE);

        out.say("\n# 3. Who answers ARP for each VIP? The nodes' MACs:");
        for (LabNode n : lab.nodes()) {
            out.say("   " + n.name() + "  " + n.ip() + "  " + n.mac());
        }
        for (Map.Entry<String, String> e : ips.entrySet()) {
            out.say("\n$ ip netns exec flb-client arping -c 1 " + e.getValue());
            out.say(Steps.indent(client.arpingRaw(e.getValue()).stdout().strip()));
            String owner = seed.statusNode(e.getKey()).orElse("?");
            out.say("   -> " + e.getKey() + " ServiceL2Status node: " + owner + " (" + lab.node(owner).mac() + ")");
        }

        out.say("\n# 4. curl through every VIP (the webpod answers with its node's name):");
        for (Map.Entry<String, String> e : ips.entrySet()) {
            out.say("$ ip netns exec flb-client curl -s http://" + e.getValue() + "/   ->  "
                    + client.curl(e.getValue(), 80).orElse("(failed)"));
        }

        failover(ips.get("svc1"));
    }

    private void failover(String vip) {
        String owner = seed.statusNode("svc1").orElseThrow();
        LabNode node = lab.node(owner);
        out.say("\n# 5. kill -9 the speaker of svc1's owner " + owner + " while a client connects every 20 ms:");
        try (ProberRun prober = client.probeNew("demo-prober", vip, 80, 20, 200)) {
            long warm = System.currentTimeMillis();
            prober.awaitSuccess(warm, WAIT);
            long killedAt = System.currentTimeMillis();
            out.say("$ kill -9 " + node.speaker().pid() + "   # speaker of " + owner);
            node.speaker().kill();
            String newOwner = Await.value("a new ServiceL2Status for svc1", WAIT,
                    () -> seed.statusNode("svc1").filter(n -> !n.equals(owner)).orElse(null), n -> true);
            ProberRun.Attempt first = Await.value("a probe answered by the new owner", WAIT, () -> prober.attempts()
                    .stream().filter(a -> a.ok() && a.epochMs() >= killedAt && !a.detail().equals(owner))
                    .findFirst().orElse(null), a -> true);
            long failed = prober.attempts().stream().filter(a -> !a.ok() && a.epochMs() >= killedAt).count();
            out.say(String.format("   takeover by %s: first answer from the new owner %d ms after the kill "
                    + "(%d probes failed in between)", newOwner, first.epochMs() + first.ms() - killedAt, failed));
            out.say("\n$ ip netns exec flb-client arping -c 1 " + vip);
            out.say(Steps.indent(client.arpingRaw(vip).stdout().strip()));
            out.say("   -> now " + lab.node(newOwner).mac() + " (" + newOwner + ")");
            kubectl("get", "servicel2statuses", "-n", ClusterObjects.NAMESPACE);
            out.say("$ ip netns exec flb-client curl -s http://" + vip + "/   ->  " + client.curl(vip, 80).orElse("(failed)"));
        }
    }

    private void kubectl(String... args) {
        out.say("\n$ kubectl " + String.join(" ", args));
        out.say(lab.plane().kubectl(args).requireSuccess().stripTrailing());
    }

}
