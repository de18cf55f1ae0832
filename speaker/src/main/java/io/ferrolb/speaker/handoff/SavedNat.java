package io.ferrolb.speaker.handoff;

import io.ferrolb.net.IpFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code iptables-save -t nat} says about our chain: whether it exists, the jumps to it per
 * hook, our rules in it (by their comment) and any foreign rules in it.
 */
record SavedNat(boolean hasChain, Map<String, List<List<String>>> jumps, List<Rule> ours, List<List<String>> foreign) {

    private static final Logger LOG = LoggerFactory.getLogger(SavedNat.class);

    /** A rule of ours with the exact tokens to delete it by. */
    record Rule(NatRule rule, List<String> tokens) {
    }

    /** Reads the family's nat table; throws (after an error line) if the save command fails. */
    static SavedNat read(CommandRunner runner, IpFamily family, String chain) {
        String save = family == IpFamily.IPV4 ? "iptables-save" : "ip6tables-save";
        CommandRunner.Result result = runner.run(List.of(save, "-t", "nat"));
        if (!result.ok()) {
            String failure = "\"" + save + " -t nat\" failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip();
            LOG.error("handoff command failed {}", failure);
            throw new HandoffException(failure);
        }
        return parse(result.stdout(), chain);
    }

    static SavedNat parse(String save, String chain) {
        boolean hasChain = false;
        Map<String, List<List<String>>> jumps = new LinkedHashMap<>();
        List<Rule> ours = new ArrayList<>();
        List<List<String>> foreign = new ArrayList<>();
        for (String line : save.split("\n")) {
            if (line.startsWith(":" + chain + " ")) {
                hasChain = true;
            } else if (line.startsWith("-A ")) {
                List<String> tokens = NatRule.tokenize(line);
                String owner = tokens.get(1);
                List<String> rest = tokens.subList(2, tokens.size());
                if (owner.equals(chain)) {
                    NatRule.parse(rest).ifPresentOrElse(r -> ours.add(new Rule(r, List.copyOf(rest))),
                            () -> foreign.add(List.copyOf(rest)));
                } else if (jumpsTo(rest, chain)) {
                    jumps.computeIfAbsent(owner, k -> new ArrayList<>()).add(List.copyOf(rest));
                }
            }
        }
        return new SavedNat(hasChain, jumps, ours, foreign);
    }

    private static boolean jumpsTo(List<String> tokens, String chain) {
        int j = tokens.indexOf("-j");
        return j >= 0 && j + 1 < tokens.size() && tokens.get(j + 1).equals(chain);
    }
}
