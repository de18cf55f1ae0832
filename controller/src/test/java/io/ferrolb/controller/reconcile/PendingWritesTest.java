package io.ferrolb.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.Test;

/** Read-your-writes over a lagging cache. */
class PendingWritesTest {

    private static Service version(String rv, String marker) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("s").withResourceVersion(rv)
                .addToAnnotations("marker", marker).endMetadata().build();
    }

    private final PendingWrites pending = new PendingWrites();

    @Test
    void withoutAWriteTheCacheIsUsed() {
        Service cached = version("1", "cache");
        assertThat(pending.effective("ns/s", cached)).isSameAs(cached);
    }

    @Test
    void whileTheCacheStillShowsTheBaseVersionTheDecisionIsUsedThenTheStoredObject() {
        Service base = version("1", "base");
        Service toWrite = version("1", "decided");
        pending.decided("ns/s", base, toWrite);
        assertThat(pending.effective("ns/s", version("1", "stale"))).isSameAs(toWrite);
        Service stored = version("2", "stored");
        pending.written("ns/s", toWrite, stored);
        assertThat(pending.effective("ns/s", version("1", "stale"))).isSameAs(stored);
    }

    @Test
    void anyNewerVersionEndsTheOverlay() {
        Service toWrite = version("1", "decided");
        pending.decided("ns/s", version("1", "base"), toWrite);
        Service newer = version("7", "someone else");
        assertThat(pending.effective("ns/s", newer)).isSameAs(newer);
        assertThat(pending.effective("ns/s", version("1", "old again"))).extracting(s -> s.getMetadata()
                .getAnnotations().get("marker")).isEqualTo("old again");
    }

    @Test
    void aFailedWriteEndsItsOverlayButNotALaterDecision() {
        Service first = version("1", "first");
        pending.decided("ns/s", version("1", "base"), first);
        Service second = version("1", "second");
        pending.decided("ns/s", version("1", "base"), second);
        pending.failed("ns/s", first);
        assertThat(pending.effective("ns/s", version("1", "stale"))).isSameAs(second);
        pending.failed("ns/s", second);
        Service cached = version("1", "stale");
        assertThat(pending.effective("ns/s", cached)).isSameAs(cached);
    }

    @Test
    void aDeletedServiceIsForgotten() {
        pending.decided("ns/s", version("1", "base"), version("1", "decided"));
        pending.forget("ns/s");
        Service cached = version("1", "cache");
        assertThat(pending.effective("ns/s", cached)).isSameAs(cached);
    }
}
