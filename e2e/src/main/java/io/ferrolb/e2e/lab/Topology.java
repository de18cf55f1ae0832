package io.ferrolb.e2e.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The lab's network (docs/design.md §12.2): a bridge {@code flb-br} in namespace {@code flb-lan}; the root
 * namespace joins it through the veth {@code flb-host} (198.18.0.1/24, the control plane's address);
 * node namespaces {@code flb-n1}... (198.18.0.11...) and {@code flb-client} (198.18.0.100) each get an
 * {@code eth0} on the bridge. Every address is in 198.18.0.0/24; nothing else of the root namespace
 * is touched. {@link #down()} removes all of it and is safe to call on a half-built lab.
 */
public final class Topology implements AutoCloseable {

    public static final String LAN = "flb-lan";
    public static final String BRIDGE = "flb-br";
    public static final String HOST_VETH = "flb-host";
    public static final String HOST_IP = "198.18.0.1";
    public static final String CLIENT = "flb-client";
    public static final String CLIENT_IP = "198.18.0.100";
    public static final String PREFIX = "/24";

    private final int nodes;

    public Topology(int nodes) {
        this.nodes = nodes;
    }

    public static String node(int index) {
        return "flb-n" + index;
    }

    public static String nodeName(int index) {
        return "n" + index;
    }

    public static String nodeIp(int index) {
        return "198.18.0." + (10 + index);
    }

    /** Deterministic MACs make the walkthrough readable: 02:fb:00:00:00:<last octet>. */
    public static String mac(String ip) {
        int last = Integer.parseInt(ip.substring(ip.lastIndexOf('.') + 1));
        return String.format("02:fb:00:00:00:%02x", last);
    }

    public int nodes() {
        return nodes;
    }

    public Topology up() {
        down();
        Sh.must("ip", "netns", "add", LAN);
        Sh.must("ip", "netns", "exec", LAN, "ip", "link", "add", BRIDGE, "type", "bridge");
        Sh.must("ip", "netns", "exec", LAN, "ip", "link", "set", BRIDGE, "up");
        Sh.must("ip", "netns", "exec", LAN, "ip", "link", "set", "lo", "up");
        // The root namespace's one link into the lab.
        Sh.must("ip", "link", "add", HOST_VETH, "type", "veth", "peer", "name", "br-host", "netns", LAN);
        Sh.must("ip", "addr", "add", HOST_IP + PREFIX, "dev", HOST_VETH);
        Sh.must("ip", "link", "set", HOST_VETH, "up");
        attach("br-host");
        for (int i = 1; i <= nodes; i++) {
            host(node(i), nodeIp(i), "br-n" + i);
        }
        host(CLIENT, CLIENT_IP, "br-client");
        return this;
    }

    private void host(String namespace, String ip, String bridgePort) {
        Sh.must("ip", "netns", "add", namespace);
        Sh.must("ip", "link", "add", bridgePort, "netns", LAN, "type", "veth", "peer", "name", "eth0", "netns",
                namespace);
        attach(bridgePort);
        Sh.must("ip", "netns", "exec", namespace, "ip", "link", "set", "eth0", "address", mac(ip));
        Sh.must("ip", "netns", "exec", namespace, "ip", "addr", "add", ip + PREFIX, "dev", "eth0");
        Sh.must("ip", "netns", "exec", namespace, "ip", "link", "set", "eth0", "up");
        Sh.must("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
    }

    private static void attach(String port) {
        Sh.must("ip", "netns", "exec", LAN, "ip", "link", "set", port, "master", BRIDGE);
        Sh.must("ip", "netns", "exec", LAN, "ip", "link", "set", port, "up");
    }

    /** All namespace names of this lab. */
    public List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            out.add(node(i));
        }
        out.add(CLIENT);
        out.add(LAN);
        return out;
    }

    /**
     * Removes this lab's namespaces and the root veth (deleting {@code flb-lan} deletes its peer too);
     * other {@code flb-} namespaces (another test's) are left alone.
     * Processes still running in a namespace must be stopped by their owners first; this only
     * reports them.
     */
    public void down() {
        List<String> present = existing();
        for (String ns : namespaces()) {
            if (!present.contains(ns)) {
                continue;
            }
            String pids = Sh.run("ip", "netns", "pids", ns).stdout().strip();
            if (!pids.isEmpty()) {
                System.err.println("[lab] namespace " + ns + " still runs PIDs " + pids.replace('\n', ' '));
            }
            Sh.run("ip", "netns", "del", ns);
        }
        if (Sh.run("ip", "link", "show", HOST_VETH).succeeded()) {
            Sh.run("ip", "link", "del", HOST_VETH);
        }
    }

    /** How many node namespaces ({@code flb-n<i>}) exist now, so that a cleanup finds all of them. */
    public static int existingNodeCount() {
        int max = 0;
        for (String ns : existing()) {
            if (ns.matches("flb-n\\d+")) {
                max = Math.max(max, Integer.parseInt(ns.substring(5)));
            }
        }
        return max;
    }

    private static List<String> existing() {
        List<String> out = new ArrayList<>();
        for (String line : Sh.run("ip", "netns", "list").stdout().split("\n")) {
            String name = line.strip().split(" ")[0];
            if (name.startsWith("flb-")) {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public void close() {
        down();
    }
}
