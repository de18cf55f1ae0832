package io.ferrolb.speaker.wire.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.net.IpAddress;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class WireMetricsTest {

    static final IpAddress VIP = IpAddress.parse("198.18.10.200");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final WireMetrics metrics = new WireMetrics(registry);

    @Test
    void metallbNamesExactlyWithoutTotalAndOurCounterWithIt() {
        metrics.own(VIP);
        metrics.request(VIP);
        metrics.publish(VIP);
        metrics.response(VIP);
        metrics.gratuitous(VIP);
        metrics.gratuitous(VIP);
        metrics.conflict(VIP);

        assertThat(registry.scrape()).contains(
                "metallb_layer2_requests_received{ip=\"198.18.10.200\",} 1.0",
                "metallb_layer2_responses_sent{ip=\"198.18.10.200\",} 1.0",
                "metallb_layer2_gratuitous_sent{ip=\"198.18.10.200\",} 2.0",
                "ferrolb_layer2_conflicts_total{ip=\"198.18.10.200\",} 1.0")
                .doesNotContain("metallb_layer2_requests_received_total");
    }

    @Test
    void countsFromTheClaimAreKeptUntilTheSeriesArePublished() {
        metrics.own(VIP);
        metrics.gratuitous(VIP);
        assertThat(registry.scrape()).doesNotContain("198.18.10.200");

        metrics.publish(VIP);
        metrics.publish(VIP);

        assertThat(registry.scrape()).contains("metallb_layer2_gratuitous_sent{ip=\"198.18.10.200\",} 1.0");
        assertThat(registry.getMeters()).filteredOn(m -> m.getId().getTag("ip") != null).hasSize(4);
    }

    @Test
    void anAddresssSeriesGoWhenItIsNoLongerOwnedAndCountsAfterThatAreDropped() {
        metrics.own(VIP);
        metrics.publish(VIP);
        metrics.own(VIP);

        metrics.disown(VIP);
        metrics.request(VIP);

        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTag("ip") != null);
        assertThat(registry.scrape()).doesNotContain("198.18.10.200");
    }
}
