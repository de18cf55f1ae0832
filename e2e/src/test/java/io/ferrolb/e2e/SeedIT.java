package io.ferrolb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.e2e.lab.Lab;
import io.ferrolb.e2e.lab.LabClient;
import io.ferrolb.e2e.lab.Seed;
import io.ferrolb.net.IpAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The seed walkthrough as assertions: IPs from the pool, one ARP answer from the owner, curl through. */
@ExtendWith(LabExtension.class)
class SeedIT {

    private static final List<String> SERVICES = List.of("seed1", "seed2", "seed3");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Lab lab;
    private final Seed seed;
    private final LabClient client;

    SeedIT(Lab lab) {
        this.lab = lab;
        this.seed = new Seed(lab);
        this.client = new LabClient(lab.settings().dir(), lab.pids());
    }

    @AfterEach
    void deleteServices() {
        SERVICES.forEach(seed::deleteService);
    }

    @Test
    void everyVipIsAnsweredByItsServiceL2StatusNodeAndServed() {
        SERVICES.forEach(seed::createService);
        Set<String> ips = new HashSet<>();
        for (String svc : SERVICES) {
            String ip = seed.awaitIp(svc, WAIT);
            ips.add(ip);
            assertThat(IpAddress.parse(ip).toString()).startsWith("198.18.0.");
            int last = Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
            assertThat(last).isBetween(200, 250);

            String owner = seed.awaitAnnounced(svc, WAIT);
            List<String> macs = client.arping(ip);
            assertThat(macs).as("ARP replies for %s (%s, owner %s)", ip, svc, owner)
                    .containsExactly(lab.node(owner).mac());
            assertThat(client.curl(ip, 80)).as("curl http://%s/", ip).hasValue(owner);
            assertThat(lab.nodes()).filteredOn(n -> !n.name().equals(owner))
                    .allSatisfy(n -> assertThat(n.announced()).doesNotContain(ip));
        }
        assertThat(ips).hasSize(3);
    }
}
