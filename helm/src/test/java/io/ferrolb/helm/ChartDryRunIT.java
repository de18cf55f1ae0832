package io.ferrolb.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.ferrolb.testkit.CommandResult;
import io.ferrolb.testkit.ControlPlane;
import io.ferrolb.testkit.ControlPlaneExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Helm's output, exactly as printed, server-side applied with {@code --dry-run=server} to a real
 * kube-apiserver: every object passes the API server's validation (Pod templates, RBAC, webhook
 * configuration, strict field validation) and admission, and nothing is stored.
 */
class ChartDryRunIT {

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();
    private static final String DRY_RUN_DONE = "serverside-applied (server dry run)";

    @BeforeAll
    static void installTheCrdsForReal() throws IOException {
        ControlPlane plane = apiServer.controlPlane();
        plane.ensureNamespace(Chart.NAMESPACE);
        plane.ensureNamespace("lb-system");
        // The chart's custom resources need their CRDs served, not just dry-run applied.
        plane.kubectlWithInput(Chart.render().yamlOf(List.of("CustomResourceDefinition")) + "\n---\n"
                + resource("/monitoring-crds.yaml"), "apply", "--server-side", "-f", "-").requireSuccess();
        plane.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all").requireSuccess();
    }

    static Stream<Arguments> renders() {
        return Stream.of(
                Arguments.of("defaults", Chart.render()),
                Arguments.of("non-default values", Chart.render(Chart.NON_DEFAULT)),
                Arguments.of("release edge in lb-system, webhook only, no membership",
                        Chart.render("edge", "lb-system", """
                                controller:
                                  webhookMode: onlywebhook
                                speaker:
                                  handoff: ipvs
                                  memberlist:
                                    enabled: false
                                prometheus:
                                  serviceMonitor:
                                    enabled: true
                                  prometheusRule:
                                    enabled: true
                                """)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void theApiServerAcceptsEveryRenderedObject(String label, Rendered rendered) {
        CommandResult result = apiServer.kubectlWithInput(rendered.yaml(),
                "apply", "--server-side", "--dry-run=server", "-f", "-");

        assertThat(result.succeeded()).as("dry run of %s:%n%s", label, result.stderr()).isTrue();
        List<String> applied = result.stdout().lines().filter(l -> l.endsWith(DRY_RUN_DONE)).toList();
        assertThat(applied).as(result.stdout()).hasSize(rendered.objects().size());
        for (HasMetadata o : rendered.objects()) {
            assertThat(applied).as("%s/%s", o.getKind(), o.getMetadata().getName())
                    .anyMatch(l -> refersTo(l, o));
        }
        // A dry run stores nothing.
        assertThat(apiServer.kubectl("get", "daemonsets,deployments,serviceaccounts,clusterroles", "-A",
                "-l", "app.kubernetes.io/managed-by=Helm", "-o", "name").requireSuccess()).isBlank();
    }

    @Test
    void anInvalidPodTemplateIsRefused() {
        // Helm and the schema let this through; the API server does not (a priority class name is
        // a DNS subdomain). It shows that the dry runs above are checked for real.
        Rendered rendered = Chart.render("speaker:\n  priorityClassName: Not_A_Name\n");

        CommandResult result = apiServer.kubectlWithInput(rendered.yaml(),
                "apply", "--server-side", "--dry-run=server", "-f", "-");

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("DaemonSet").contains("priorityClassName");
    }

    /** kubectl prints {@code <kind>[.<group>]/<name> <outcome>}. */
    private static boolean refersTo(String line, HasMetadata o) {
        String ref = line.substring(0, line.indexOf(' '));
        String kind = ref.substring(0, ref.indexOf('/'));
        String k = o.getKind().toLowerCase(Locale.ROOT);
        return (kind.equals(k) || kind.startsWith(k + ".")) && ref.substring(ref.indexOf('/') + 1)
                .equals(o.getMetadata().getName());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ChartDryRunIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
