package io.ferrolb.e2e.lab;

import com.marcnuri.helm.Helm;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ServiceAccounts and RBAC of the Helm chart in {@code helm/ferrolb}, rendered by genuine Helm
 * (helm-java) for release {@code ferrolb} in the lab's namespace. The lab installs exactly these, so
 * every e2e suite proves that the chart's roles are enough for the real binaries.
 *
 * <p>Helm runs in a child JVM ({@link #main}): helm-java loads Helm as a Go shared library, and the
 * Go runtime then takes over SIGINT, SIGTERM and SIGQUIT in that process, so the lab's JVM would no
 * longer run its shutdown hooks on Ctrl-C and never tear the lab down.
 */
public final class ChartRbac {

    static final Path CHART = ControlPlaneBinaries.repositoryRoot().resolve("helm/ferrolb");
    static final String RELEASE = "ferrolb";
    private static final Set<String> KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
            "RoleBinding");

    private ChartRbac() {
    }

    /** Renders in a child JVM with this JVM's classpath; see the class comment. */
    static String renderInChild(String namespace) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        var r = Sh.run(List.of(java.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ChartRbac.class.getName(), namespace));
        if (r.exitCode() != 0 || r.stdout().isBlank()) {
            throw new IllegalStateException("rendering the chart's RBAC failed (exit " + r.exitCode() + "): "
                    + r.stderr());
        }
        return r.stdout();
    }

    /** Prints the chart's ServiceAccounts and RBAC for the namespace given as the only argument. */
    public static void main(String[] args) {
        // Standard output carries only the YAML: anything logged while rendering goes to stderr.
        java.io.PrintStream yaml = System.out;
        System.setOut(System.err);
        yaml.print(render(args[0]));
        yaml.flush();
    }

    /** The chart's ServiceAccount and RBAC documents, as one YAML stream for {@code kubectl apply}. */
    static String render(String namespace) {
        // Helm renders for Kubernetes 1.20 unless told, older than the chart's kubeVersion.
        String all = new Helm(CHART).template().withName(RELEASE).withNamespace(namespace)
                .withKubeVersion(ControlPlaneBinaries.kubernetesVersion()).call();
        String rbac = documents(all).stream().filter(doc -> KINDS.contains(kindOf(doc)))
                .collect(Collectors.joining("\n---\n"));
        if (rbac.isEmpty()) {
            throw new IllegalStateException("the chart in " + CHART + " renders no RBAC");
        }
        return rbac;
    }

    static List<String> documents(String yaml) {
        return Stream.of(yaml.split("(?m)^---\\s*$")).filter(doc -> !kindOf(doc).isEmpty()).toList();
    }

    static String kindOf(String doc) {
        return doc.lines().filter(l -> l.startsWith("kind:")).map(l -> l.substring("kind:".length()).strip())
                .findFirst().orElse("");
    }
}
