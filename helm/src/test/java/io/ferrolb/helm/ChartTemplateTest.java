package io.ferrolb.helm;

import static io.ferrolb.helm.Rendered.container;
import static io.ferrolb.helm.Rendered.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.ferrolb.testkit.MetalLbSource;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code helm template} with the defaults and with other values, checked on the parsed objects. */
class ChartTemplateTest {

    private static final Rendered DEFAULTS = Chart.render();
    private static final Rendered NON_DEFAULT = Chart.render(Chart.NON_DEFAULT);

    @Test
    void defaultNamesAreTheOnesTheBinariesAndTheLabExpect() {
        assertThat(DEFAULTS.names()).contains(
                "ServiceAccount/ferrolb-controller", "ServiceAccount/ferrolb-speaker",
                "Deployment/ferrolb-controller", "DaemonSet/ferrolb-speaker",
                "ConfigMap/ferrolb-excludel2", "Secret/ferrolb-webhook-cert",
                "Service/ferrolb-webhook-service", "ValidatingWebhookConfiguration/ferrolb-webhook-configuration",
                "ClusterRole/ferrolb:controller", "ClusterRole/ferrolb:speaker",
                "Role/ferrolb-controller", "Role/ferrolb-pod-lister");
        assertThat(DEFAULTS.objects()).filteredOn(o -> o.getMetadata().getNamespace() != null)
                .allMatch(o -> o.getMetadata().getNamespace().equals("metallb-system"));
        // The memberlist Secret is the controller's to create; the speakers mount it by that name.
        assertThat(env(container(DEFAULTS.controller().getSpec().getTemplate().getSpec())))
                .containsEntry("METALLB_ML_SECRET_NAME", "ferrolb-memberlist")
                .containsEntry("METALLB_DEPLOYMENT", "ferrolb-controller");
        assertThat(volume(speakerPod(DEFAULTS), "memberlist").getSecret().getSecretName()).isEqualTo("ferrolb-memberlist");
        assertThat(DEFAULTS.find("Secret", "ferrolb-memberlist")).isEmpty();
    }

    @Test
    void everyArgumentAndVariableIsOneTheBinaryReads() {
        for (Rendered r : List.of(DEFAULTS, NON_DEFAULT)) {
            assertReadBy(BinaryFlags.controller(), container(r.controller().getSpec().getTemplate().getSpec()));
            assertReadBy(BinaryFlags.speaker(), container(speakerPod(r)));
        }
    }

    private static void assertReadBy(BinaryFlags binary, Container c) {
        for (String arg : c.getArgs()) {
            assertThat(arg).startsWith("--");
            String name = arg.substring(2).split("=", 2)[0];
            assertThat(binary.flags()).as("flag of %s", arg).contains(name);
            if (!arg.contains("=")) {
                assertThat(binary.booleans()).as("bare flag %s", arg).contains(name);
            }
        }
        Set<String> read = new java.util.HashSet<>(binary.env());
        read.addAll(RUNTIME_ENV);
        assertThat(read).containsAll(env(c).keySet());
    }

    /** Variables for the runtime rather than the binary: the java launcher's options and glibc's arenas. */
    private static final Set<String> RUNTIME_ENV = Set.of("JDK_JAVA_OPTIONS", "MALLOC_ARENA_MAX");

