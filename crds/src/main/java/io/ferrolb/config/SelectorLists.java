package io.ferrolb.config;

import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The duplicate checks MetalLB runs on every list of label selectors before compiling them: a
 * value twice in one expression, an expression twice in one selector, a selector twice in one
 * list (values compared sorted, expressions in order, matchLabels as maps).
 */
final class SelectorLists {

    private SelectorLists() {
    }

    /** The first duplicate's message, or null. {@code field} names the list in the message. */
    static String firstDuplicate(List<LabelSelector> selectors, String field) {
        if (selectors == null) {
            return null;
        }
        for (int i = 0; i < selectors.size(); i++) {
            String inExpressions = duplicateInExpressions(expressions(selectors.get(i)));
            if (inExpressions != null) {
                return inExpressions;
            }
            for (int j = i + 1; j < selectors.size(); j++) {
                if (same(selectors.get(i), selectors.get(j))) {
                    return "duplicate definition of " + field + " " + GoText.q(describe(selectors.get(i)));
                }
            }
        }
        return null;
    }

    /** The first duplicate in a list of names, or null. */
    static String firstDuplicateName(List<String> names, String field) {
        if (names == null) {
            return null;
        }
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                if (Objects.equals(names.get(i), names.get(j))) {
                    return "duplicate definition of " + field + " " + GoText.q(names.get(i));
                }
            }
        }
        return null;
    }

    private static String duplicateInExpressions(List<LabelSelectorRequirement> expressions) {
        for (int i = 0; i < expressions.size(); i++) {
            String inValues = firstDuplicateName(values(expressions.get(i)), "match expression value in label selector");
            if (inValues != null) {
                return inValues;
            }
            for (int j = i + 1; j < expressions.size(); j++) {
                if (same(expressions.get(i), expressions.get(j))) {
                    return "duplicate definition of match expressions " + GoText.q(describe(expressions.get(i)));
                }
            }
        }
        return null;
    }

    private static boolean same(LabelSelector a, LabelSelector b) {
        if (!labels(a).equals(labels(b))) {
            return false;
        }
        List<LabelSelectorRequirement> ea = expressions(a);
        List<LabelSelectorRequirement> eb = expressions(b);
        if (ea.size() != eb.size()) {
            return false;
        }
        for (int i = 0; i < ea.size(); i++) {
            if (!same(ea.get(i), eb.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(LabelSelectorRequirement a, LabelSelectorRequirement b) {
        return Objects.equals(a.key(), b.key()) && Objects.equals(a.operator(), b.operator())
                && sortedValues(a).equals(sortedValues(b));
    }

    /** Kubernetes selector syntax of a raw (possibly invalid) selector, for messages. */
    static String describe(LabelSelector selector) {
        List<String> parts = new ArrayList<>();
        labels(selector).forEach((k, v) -> parts.add(k + "=" + v));
        for (LabelSelectorRequirement e : expressions(selector)) {
            parts.add(describe(e));
        }
        return String.join(",", parts);
    }

    private static String describe(LabelSelectorRequirement e) {
        String values = String.join(",", sortedValues(e));
        String op = e.operator() == null ? "" : e.operator();
        return switch (op) {
            case "In" -> e.key() + " in (" + values + ")";
            case "NotIn" -> e.key() + " notin (" + values + ")";
            case "Exists" -> e.key();
            case "DoesNotExist" -> "!" + e.key();
            default -> e.key() + " " + op + " (" + values + ")";
        };
    }

    private static Map<String, String> labels(LabelSelector s) {
        return s == null || s.matchLabels() == null ? Map.of() : new TreeMap<>(s.matchLabels());
    }

    private static List<LabelSelectorRequirement> expressions(LabelSelector s) {
        return s == null || s.matchExpressions() == null ? List.of() : s.matchExpressions();
    }

    private static List<String> values(LabelSelectorRequirement e) {
        return e.values() == null ? List.of() : e.values();
    }

    private static List<String> sortedValues(LabelSelectorRequirement e) {
        return values(e).stream().sorted().toList();
    }
}
