package io.ferrolb.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code helm template} printed, and the same parsed into objects. */
record Rendered(String yaml, List<HasMetadata> objects) {

    Rendered {
        objects = List.copyOf(objects);
    }

    /** Kind/name of every object, for a readable failure message. */
    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<HasMetadata> ofKind(String kind) {
        return objects.stream().filter(o -> o.getKind().equals(kind)).toList();
    }

    Optional<HasMetadata> find(String kind, String name) {
        return objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(type.getSimpleName() + " " + name + " not in " + names()));
    }

    GenericKubernetesResource generic(String kind, String name) {
        return (GenericKubernetesResource) find(kind, name)
                .orElseThrow(() -> new NoSuchElementException(kind + " " + name + " not in " + names()));
    }

    Deployment controller() {
        return get(Deployment.class, Chart.RELEASE + "-controller");
    }

    DaemonSet speaker() {
        return get(DaemonSet.class, Chart.RELEASE + "-speaker");
    }

    /** The objects of the listed kinds, as one multi-document YAML stream. */
    String yamlOf(List<String> kinds) {
        return objects.stream().filter(o -> kinds.contains(o.getKind())).map(Chart.JSON::asYaml)
                .collect(Collectors.joining("\n"));
    }

    /** Everything but the listed kinds, as one multi-document YAML stream. */
    String yamlWithout(List<String> kinds) {
        return objects.stream().filter(o -> !kinds.contains(o.getKind())).map(Chart.JSON::asYaml)
                .collect(Collectors.joining("\n"));
    }

    static Container container(PodSpec pod) {
        return pod.getContainers().get(0);
    }

    /** A container's plain env values; downward-API ones as {@code fieldRef:<path>}. */
    static Map<String, String> env(Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            out.put(e.getName(), e.getValueFrom() == null ? e.getValue()
                    : "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath());
        }
        return out;
    }
}
