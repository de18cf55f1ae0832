package io.ferrolb.api.v1beta1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.ferrolb.testkit.ControlPlaneExtension;
import io.ferrolb.testkit.MetalLbSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every property path of MetalLB v0.16.1's CRDs exists in the CRDs our API server serves, with the
 * same type, default, required list, bounds, CEL rules and list/map semantics. The only path we
 * add, L2Advertisement {@code spec.preferredNodeSelectors}, is MetalLB v0.16.2's, and is compared
 * with v0.16.2's CRD. Both releases' CRDs come from MetalLB's Go module ({@link MetalLbSource}).
 *
 * <p>Known differences, each because fabric8's CRD generator cannot express it:
 * <ul>
 *   <li>{@code apiVersion}, {@code kind} and {@code metadata} are not spelled out at the top level.
 *       The API server validates and publishes them for every custom resource anyway, which
 *       {@code kubectl explain} below shows.
 *   <li>Label selectors lack {@code x-kubernetes-map-type: atomic} and their lists
 *       {@code x-kubernetes-list-type: atomic}: only server-side apply's merging of a selector
 *       edited by two field managers differs.
 *   <li>Integer fields lack {@code format: int64}/{@code int32}: a documentation hint; the server
 *       stores and validates the same integers.
 * </ul>
 * Any other difference fails.
 */
class SchemaComparisonIT {

    private static final Set<String> IMPLICIT_TOP_LEVEL = Set.of("apiVersion", "kind", "metadata");
    private static final Set<String> GENERATOR_GAPS = Set.of(
            "x-kubernetes-map-type=atomic", "x-kubernetes-list-type=atomic", "format=int64", "format=int32");

    @RegisterExtension
    static final ControlPlaneExtension apiServer = new ControlPlaneExtension();

    @BeforeAll
    static void installCrds() {
        Crds.installOurs(apiServer.controlPlane());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipaddresspools", "l2advertisements", "servicel2statuses"})
    void everyMetalLbPropertyExistsWithTheSameSchema(String plural) {
        CustomResourceDefinition release = load(MetalLbSource.V0_16_1, plural);
        CustomResourceDefinition later = load(MetalLbSource.V0_16_2, plural);
        CustomResourceDefinition ours = apiServer.client().apiextensions().v1().customResourceDefinitions()
                .withName(plural + ".metallb.io").get();

        assertThat(ours.getSpec().getGroup()).isEqualTo(release.getSpec().getGroup());
        assertThat(ours.getSpec().getScope()).isEqualTo(release.getSpec().getScope());
        assertThat(ours.getSpec().getNames().getKind()).isEqualTo(release.getSpec().getNames().getKind());
        assertThat(ours.getSpec().getNames().getListKind()).isEqualTo(release.getSpec().getNames().getListKind());
        assertThat(ours.getSpec().getNames().getSingular()).isEqualTo(release.getSpec().getNames().getSingular());

        Map<String, Map<String, String>> released = facts(release);
        Map<String, Map<String, String>> added = facts(later);
        Map<String, Map<String, String>> mine = facts(ours);

        List<String> differences = new ArrayList<>();
        for (String path : released.keySet()) {
            if (IMPLICIT_TOP_LEVEL.contains(path)) {
                continue;
            }
            if (!mine.containsKey(path)) {
                differences.add(path + " is missing");
                continue;
            }
            compare(path, released.get(path), mine.get(path), differences);
        }
        for (String path : mine.keySet()) {
            if (released.containsKey(path)) {
                continue;
            }
            if (!added.containsKey(path)) {
                differences.add(path + " is in neither MetalLB v0.16.1 nor v0.16.2");
                continue;
            }
            compare(path, added.get(path), mine.get(path), differences);
        }
        assertThat(differences).as("schema differences of %s", plural).isEmpty();

        String explained = apiServer.kubectl("explain", plural + ".metallb.io").requireSuccess();
        for (String field : IMPLICIT_TOP_LEVEL) {
            assertThat(explained).containsPattern("(?m)^  " + field + "\\s");
        }
    }

    private static void compare(String path, Map<String, String> expected, Map<String, String> actual,
                                List<String> differences) {
        Set<String> attributes = new TreeSet<>(expected.keySet());
        attributes.addAll(actual.keySet());
        for (String attribute : attributes) {
            String want = expected.get(attribute);
            String got = actual.get(attribute);
            if (want != null && want.equals(got)) {
                continue;
            }
            if (got == null && GENERATOR_GAPS.contains(attribute + "=" + want)) {
                continue;
            }
            differences.add(path + " " + attribute + ": MetalLB " + want + ", ours " + got);
        }
    }

    private static Map<String, Map<String, String>> facts(CustomResourceDefinition crd) {
        CustomResourceDefinitionVersion v1beta1 = crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals("v1beta1")).findFirst().orElseThrow();
        return SchemaFacts.of(v1beta1.getSchema().getOpenAPIV3Schema());
    }

    private static CustomResourceDefinition load(String release, String plural) {
        return apiServer.client().apiextensions().v1().customResourceDefinitions()
                .load(MetalLbSource.crd(release, plural).toFile()).item();
    }
}
