package io.ferrolb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.ferrolb.e2e.lab.Await;
import io.ferrolb.e2e.lab.Backends;
import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.LabClient;
import io.ferrolb.e2e.lab.Seed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which node announces: ETP=Local follows the endpoints; Services sharing an IP share one announcer. */
@ExtendWith(LabExtension.class)
class AnnouncerChoiceIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Lab lab;
    private final Seed seed;
    private final LabClient client;

    AnnouncerChoiceIT(Lab lab) {
        this.lab = lab;
        this.seed = new Seed(lab);
        this.client = new LabClient(lab.settings().dir(), lab.pids());
    }

    @AfterEach
    void deleteServices() {
        List.of("local1", "shared-a", "shared-b").forEach(seed::deleteService);
    }

    @Test
    void localTrafficPolicyIsAnnouncedWhereTheEndpointsAre() {
        seed.createService("local1", Map.of(Backends.BACKEND_NODES, "n2"), "  externalTrafficPolicy: Local");
        String ip = seed.awaitIp("local1", WAIT);
        assertThat(seed.awaitAnnounced("local1", WAIT)).isEqualTo("n2");
        assertThat(client.arping(ip)).containsExactly(lab.node("n2").mac());
        assertThat(client.curl(ip, 80)).hasValue("n2");

        // The pods move to n3: the announcement follows them.
        Service svc = seed.service("local1");
        svc.getMetadata().getAnnotations().put(Backends.BACKEND_NODES, "n3");
        lab.client().resource(svc).update();
        Await.until("local1 announced by n3", WAIT, () -> seed.statusNode("local1").orElse("").equals("n3")
                && lab.node("n3").announced().contains(ip) && !lab.node("n2").announced().contains(ip));
        seed.awaitAnnounced("local1", WAIT);
        assertThat(client.arping(ip)).containsExactly(lab.node("n3").mac());
        assertThat(client.curl(ip, 80)).hasValue("n3");
    }

    @Test
    void servicesSharingAnIpAreAnnouncedByOneNode() {
        Map<String, String> shared = Map.of("metallb.io/allow-shared-ip", "web", "metallb.io/loadBalancerIPs",
                "198.18.0.240");
        seed.createService("shared-a", shared, "", 80);
        seed.createService("shared-b", shared, "", 81);
        assertThat(seed.awaitIp("shared-a", WAIT)).isEqualTo("198.18.0.240");
        assertThat(seed.awaitIp("shared-b", WAIT)).isEqualTo("198.18.0.240");
        String ownerA = seed.awaitAnnounced("shared-a", WAIT);
        String ownerB = seed.awaitAnnounced("shared-b", WAIT);
        assertThat(ownerB).isEqualTo(ownerA);
        assertThat(client.arping("198.18.0.240")).containsExactly(lab.node(ownerA).mac());
        assertThat(client.curl("198.18.0.240", 80)).hasValue(ownerA);
        assertThat(client.curl("198.18.0.240", 81)).hasValue(ownerA);
    }
}