    @Test
    void theJvmOptionsTheChartShipsStartAJvm() throws Exception {
        for (Container c : List.of(container(DEFAULTS.controller().getSpec().getTemplate().getSpec()),
                container(speakerPod(DEFAULTS)))) {
            String options = env(c).get("JDK_JAVA_OPTIONS");
            assertThat(options).contains("-Xmx").contains("-XX:+UseSerialGC");
            java.util.List<String> command = new java.util.ArrayList<>(List.of(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(List.of(options.strip().split("\\s+")));
            command.add("-version");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("java %s -version:%n%s", options, out).isZero();
            assertThat(out).doesNotContain("Unrecognized").doesNotContain("Ignoring option");
        }
        assertThat(env(container(speakerPod(DEFAULTS)))).containsEntry("MALLOC_ARENA_MAX", "2");
    }

    @Test
    void theSpeakerRunsOnTheHostNetworkWithOnlyNetRawByDefault() {
        PodSpec pod = speakerPod(DEFAULTS);
        Container c = container(pod);

        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_RAW");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getArgs()).contains("--handoff=none", "--drain-grace-ms=3000", "--garp-refresh-ms=0",
                "--failure-detector=ferrolb", "--crash-watch=true", "--port=7472",
                "--exclude-l2-config=/etc/metallb/excludel2.yaml");
        assertThat(c.getArgs()).noneMatch(a -> a.startsWith("--lb-class") || a.startsWith("--ignore-exclude-lb"));
        assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("xtables-lock");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(5L);
    }

    @ParameterizedTest
    @CsvSource({"none, false, false", "iptables, true, true", "ipvs, true, false"})
    void netAdminComesOnlyWithAHandoff(String handoff, boolean netAdmin, boolean xtablesLock) {
        PodSpec pod = speakerPod(Chart.render("speaker:\n  handoff: " + handoff + "\n"));
        Container c = container(pod);

        assertThat(c.getArgs()).contains("--handoff=" + handoff);
        assertThat(c.getSecurityContext().getCapabilities().getAdd().contains("NET_ADMIN")).isEqualTo(netAdmin);
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).contains("NET_RAW");
        assertThat(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("xtables-lock"))).isEqualTo(xtablesLock);
        assertThat(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/run/xtables.lock")))
                .isEqualTo(xtablesLock);
    }

