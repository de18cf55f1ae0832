package io.ferrolb.e2e.lab;

import java.time.Duration;
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

    /**
     * A firewall between two nodes that answers their membership port with resets, in both
     * directions, while everything else (ARP, the client, the API server) still flows. SWIM's
     * indirect probes through a third node keep each in the other's view.
     */
    public static void rejectMembership(LabNode a, LabNode b, int port) {
        Sh.in(a.namespace(), "iptables", "-I", "INPUT", "-s", b.ip(), "-p", "tcp", "--dport", String.valueOf(port),
                "-j", "REJECT", "--reject-with", "tcp-reset").requireSuccess();
        Sh.in(a.namespace(), "iptables", "-I", "OUTPUT", "-d", b.ip(), "-p", "tcp", "--dport", String.valueOf(port),
                "-j", "REJECT", "--reject-with", "tcp-reset").requireSuccess();
    }

    /** Removes what {@link #rejectMembership} added (a no-op where it is not there). */
    public static void allowMembership(LabNode a, LabNode b, int port) {
        Sh.in(a.namespace(), "iptables", "-D", "INPUT", "-s", b.ip(), "-p", "tcp", "--dport", String.valueOf(port),
                "-j", "REJECT", "--reject-with", "tcp-reset");
        Sh.in(a.namespace(), "iptables", "-D", "OUTPUT", "-d", b.ip(), "-p", "tcp", "--dport", String.valueOf(port),
                "-j", "REJECT", "--reject-with", "tcp-reset");
    }

    /**
     * Aborts the TCP connections each of the two nodes holds to the other's membership port, as a
     * middlebox resetting idle connections would: every connection between them must be made anew.
     * The ends they accepted stay (the aborts' resets meet the firewall): a reset of those, then a
     * refusal, is what a crashed process's watch connection shows (docs/design.md §4.6).
     */
    public static void abortMembershipConnections(LabNode a, LabNode b, int port) {
        Sh.in(a.namespace(), "ss", "-K", "dst", b.ip(), "dport", "=", ":" + port).requireSuccess();
        Sh.in(b.namespace(), "ss", "-K", "dst", a.ip(), "dport", "=", ":" + port).requireSuccess();
    }

    /**
     * Stops the node's speaker (SIGSTOP) for {@code length}, then lets it go on: a process that
     * answers nothing while its kernel still completes handshakes. A fault of a set length, so a sleep.
     */
    public static void pauseSpeaker(LabNode node, Duration length) {
        String pid = Long.toString(node.speaker().pid());
        Sh.must("kill", "-STOP", pid);
        try {
            Thread.sleep(length.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Sh.must("kill", "-CONT", pid);
        }
    }
}
