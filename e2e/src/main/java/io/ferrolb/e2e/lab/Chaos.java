package io.ferrolb.e2e.lab;

import java.util.List;

/** Faults the suites inject into a node: its link down, or its traffic to its peers dropped. */
public final class Chaos {

    private Chaos() {
    }

    public static void linkDown(LabNode node) {
        Sh.must("ip", "-n", node.namespace(), "link", "set", "eth0", "down");
    }

    public static void linkUp(LabNode node) {
        Sh.must("ip", "-n", node.namespace(), "link", "set", "eth0", "up");
    }

    /**
     * Cuts the node's IP traffic to and from its peers (inside its own namespace), so membership
     * splits while ARP and the client's traffic still flow: the two sides each elect an owner.
     */
    public static void partition(LabNode node, List<LabNode> peers) {
        for (LabNode peer : peers) {
            Sh.in(node.namespace(), "iptables", "-I", "INPUT", "-s", peer.ip(), "-j", "DROP").requireSuccess();
            Sh.in(node.namespace(), "iptables", "-I", "OUTPUT", "-d", peer.ip(), "-j", "DROP").requireSuccess();
        }
    }

    public static void heal(LabNode node, List<LabNode> peers) {
        for (LabNode peer : peers) {
            Sh.in(node.namespace(), "iptables", "-D", "INPUT", "-s", peer.ip(), "-j", "DROP");
            Sh.in(node.namespace(), "iptables", "-D", "OUTPUT", "-d", peer.ip(), "-j", "DROP");
        }
    }
}
