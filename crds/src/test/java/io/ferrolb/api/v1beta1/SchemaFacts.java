package io.ferrolb.api.v1beta1;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CRD schema flattened to {@code path -> attribute -> value}, descriptions left out, so two
 * schemas compare field by field. Paths: {@code spec.addresses[]}, {@code spec.x.matchLabels{}}.
 */
final class SchemaFacts {

    private SchemaFacts() {
    }

    static Map<String, Map<String, String>> of(JSONSchemaProps root) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        walk("", root, out);
        return out;
    }

    private static void walk(String path, JSONSchemaProps node, Map<String, Map<String, String>> out) {
        Map<String, String> facts = new TreeMap<>();
        put(facts, "type", node.getType());
        put(facts, "format", node.getFormat());
        put(facts, "default", node.getDefault() == null ? null : node.getDefault().toString());
        put(facts, "required", node.getRequired() == null || node.getRequired().isEmpty() ? null
                : node.getRequired().stream().sorted().toList().toString());
        put(facts, "nullable", node.getNullable());
        put(facts, "minimum", node.getMinimum());
        put(facts, "maximum", node.getMaximum());
        put(facts, "pattern", node.getPattern());
        put(facts, "enum", node.getEnum() == null || node.getEnum().isEmpty() ? null : node.getEnum().toString());
        put(facts, "x-kubernetes-list-type", node.getXKubernetesListType());
        put(facts, "x-kubernetes-map-type", node.getXKubernetesMapType());
        put(facts, "x-kubernetes-preserve-unknown-fields", node.getXKubernetesPreserveUnknownFields());
        List<ValidationRule> rules = node.getXKubernetesValidations();
        put(facts, "x-kubernetes-validations", rules == null || rules.isEmpty() ? null
                : rules.stream().map(r -> r.getRule() + " => " + r.getMessage()).sorted().toList().toString());
        out.put(path.isEmpty() ? "." : path, facts);

        if (node.getProperties() != null) {
            node.getProperties().forEach((name, child) -> walk(path.isEmpty() ? name : path + "." + name, child, out));
        }
        if (node.getItems() != null && node.getItems().getSchema() != null) {
            walk(path + "[]", node.getItems().getSchema(), out);
        }
        if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null) {
            walk(path + "{}", node.getAdditionalProperties().getSchema(), out);
        }
    }

    private static void put(Map<String, String> facts, String name, Object value) {
        if (value != null) {
            facts.put(name, value.toString());
        }
    }
}
