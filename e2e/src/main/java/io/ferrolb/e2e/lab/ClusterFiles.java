package io.ferrolb.e2e.lab;

import java.nio.file.Path;

/**
 * The configuration files of a cluster-lab node (docs/design.md §12.5): containerd, the bridge CNI
 * network, kubelet and kube-proxy, each confined to the node's directory, namespace and cgroup
 * parent so that three nodes share one machine without sharing state. Plain text, no I/O.
 */
final class ClusterFiles {

    /** ClusterIPs: the first 4,096 addresses of 198.19/16, leaving the rest for pod networks. */
    static final String SERVICE_CIDRS = "198.19.0.0/20,fd00:198:19::/112";
    /** Every node's pod network is a /24 of this range. */
    static final String CLUSTER_CIDR = "198.19.64.0/18";
    static final String PAUSE_IMAGE = "ferrolb.local/pause:lab";
    static final String CNI_BIN = "/usr/lib/cni";

    private ClusterFiles() {
    }

    /** Node {@code index}'s pod network: 198.19.(64 + index).0/24. */
    static String podCidr(int index) {
        return "198.19." + (64 + index) + ".0/24";
    }

    static String containerdConfig(Path dir) {
        return """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                oom_score = 0

                [grpc]
                  address = "%1$s/containerd.sock"

                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"

                [debug]
                  address = ""

                [metrics]
                  address = ""

                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"

                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%2$s"
                  # The lab lacks CAP_SYS_RESOURCE: runc cannot lower oom_score_adj below the daemon's.
                  restrict_oom_score_adj = true
                  enable_selinux = false
                  disable_apparmor = true
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%3$s"
                    conf_dir = "%4$s"
                """.formatted(dir.resolve("containerd"), PAUSE_IMAGE, CNI_BIN, dir.resolve("cni/net.d"));
    }

    /** The pods' network: a bridge {@code cni0} in the node's namespace, addresses from its /24. */
    static String cniConflist(int index, Path dir) {
        return """
                {
                  "cniVersion": "1.0.0",
                  "name": "flb-pods",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "cni0",
                      "isGateway": true,
                      "ipMasq": false,
                      "hairpinMode": true,
                      "ipam": {
                        "type": "host-local",
                        "ranges": [[{"subnet": "%s"}]],
                        "routes": [{"dst": "0.0.0.0/0"}],
                        "dataDir": "%s"
                      }
                    },
                    {"type": "portmap", "capabilities": {"portMappings": true}}
                  ]
                }
                """.formatted(podCidr(index), dir.resolve("cni/ipam"));
    }

    /**
     * kubelet on the cgroup v1 hierarchy, with its own cgroup parent, log directory and ports on the
     * node's address. Eviction and image GC are off: three kubelets share one disk and would each
     * see the others' use as their own.
     */
    static String kubeletConfig(String name, String ip, Path dir) {
        return """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                address: %2$s
                port: 10250
                readOnlyPort: 0
                healthzBindAddress: %2$s
                healthzPort: 10248
                authentication:
                  anonymous:
                    enabled: true
                  webhook:
                    enabled: false
                authorization:
                  mode: AlwaysAllow
                cgroupDriver: cgroupfs
                cgroupRoot: /flb-%1$s
                failCgroupV1: false
                failSwapOn: false
                containerRuntimeEndpoint: unix://%3$s/containerd/containerd.sock
                podLogsDir: %3$s/pod-logs
                resolvConf: %3$s/resolv.conf
                evictionHard:
                  memory.available: "0%%"
                  nodefs.available: "0%%"
                  nodefs.inodesFree: "0%%"
                  imagefs.available: "0%%"
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                serializeImagePulls: false
                localStorageCapacityIsolation: false
                protectKernelDefaults: false
                staticPodPath: ""
                """.formatted(name, ip, dir);
    }

    /** kube-proxy in iptables mode, writing no global sysctl (conntrack limits and timeouts left alone). */
    static String kubeProxyConfig(String name, String ip, Path kubeconfig) {
        return """
                apiVersion: kubeproxy.config.k8s.io/v1alpha1
                kind: KubeProxyConfiguration
                clientConnection:
                  kubeconfig: %3$s
                hostnameOverride: %1$s
                bindAddress: %2$s
                healthzBindAddress: %2$s:10256
                metricsBindAddress: 127.0.0.1:10249
                mode: iptables
                clusterCIDR: %4$s
                conntrack:
                  maxPerCore: 0
                  min: 0
                  tcpEstablishedTimeout: 0s
                  tcpCloseWaitTimeout: 0s
                """.formatted(name, ip, kubeconfig, CLUSTER_CIDR);
    }
}
