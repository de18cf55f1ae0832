package io.ferrolb.e2e.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * {@code lab demo | up | down | bench-failover | bench-scale | bench-idle}: the lab's command line (run as root; see the
 * {@code lab} script at the top of the repository).
 */
public final class LabMain {

    private LabMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Steps steps = new Steps(System.out);
        boolean cluster = rest.contains("--cluster");
        if (cluster) {
            rest = rest.stream().filter(a -> !a.equals("--cluster")).toList();
            if (!impl(rest).equals(Implementation.FERROLB)) {
                throw new IllegalArgumentException("--cluster installs ferrolb's chart; it takes no --impl");
            }
        }
        switch (args[0]) {
            case "demo" -> {
                if (cluster) {
                    try (ClusterLab lab = ClusterLab.up(Lab.DEFAULT_DIR, 3, steps)) {
                        new ClusterDemo(lab).run();
                    }
                    break;
                }
                try (Lab lab = Lab.up(Lab.Settings.defaults().withImpl(impl(rest)), steps)) {
                    new Demo(lab).run();
                }
            }
            case "up" -> {
                if (cluster) {
                    clusterUp(steps);
                } else {
                    up(steps, impl(rest));
                }
            }
            case "down" -> steps.run("remove the lab in " + Lab.DEFAULT_DIR
                    + " (processes, pods, containerds, mounts, cgroups, namespaces, the root veth)",
                    () -> ClusterLab.down(Lab.DEFAULT_DIR));
            case "bench-failover" -> FailoverBenchmark.main(rest.toArray(String[]::new));
            case "bench-scale" -> ScaleBenchmark.main(rest.toArray(String[]::new));
            case "bench-idle" -> IdleBenchmark.main(rest.toArray(String[]::new));
            default -> {
                usage();
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /** {@code --impl ferrolb|metallb} among the arguments (default ferrolb); nothing else is taken. */
    static Implementation impl(List<String> args) {
        Implementation impl = Implementation.FERROLB;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--impl") && i + 1 < args.size()) {
                impl = Implementation.parse(args.get(++i));
            } else if (arg.startsWith("--impl=")) {
                impl = Implementation.parse(arg.substring("--impl=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + " (this command takes --impl only)");
            }
        }
        return impl;
    }

    private static void up(Steps steps, Implementation impl) throws Exception {
        Lab lab = Lab.up(Lab.Settings.defaults().withImpl(impl), steps);
        new Seed(lab).applyPool();
        Path kubeconfig = Lab.DEFAULT_DIR.resolve("kubeconfig");
        Files.copy(lab.plane().kubeconfig(), kubeconfig, StandardCopyOption.REPLACE_EXISTING);
        Path kubectl = io.ferrolb.testkit.ControlPlaneBinaries.kubectl();
        steps.say("""

                The lab is up (%s): %d nodes (flb-n1..), client flb-client, pool lab-pool (198.18.0.200-250) and
                L2Advertisement lab-l2 applied. Try:

                  export KUBECONFIG=%s
                  %s create service loadbalancer web --tcp=80:8080
                  %s get svc,servicel2statuses -A
                  ip netns exec flb-client arping -c 1 198.18.0.200
                  ip netns exec flb-client curl -s http://198.18.0.200/

                Logs: %s. Press Ctrl-C to tear everything down.""".formatted(impl, lab.nodes().size(), kubeconfig, kubectl,
                kubectl, Lab.DEFAULT_DIR));
        Thread.currentThread().join();
    }

    private static void clusterUp(Steps steps) throws Exception {
        ClusterLab lab = ClusterLab.up(Lab.DEFAULT_DIR, 3, steps);
        lab.kubectl(Seed.POOL_YAML, "apply", "-f", "-");
        Path kubeconfig = Lab.DEFAULT_DIR.resolve("kubeconfig");
        Path kubectl = io.ferrolb.testkit.ControlPlaneBinaries.kubectl();
        steps.say("""

                The cluster lab is up: kubelet, kube-proxy and containerd on n1..n3, ferrolb installed with helm
                (release %s in %s), pool lab-pool (198.18.0.200-250), L2Advertisement lab-l2 and the web
                Deployment applied. Try:

                  export KUBECONFIG=%s
                  %s get pods -A -o wide
                  %s create service loadbalancer web --tcp=80:8080
                  %s get svc,servicel2statuses -A
                  ip netns exec flb-client arping -c 1 198.18.0.200
                  ip netns exec flb-client curl -s http://198.18.0.200/

                Logs: %s. Press Ctrl-C to tear everything down.""".formatted(ClusterLab.RELEASE,
                ClusterObjects.NAMESPACE, kubeconfig, kubectl, kubectl, kubectl, Lab.DEFAULT_DIR));
        Thread.currentThread().join();
    }

    private static void usage() {
        System.err.println("""
                usage: lab <command>   (as root)
                  demo             build the lab, run the seed walkthrough with a kill -9 failover, tear down
                  up               build the lab and keep it until Ctrl-C (prints the kubeconfig)
                                   both take --impl ferrolb|metallb (default ferrolb; metallb runs MetalLB
                                   v0.16.1's own controller and speakers, built from its Go module), or
                                   --cluster: containerd, kubelet and kube-proxy on every node, ferrolb's
                                   images and `helm install` of its chart (docs/design.md 12.5)
                  down             remove what a crashed lab left (processes, namespaces, the root veth)
                  bench-failover   the failover benchmark (see docs/benchmarks.md)
                  bench-scale      failover with 10, 100 and 1,000 Services, watched by ARP from the client
                  bench-idle       idle CPU and RSS of every process, and ARP reply time, at 10, 100 and 1,000 Services
                                   (the benchmarks take --impl too; see docs/benchmarks.md)""");
    }
}
