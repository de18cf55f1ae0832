package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpAddress;
import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One DNAT of the handoff chain: traffic to {@code vip:port} goes to {@code nodeIp:nodePort}. The
 * rule carries the comment {@code ferrolb:<service>}, which marks it as ours in
 * {@code iptables-save} output. Compared by meaning, not by text, so that a different spelling by
 * another iptables version does not make the reconciler delete and re-add it forever.
 */
record NatRule(String service, IpAddress vip, String protocol, int port, IpAddress nodeIp, int nodePort) {

    static final String COMMENT_PREFIX = "ferrolb:";

    NatRule {
        protocol = protocol.toLowerCase(Locale.ROOT);
    }

    IpFamily family() {
        return vip.family();
    }

    /** The rule's match and target, in the order iptables-save prints them. */
    List<String> spec() {
        String destination = family() == IpFamily.IPV4 ? nodeIp + ":" + nodePort : "[" + nodeIp + "]:" + nodePort;
        return List.of("-d", vip + "/" + vip.family().bits(), "-p", protocol, "-m", "comment", "--comment",
                COMMENT_PREFIX + service, "-m", protocol, "--dport", String.valueOf(port), "-j", "DNAT",
                "--to-destination", destination);
    }

    /** Reads a rule of ours from its saved tokens (after {@code -A CHAIN}); empty if foreign or unreadable. */
    static Optional<NatRule> parse(List<String> tokens) {
        String comment = after(tokens, "--comment");
        String dst = after(tokens, "-d");
        String proto = after(tokens, "-p");
        String dport = after(tokens, "--dport");
        String to = after(tokens, "--to-destination");
        if (comment == null || !comment.startsWith(COMMENT_PREFIX) || dst == null || proto == null || dport == null
                || to == null || !tokens.contains("DNAT")) {
            return Optional.empty();
        }
        try {
            int colon = to.lastIndexOf(':');
            String host = to.substring(0, colon).replace("[", "").replace("]", "");
            return Optional.of(new NatRule(comment.substring(COMMENT_PREFIX.length()),
                    IpAddress.parse(dst.substring(0, dst.indexOf('/') < 0 ? dst.length() : dst.indexOf('/'))), proto,
                    Integer.parseInt(dport), IpAddress.parse(host), Integer.parseInt(to.substring(colon + 1))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Splits an iptables-save line into arguments, honouring its double quotes. */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && quoted && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any || current.length() > 0) {
                    out.add(current.toString());
                }
                current.setLength(0);
                any = false;
            } else {
                current.append(c);
            }
        }
        if (any || current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    private static String after(List<String> tokens, String flag) {
        int i = tokens.indexOf(flag);
        return i >= 0 && i + 1 < tokens.size() ? tokens.get(i + 1) : null;
    }
}
