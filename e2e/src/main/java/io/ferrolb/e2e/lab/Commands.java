package io.ferrolb.e2e.lab;

import io.ferrolb.testkit.MetalLbBinaries;
import io.ferrolb.testkit.MetalLbController;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command lines of the lab's controller and speakers, as each implementation's chart runs them. */
final class Commands {

    private Commands() {
    }

    /** ferrolb's controller with its ServiceAccount's kubeconfig, webhook and leader election off. */
    static List<String> ferrolbController(Path kubeconfig, int port) {
        List<String> command = new ArrayList<>(List.of(LabProcess.javaBinary()));
        command.addAll(ChartJvm.controller());
        command.addAll(List.of("-jar", Lab.jar("controller").toString(), "--kubeconfig", kubeconfig.toString(),
                "--namespace", ClusterObjects.NAMESPACE, "--bind-address", "127.0.0.1",
                "--port", String.valueOf(port), "--webhook-mode", "disabled", "--leader-elect=false",
                "--ml-secret-name", ClusterObjects.MEMBERLIST_SECRET, "--deployment", ClusterObjects.CONTROLLER));
        return command;
    }

    /**
     * MetalLB's controller as testkit runs it (webhook off, as ferrolb's in the lab), with the
     * admin's kubeconfig and the membership Secret to create; {@code /readyz} on {@code healthPort}.
     */
    static List<String> metallbController(Path adminKubeconfig, int port, int healthPort) {
        Implementation impl = Implementation.METALLB;
        List<String> command = new ArrayList<>(MetalLbController.command(adminKubeconfig, ClusterObjects.NAMESPACE,
                port, healthPort));
        command.addAll(List.of("--ml-secret-name=" + impl.memberlistSecret(), "--deployment=" + impl.controller()));
        return command;
    }

    /** The speaker of a node, as the DaemonSet would run it on the host network. */
    static List<String> speaker(Lab.Settings settings, LabNode node) {
        if (settings.impl() == Implementation.METALLB) {
            return List.of(MetalLbBinaries.speaker().toString(), "--kubeconfig=" + node.kubeconfig(),
                    "--namespace=" + ClusterObjects.NAMESPACE, "--node-name=" + node.name(),
                    "--pod-name=" + settings.impl().speakerPod(node.name()), "--ml-bindaddr=" + node.ip(),
                    "--ml-labels=" + settings.impl().speakerSelector(),
                    "--ml-secret-key-path=" + node.dir().resolve("memberlist"),
                    "--port=" + LabNode.METRICS_PORT, "--log-level=info");
        }
        List<String> command = new ArrayList<>(List.of(LabProcess.javaBinary()));
        command.addAll(settings.speakerJvm());
        command.addAll(List.of("-jar", Lab.jar("speaker").toString(),
                "--kubeconfig", node.kubeconfig().toString(), "--namespace", ClusterObjects.NAMESPACE,
                "--node-name", node.name(), "--pod-name", ClusterObjects.speakerPod(node.name()),
                "--bind-address", node.ip(), "--port", String.valueOf(LabNode.METRICS_PORT),
                "--ml-bindaddr", node.ip(), "--ml-labels", ClusterObjects.SPEAKER_LABELS,
                "--ml-secret-key-path", node.dir().resolve("memberlist").toString(),
                "--exclude-l2-config", node.dir().resolve("excludel2.yaml").toString(),
                "--wire", "pcap", "--handoff", settings.handoff()));
        command.addAll(settings.speakerArgs());
        return command;
    }
}
