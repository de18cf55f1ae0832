package io.ferrolb.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.ferrolb.testkit.ControlPlaneBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart in {@code helm/ferrolb}, linted and rendered by genuine Helm (helm-java, in-process). */
final class Chart {

    static final Path DIR = ControlPlaneBinaries.repositoryRoot().resolve("helm/ferrolb");
    static final String RELEASE = "ferrolb";
    static final String NAMESPACE = "metallb-system";
    static final KubernetesSerialization JSON = new KubernetesSerialization();
    /**
     * Helm renders for Kubernetes 1.20 unless told otherwise, older than the chart's kubeVersion;
     * render for the version the testkit's kube-apiserver is built at.
     */
    static final String KUBE_VERSION = ControlPlaneBinaries.kubernetesVersion();

    /**
     * Values that differ from every default that changes what is rendered: the set the tests call
     * "non-default".
     */
    static final String NON_DEFAULT = """
            loadBalancerClass: example.com/ferrolb
            imagePullSecrets:
              - name: registry-login
            prometheus:
              scrapeAnnotations: true
              metricsPort: 7572
              podMonitor:
                enabled: true
                interval: 30s
              serviceMonitor:
                enabled: true
                controller:
                  additionalLabels:
                    release: prom
              prometheusRule:
                enabled: true
                addressPoolExhausted:
                  excludePools: "^scratch-.*"
                addressPoolUsage:
                  thresholds:
                    - percent: 90
                      labels:
                        severity: critical
            controller:
              logLevel: debug
              image:
                repository: registry.example.com/ferrolb/controller
                tag: dev-1
                pullPolicy: Always
              priorityClassName: system-cluster-critical
              resources:
                requests:
                  cpu: 50m
                  memory: 128Mi
            speaker:
              logLevel: none
              tolerateMaster: false
              tolerations:
                - key: dedicated
                  operator: Equal
                  value: edge
                  effect: NoSchedule
              nodeSelector:
                node-role.example.com/edge: "true"
              ignoreExcludeLB: true
              handoff: iptables
              failureDetector: scalecube-defaults
              crashWatch: false
              garpRefreshMs: 60000
              drainGraceMs: 4500
              memberlist:
                mlBindPort: 7947
                mlSecretKeyPath: /etc/ferrolb/ml
            crds:
              enabled: false
              validationFailurePolicy: Ignore
            """;

    private Chart() {
    }

    /** Renders with the chart's defaults, as {@code helm template ferrolb -n metallb-system}. */
    static Rendered render() {
        return render(RELEASE, NAMESPACE, "");
    }

    static Rendered render(String values) {
        return render(RELEASE, NAMESPACE, values);
    }

    static Rendered render(String release, String namespace, String values) {
        Path file = writeTemp(values);
        try {
            String yaml = new Helm(DIR).template().withName(release).withNamespace(namespace)
                    .withKubeVersion(KUBE_VERSION).withValuesFile(file).call();
            return new Rendered(yaml, parse(yaml));
        } finally {
            deleteQuietly(file);
        }
    }

    /** NOTES.txt as {@code helm install --dry-run=client} prints it (helm template does not render it). */
    static String notes(String values) {
        Path file = writeTemp(values);
        try {
            String output = new Helm(DIR).install().withName(RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION).withValuesFile(file).clientOnly().dryRun().call().getOutput();
            int start = output.indexOf("NOTES:");
            if (start < 0) {
                throw new IllegalStateException("no NOTES in:\n" + output);
            }
            return output.substring(start);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * helm-java's lint takes no values, so a non-default lint runs on a copy of the chart whose
     * values.yaml has the overrides merged in.
     */
    static LintResult lint(String overrides) {
        if (overrides.isBlank()) {
            return new Helm(DIR).lint().strict().call();
        }
        Path copy = null;
        try {
            copy = Files.createTempDirectory("ferrolb-chart-");
            copyTree(DIR, copy.resolve("ferrolb"));
            Path values = copy.resolve("ferrolb/values.yaml");
            Map<String, Object> merged = merge(readYaml(Files.readString(values)), readYaml(overrides));
            Files.writeString(values, JSON.asYaml(merged));
            return new Helm(copy.resolve("ferrolb")).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (copy != null) {
                deleteQuietly(copy);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(String yaml) {
        Map<String, Object> map = JSON.unmarshal(yaml, Map.class);
        return map == null ? new LinkedHashMap<>() : map;
    }

    /** Helm's rule: maps merge key by key, anything else in {@code overrides} replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> {
            if (value instanceof Map<?, ?> o && out.get(key) instanceof Map<?, ?> b) {
                out.put(key, merge((Map<String, Object>) b, (Map<String, Object>) o));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    /** A multi-document YAML stream as objects; documents without a kind (comments only) are skipped. */
    static List<HasMetadata> parse(String yaml) {
        return Stream.of(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(doc -> (HasMetadata) JSON.unmarshal(doc))
                .toList();
    }

    private static Path writeTemp(String text) {
        try {
            Path file = Files.createTempFile("ferrolb-values-", ".yaml");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + root + ": " + e);
        }
    }
}
