package io.ferrolb.config;

import io.ferrolb.api.v1beta1.LabelSelector;
import io.ferrolb.api.v1beta1.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A validated label selector, as Kubernetes' {@code metav1.LabelSelectorAsSelector} builds it:
 * matchLabels become single-value {@code In} requirements, every requirement must hold, and an
 * empty selector matches everything.
 */
public final class Selector {

    /** The four operators a LabelSelector allows. */
    public enum Operator {
        IN("In"), NOT_IN("NotIn"), EXISTS("Exists"), DOES_NOT_EXIST("DoesNotExist");

        private final String apiName;

        Operator(String apiName) {
            this.apiName = apiName;
        }

        static Operator fromApi(String name) {
            for (Operator op : values()) {
                if (op.apiName.equals(name)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** One requirement; values sorted and distinct. */
    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case IN -> values.size() == 1 ? key + "=" + values.get(0) : key + " in (" + String.join(",", values) + ")";
                case NOT_IN -> values.size() == 1 ? key + "!=" + values.get(0)
                        : key + " notin (" + String.join(",", values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    private static final Selector EVERYTHING = new Selector(List.of());

    private final List<Requirement> requirements;

    private Selector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /** The selector that matches every object. */
    public static Selector everything() {
        return EVERYTHING;
    }

    /**
     * Validates and compiles a LabelSelector.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static Selector compile(LabelSelector selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> out = new ArrayList<>();
        if (selector.matchLabels() != null) {
            selector.matchLabels().forEach((key, value) -> {
                LabelSyntax.checkKey(key);
                LabelSyntax.checkValue(key, value);
                out.add(new Requirement(key, Operator.IN, List.of(value)));
            });
        }
        if (selector.matchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.matchExpressions()) {
                out.add(requirement(expression));
            }
        }
        out.sort(Comparator.comparing(Requirement::key).thenComparing(Requirement::operator));
        return new Selector(out);
    }

    private static Requirement requirement(LabelSelectorRequirement expression) {
        String key = expression.key() == null ? "" : expression.key();
        LabelSyntax.checkKey(key);
        Operator op = Operator.fromApi(expression.operator());
        if (op == null) {
            throw new IllegalArgumentException(GoText.q(expression.operator())
                    + " is not a valid label selector operator");
        }
        List<String> values = expression.values() == null ? List.of() : expression.values();
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("key " + GoText.q(key)
                            + ": for 'In', 'NotIn' operators, values set can't be empty");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException("key " + GoText.q(key)
                            + ": values set must be empty for exists and does not exist");
                }
            }
        }
        for (String value : values) {
            LabelSyntax.checkValue(key, value);
        }
        return new Requirement(key, op, new ArrayList<>(new TreeSet<>(values)));
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        for (Requirement requirement : requirements) {
            if (!requirement.matches(present)) {
                return false;
            }
        }
        return true;
    }

    public boolean matchesEverything() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** Kubernetes' selector syntax, requirements sorted by key: {@code app=web,tier in (a,b)}. */
    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(Requirement::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Selector other && requirements.equals(other.requirements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requirements);
    }
}