    @Test
    void theSpeakerGetsItsIdentityAndMembershipFromTheDownwardApi() {
        PodSpec pod = speakerPod(DEFAULTS);
        Map<String, String> env = env(container(pod));

        assertThat(env).containsEntry("METALLB_NODE_NAME", "fieldRef:spec.nodeName")
                .containsEntry("METALLB_POD_NAME", "fieldRef:metadata.name")
                .containsEntry("METALLB_ML_BIND_ADDR", "fieldRef:status.podIP")
                .containsEntry("METALLB_ML_BIND_PORT", "7946")
                .containsEntry("METALLB_ML_SECRET_KEY_PATH", "/etc/ml_secret_key")
                .containsEntry("FERROLB_LOG_LEVEL", "INFO");
        // The peer selector must select the DaemonSet's own Pods, or no speaker ever sees a peer.
        Map<String, String> podLabels = DEFAULTS.speaker().getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> selector = Arrays.stream(env.get("METALLB_ML_LABELS").split(","))
                .map(kv -> kv.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        assertThat(selector).containsEntry("app.kubernetes.io/component", "speaker");
        assertThat(podLabels).containsAllEntriesOf(selector);
        assertThat(mount(container(pod), "memberlist").getMountPath()).isEqualTo(env.get("METALLB_ML_SECRET_KEY_PATH"));
        assertThat(mount(container(pod), "metallb-excludel2").getMountPath()).isEqualTo("/etc/metallb");
        assertThat(volume(pod, "metallb-excludel2").getConfigMap().getName()).isEqualTo("ferrolb-excludel2");
        assertThat(containerPort(container(pod), "memberlist-tcp").getContainerPort()).isEqualTo(7946);
    }

    @Test
    void bothProbeHealthAndReadinessOnTheMetricsPort() {
        for (Map.Entry<Rendered, Integer> e : Map.of(DEFAULTS, 7472, NON_DEFAULT, 7572).entrySet()) {
            Rendered r = e.getKey();
            int metricsPort = e.getValue();
            for (Container c : List.of(container(speakerPod(r)), container(r.controller().getSpec().getTemplate().getSpec()))) {
                assertThat(containerPort(c, "monitoring").getContainerPort()).isEqualTo(metricsPort);
                assertThat(c.getArgs()).contains("--port=" + metricsPort);
                assertProbe(c.getLivenessProbe(), "/healthz");
                assertProbe(c.getReadinessProbe(), "/readyz");
            }
        }
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("monitoring");
    }

    @Test
    void masterAndControlPlaneAreToleratedOnlyWithTolerateMaster() {
        assertThat(speakerPod(DEFAULTS).getTolerations()).extracting(Toleration::getKey, Toleration::getEffect)
                .containsExactly(tuple("node-role.kubernetes.io/master", "NoSchedule"),
                        tuple("node-role.kubernetes.io/control-plane", "NoSchedule"));
        assertThat(speakerPod(NON_DEFAULT).getTolerations()).extracting(Toleration::getKey).containsExactly("dedicated");
        assertThat(speakerPod(Chart.render("speaker:\n  tolerateMaster: false\n")).getTolerations()).isEmpty();
        assertThat(speakerPod(NON_DEFAULT).getNodeSelector()).containsEntry("kubernetes.io/os", "linux")
                .containsEntry("node-role.example.com/edge", "true");
    }

    @Test
    void nonDefaultSpeakerSettingsReachTheArguments() {
        PodSpec pod = speakerPod(NON_DEFAULT);
        Container c = container(pod);

        assertThat(c.getArgs()).contains("--handoff=iptables", "--drain-grace-ms=4500", "--garp-refresh-ms=60000",
                "--failure-detector=scalecube-defaults", "--crash-watch=false", "--lb-class=example.com/ferrolb",
                "--ignore-exclude-lb", "--port=7572");
        assertThat(env(c)).containsEntry("METALLB_ML_BIND_PORT", "7947")
                .containsEntry("METALLB_ML_SECRET_KEY_PATH", "/etc/ferrolb/ml")
                .containsEntry("FERROLB_LOG_LEVEL", "OFF");
        assertThat(mount(c, "memberlist").getMountPath()).isEqualTo("/etc/ferrolb/ml");
        // 4.5 s of drain, rounded up, plus the margin for leaving the membership.
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(10L);
        assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("registry-login");
        assertThat(DEFAULTS.speaker().getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(NON_DEFAULT.speaker().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "7572");
    }

    @Test
    void withoutMembershipNoSpeakerJoinsAndNoSecretIsNeeded() {
        Rendered r = Chart.render("""
                speaker:
                  memberlist:
                    enabled: false
                    mlBindAddrOverride: 10.0.0.1
                """);
        PodSpec pod = speakerPod(r);

        assertThat(env(container(pod))).doesNotContainKeys("METALLB_ML_BIND_ADDR", "METALLB_ML_LABELS",
                "METALLB_ML_BIND_PORT", "METALLB_ML_SECRET_KEY_PATH");
        assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("memberlist");
        assertThat(container(pod).getPorts()).extracting(ContainerPort::getName).containsExactly("monitoring");
        assertThat(env(container(r.controller().getSpec().getTemplate().getSpec())))
                .doesNotContainKeys("METALLB_ML_SECRET_NAME", "METALLB_DEPLOYMENT");
    }

    @Test
    void aBindAddressOverrideReplacesThePodIp() {
        Rendered r = Chart.render("speaker:\n  memberlist:\n    mlBindAddrOverride: 192.0.2.7\n");

        assertThat(env(container(speakerPod(r)))).containsEntry("METALLB_ML_BIND_ADDR", "192.0.2.7");
    }

    @Test
    void theControllerRunsAsNobodyWithNothing() {
        PodSpec pod = DEFAULTS.controller().getSpec().getTemplate().getSpec();
        Container c = container(pod);

        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65534L);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(env(c)).containsEntry("METALLB_POD_NAME", "fieldRef:metadata.name");
        assertThat(pod.getServiceAccountName()).isEqualTo("ferrolb-controller");
        assertThat(speakerPod(DEFAULTS).getServiceAccountName()).isEqualTo("ferrolb-speaker");
        assertThat(c.getImage()).isEqualTo("ferrolb/controller:0.1.0");
        assertThat(container(speakerPod(DEFAULTS)).getImage()).isEqualTo("ferrolb/speaker:0.1.0");
        assertThat(c.getImagePullPolicy()).isNull();
    }

    @Test
    void theWebhookObjectsAndTheControllerAgreeOnNamesForAnyRelease() {
        Rendered r = Chart.render("edge", "lb-system", "");
        PodSpec pod = r.get(Deployment.class, "edge-ferrolb-controller")
                .getSpec().getTemplate().getSpec();
        Container c = container(pod);
        ValidatingWebhookConfiguration config = r.get(ValidatingWebhookConfiguration.class,
                "edge-ferrolb-webhook-configuration");
        Service service = r.get(Service.class, "edge-ferrolb-webhook-service");
        Secret cert = r.get(Secret.class, "edge-ferrolb-webhook-cert");

        assertThat(c.getArgs()).contains("--webhook-mode=enabled",
                "--webhook-secret=" + cert.getMetadata().getName(),
                "--webhook-configuration=" + config.getMetadata().getName(),
                "--cert-service-name=" + service.getMetadata().getName(),
                "--lease-name=edge-ferrolb-controller");
        assertThat(volume(pod, "cert").getSecret().getSecretName()).isEqualTo(cert.getMetadata().getName());
        assertThat(cert.getData()).isNullOrEmpty();
        assertThat(config.getWebhooks()).extracting(w -> w.getClientConfig().getService().getPath())
                .containsExactlyInAnyOrder("/validate-metallb-io-v1beta1-ipaddresspool",
                        "/validate-metallb-io-v1beta1-l2advertisement");
        for (ValidatingWebhook w : config.getWebhooks()) {
            assertThat(w.getClientConfig().getService().getName()).isEqualTo(service.getMetadata().getName());
            assertThat(w.getClientConfig().getService().getNamespace()).isEqualTo("lb-system");
            assertThat(w.getClientConfig().getCaBundle()).as("the controller injects it").isNull();
            assertThat(w.getFailurePolicy()).isEqualTo("Fail");
        }
        // The Service reaches the controller's webhook port.
        assertThat(r.get(Deployment.class, "edge-ferrolb-controller")
                .getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(containerPort(c, service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).getContainerPort())
                .isEqualTo(9443);
        assertThat(r.get(ServiceAccount.class, "edge-ferrolb-speaker")).isNotNull();
        assertThat(r.get(ConfigMap.class, "edge-ferrolb-excludel2")).isNotNull();
    }

    @Test
    void withTheWebhookDisabledNoWebhookObjectIsRendered() {
        Rendered r = Chart.render("controller:\n  webhookMode: disabled\n");

        assertThat(r.ofKind("ValidatingWebhookConfiguration")).isEmpty();
        assertThat(r.find("Service", "ferrolb-webhook-service")).isEmpty();
        assertThat(r.find("Secret", "ferrolb-webhook-cert")).isEmpty();
        Container c = container(r.controller().getSpec().getTemplate().getSpec());
        assertThat(c.getArgs()).contains("--webhook-mode=disabled");
        assertThat(c.getPorts()).extracting(ContainerPort::getName).containsExactly("monitoring");
        assertThat(r.get(ClusterRole.class, "ferrolb:controller").getRules())
                .noneMatch(rule -> rule.getResources().contains("validatingwebhookconfigurations"));
    }

    @Test
    void theExcludeListIsMetalLbsDefault() throws IOException {
        ConfigMap ours = DEFAULTS.get(ConfigMap.class, "ferrolb-excludel2");
        ConfigMap metallb = (ConfigMap) Chart.JSON.unmarshal(
                Files.readString(MetalLbSource.excludeL2ConfigMap(MetalLbSource.V0_16_1)));

        assertThat(excludes(ours)).hasSize(14).isEqualTo(excludes(metallb));
        assertThat(Chart.render("speaker:\n  excludeInterfaces:\n    enabled: false\n").ofKind("ConfigMap")).isEmpty();
    }

    private static List<?> excludes(ConfigMap map) {
        return (List<?>) Chart.readYaml(map.getData().get("excludel2.yaml")).get("announcedInterfacesToExclude");
    }

    @Test
    void theLoadBalancerClassGoesToBothBinaries() {
        assertThat(container(NON_DEFAULT.controller().getSpec().getTemplate().getSpec()).getArgs())
                .contains("--lb-class=example.com/ferrolb");
        assertThat(container(DEFAULTS.controller().getSpec().getTemplate().getSpec()).getArgs())
                .noneMatch(a -> a.startsWith("--lb-class"));
    }

    @Test
    void theCrdsComeWithTheReleaseUnlessDisabled() {
        assertThat(DEFAULTS.all(CustomResourceDefinition.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("ipaddresspools.metallb.io", "l2advertisements.metallb.io",
                        "servicel2statuses.metallb.io");
        assertThat(NON_DEFAULT.all(CustomResourceDefinition.class)).isEmpty();
    }

    @Test
    void monitoringObjectsAppearOnlyWhenAskedFor() {
        List<String> monitoring = List.of("PodMonitor", "ServiceMonitor", "PrometheusRule");
        assertThat(DEFAULTS.objects()).noneMatch(o -> monitoring.contains(o.getKind()));
        assertThat(DEFAULTS.names()).noneMatch(n -> n.contains("monitor-service"));

        assertThat(NON_DEFAULT.names()).contains("PodMonitor/ferrolb-speaker", "PodMonitor/ferrolb-controller",
                "ServiceMonitor/ferrolb-speaker-monitor", "ServiceMonitor/ferrolb-controller-monitor",
                "Service/ferrolb-speaker-monitor-service", "Service/ferrolb-controller-monitor-service",
                "PrometheusRule/ferrolb");
        GenericKubernetesResource controllerMonitor = NON_DEFAULT.generic("ServiceMonitor", "ferrolb-controller-monitor");
        assertThat(controllerMonitor.getMetadata().getLabels()).containsEntry("release", "prom");
        GenericKubernetesResource podMonitor = NON_DEFAULT.generic("PodMonitor", "ferrolb-speaker");
        List<Map<String, Object>> endpoints = podMonitor.get("spec", "podMetricsEndpoints");
        assertThat(endpoints.get(0)).containsEntry("port", "monitoring").containsEntry("interval", "30s");
        Service speakerMetrics = NON_DEFAULT.get(Service.class, "ferrolb-speaker-monitor-service");
        assertThat(NON_DEFAULT.speaker().getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(speakerMetrics.getSpec().getSelector());
    }

    @Test
    void theAlertsAreMetalLbsAndHonourTheirSettings() {
        GenericKubernetesResource rule = NON_DEFAULT.generic("PrometheusRule", "ferrolb");
        List<Map<String, Object>> groups = rule.get("spec", "groups");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) groups.get(0).get("rules");
        Map<String, Map<String, Object>> byName = rules.stream()
                .collect(Collectors.toMap(r -> (String) r.get("alert"), r -> r));

        assertThat(byName).containsOnlyKeys("MetalLBStaleConfig", "MetalLBConfigNotLoaded",
                "MetalLBAddressPoolExhausted", "MetalLBAddressPoolUsage90Percent");
        assertThat((String) byName.get("MetalLBStaleConfig").get("expr"))
                .contains("metallb_k8s_client_config_stale_bool{namespace=\"metallb-system\"}").endsWith("== 1");
        assertThat((String) byName.get("MetalLBConfigNotLoaded").get("expr"))
                .contains("metallb_k8s_client_config_loaded_bool").endsWith("== 0");
        assertThat((String) byName.get("MetalLBAddressPoolExhausted").get("expr"))
                .contains("metallb_allocator_addresses_in_use_total{namespace=\"metallb-system\",pool!~\"^scratch-.*\"}")
                .contains(">= max by (namespace, pool) (metallb_allocator_addresses_total");
        assertThat((String) byName.get("MetalLBAddressPoolUsage90Percent").get("expr")).endsWith("> 90")
                .doesNotContain("pool!~");
        assertThat(byName.get("MetalLBAddressPoolUsage90Percent").get("labels")).isEqualTo(Map.of("severity", "critical"));
        @SuppressWarnings("unchecked")
        Map<String, String> annotations = (Map<String, String>) byName.get("MetalLBAddressPoolExhausted").get("annotations");
        assertThat(annotations.get("summary")).contains("{{ $labels.pool }}");

        Rendered defaultsWithRules = Chart.render("prometheus:\n  prometheusRule:\n    enabled: true\n");
        List<Map<String, Object>> defaultGroups = defaultsWithRules.generic("PrometheusRule", "ferrolb").get("spec", "groups");
        assertThat((List<?>) defaultGroups.get(0).get("rules")).hasSize(6);
    }

    @Test
    void rbacAndServiceAccountsCanBeLeftToTheUser() {
        Rendered r = Chart.render("""
                rbac:
                  create: false
                controller:
                  serviceAccount:
                    create: false
                    name: my-controller
                speaker:
                  serviceAccount:
                    create: false
                    name: my-speaker
                """);

        assertThat(r.objects()).extracting(o -> o.getKind()).doesNotContain("ClusterRole", "ClusterRoleBinding",
                "Role", "RoleBinding", "ServiceAccount");
        assertThat(r.controller().getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("my-controller");
        assertThat(speakerPod(r).getServiceAccountName()).isEqualTo("my-speaker");
    }

    @ParameterizedTest
    @CsvSource({"all, ALL", "debug, DEBUG", "info, INFO", "warn, WARN", "error, ERROR", "none, OFF"})
    void metalLbLogLevelsBecomeLogbackLevels(String level, String logback) {
        Rendered r = Chart.render("controller:\n  logLevel: " + level + "\nspeaker:\n  logLevel: " + level + "\n");

        assertThat(env(container(r.controller().getSpec().getTemplate().getSpec()))).containsEntry("FERROLB_LOG_LEVEL", logback);
        assertThat(env(container(speakerPod(r)))).containsEntry("FERROLB_LOG_LEVEL", logback);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "speaker:\n  handoff: nftables\n",
        "speaker:\n  failureDetector: fast\n",
        "speaker:\n  drainGraceMs: -1\n",
        "controller:\n  logLevel: verbose\n",
        "controller:\n  webhookMode: maybe\n",
        "crds:\n  validationFailurePolicy: Sometimes\n",
        "prometheus:\n  metricsPort: 70000\n"})
    void theSchemaRejectsValuesTheBinariesWouldNot(String values) {
        String key = values.lines().reduce((a, b) -> b).orElseThrow().strip().split(":")[0];

        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("values don't meet the specifications")
                .hasMessageContaining(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {MetalLbSource.V0_16_1, MetalLbSource.V0_16_2})
    void metalLbsOwnValuesFileIsAccepted(String release) throws IOException {
        // What a user migrating with their MetalLB values gets: the shared settings apply, the BGP,
        // FRR and TLS ones are ignored, and the images are still MetalLB's until they drop them.
        Rendered r = Chart.render(Files.readString(MetalLbSource.chartValues(release)));
        Container speaker = container(speakerPod(r));

        assertThat(speaker.getImage()).startsWith("quay.io/metallb/speaker:");
        assertThat(speaker.getArgs()).contains("--port=9120", "--handoff=none");
        assertThat(env(speaker)).containsEntry("METALLB_ML_BIND_PORT", "7946")
                .containsEntry("METALLB_ML_SECRET_KEY_PATH", "/etc/ml_secret_key");
        assertThat(speakerPod(r).getTolerations()).hasSize(2);
        assertThat(r.names()).contains("ConfigMap/ferrolb-excludel2", "ValidatingWebhookConfiguration/ferrolb-webhook-configuration");
    }

    @Test
    void theNotesNameWhatWasInstalled() {
        assertThat(Chart.notes("")).contains("namespace metallb-system as release ferrolb",
                "Deployment ferrolb-controller (webhook: enabled)",
                "DaemonSet ferrolb-speaker (handoff: none, membership: on, port 7946/TCP)",
                "kubectl -n metallb-system get servicel2statuses").doesNotContain("CRDs:");
        assertThat(Chart.notes("speaker:\n  handoff: ipvs\n  memberlist:\n    enabled: false\ncrds:\n  enabled: false\n"))
                .contains("(handoff: ipvs, membership: off)", "install the metallb.io CRDs separately");
    }

    @Test
    void anExplicitGracePeriodWins() {
        assertThat(speakerPod(Chart.render("speaker:\n  terminationGracePeriodSeconds: 30\n"))
                .getTerminationGracePeriodSeconds()).isEqualTo(30L);
    }

    private static PodSpec speakerPod(Rendered r) {
        return r.speaker().getSpec().getTemplate().getSpec();
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private static VolumeMount mount(Container c, String name) {
        return c.getVolumeMounts().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private static ContainerPort containerPort(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst().orElseThrow();
    }
}
