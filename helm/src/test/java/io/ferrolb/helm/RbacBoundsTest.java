package io.ferrolb.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.helm.Grants.Grant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC against MetalLB's Layer-2 RBAC, permission by permission: nothing beyond it but
 * the extras listed here and explained in docs/rbac.md. (That it is enough is proven by the lab,
 * which runs the real binaries with exactly the chart's RBAC.)
 */
class RbacBoundsTest {

    private static final String CONTROLLER = "metallb-system/ferrolb-controller";
    private static final String SPEAKER = "metallb-system/ferrolb-speaker";

    /** docs/rbac.md, "Beyond MetalLB", says why each is needed. */
    private static final Set<Grant> EXTRAS = Set.of(
            // Pool status is written with a merge patch (MetalLB: update).
            namespaced(CONTROLLER, "metallb.io", "ipaddresspools/status", "get"),
            namespaced(CONTROLLER, "metallb.io", "ipaddresspools/status", "patch"),
            // Leader election by Lease (MetalLB runs one controller without election).
            namespaced(CONTROLLER, "coordination.k8s.io", "leases", "get"),
            namespaced(CONTROLLER, "coordination.k8s.io", "leases", "create"),
            namespaced(CONTROLLER, "coordination.k8s.io", "leases", "update"),
            namespaced(CONTROLLER, "coordination.k8s.io", "leases", "patch"),
            // The speaker keeps an informer on the member Pods (MetalLB lists them).
            namespaced(SPEAKER, "", "pods", "watch"));

    @Test
    void theChartGrantsNothingBeyondMetalLbButTheDocumentedExtras() throws IOException {
        Grants metallb;
        try (InputStream in = RbacBoundsTest.class.getResourceAsStream("/metallb-l2-rbac.yaml")) {
            metallb = Grants.of(Chart.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        Grants chart = Grants.of(Chart.render().objects());

        assertThat(chart.notCoveredBy(metallb)).as("the chart's grants beyond MetalLB's")
                .containsExactlyElementsOf(new TreeSet<>(EXTRAS));
    }

    @Test
    void theControllersRulesFollowTheReleaseName() {
        // Another release: the names in resourceNames move with the objects they name.
        Grants chart = Grants.of(Chart.render("edge", "lb-system", "").objects());
        String controller = "lb-system/edge-ferrolb-controller";

        assertThat(chart.all()).contains(
                new Grant(controller, Grants.ANY, "admissionregistration.k8s.io", "validatingwebhookconfigurations",
                        "edge-ferrolb-webhook-configuration", "patch"),
                new Grant(controller, "lb-system", "apps", "deployments", "edge-ferrolb-controller", "get"));
        assertThat(chart.all()).noneMatch(g -> g.subject().contains("/ferrolb-") || g.name().startsWith("ferrolb-"));
    }

    private static Grant namespaced(String subject, String group, String resource, String verb) {
        return new Grant(subject, "metallb-system", group, resource, Grants.ANY, verb);
    }
}
