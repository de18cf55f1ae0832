package io.ferrolb.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a set of RBAC objects allows each ServiceAccount, flattened to single permissions, so that
 * two sets (the chart's, the lab's, MetalLB's) can be compared by inclusion as the authorizer would
 * decide: a cluster-wide grant covers every namespace, a rule without resourceNames every name.
 */
record Grants(Set<Grant> all) {

    static final String ANY = "*";

    /** One allowed request shape; {@code namespace} and {@code name} are {@link #ANY} when unrestricted. */
    record Grant(String subject, String namespace, String group, String resource, String name, String verb)
            implements Comparable<Grant> {

        boolean covers(Grant other) {
            return subject.equals(other.subject) && group.equals(other.group) && resource.equals(other.resource)
                    && (verb.equals(ANY) || verb.equals(other.verb))
                    && (name.equals(ANY) || name.equals(other.name))
                    && (namespace.equals(ANY) || namespace.equals(other.namespace));
        }

        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return subject + ": " + verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                    + (name.equals(ANY) ? "" : " named " + name)
                    + (namespace.equals(ANY) ? " (cluster-wide)" : " in " + namespace);
        }
    }

    static Grants of(Collection<? extends HasMetadata> objects) {
        Map<String, List<PolicyRule>> clusterRoles = objects.stream().filter(ClusterRole.class::isInstance)
                .map(ClusterRole.class::cast)
                .collect(Collectors.toMap(r -> r.getMetadata().getName(), ClusterRole::getRules));
        Map<String, List<PolicyRule>> roles = objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
                        Role::getRules));
        Set<Grant> grants = new TreeSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b) {
                add(grants, b.getSubjects(), ANY, rules(b.getRoleRef(), clusterRoles, roles, null));
            } else if (o instanceof RoleBinding b) {
                String ns = b.getMetadata().getNamespace();
                add(grants, b.getSubjects(), ns, rules(b.getRoleRef(), clusterRoles, roles, ns));
            }
        }
        return new Grants(Set.copyOf(grants));
    }

    /** Every grant of {@code this} that no grant of {@code other} covers. */
    Set<Grant> notCoveredBy(Grants other) {
        return all.stream().filter(g -> other.all.stream().noneMatch(o -> o.covers(g)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The same grants with each subject renamed, for sets whose ServiceAccounts differ in name. */
    Grants renameSubjects(Function<String, String> rename) {
        return new Grants(all.stream().map(g -> new Grant(rename.apply(g.subject()), g.namespace(), g.group(),
                g.resource(), g.name(), g.verb())).collect(Collectors.toSet()));
    }

    private static List<PolicyRule> rules(RoleRef ref, Map<String, List<PolicyRule>> clusterRoles,
                                          Map<String, List<PolicyRule>> roles, String namespace) {
        List<PolicyRule> rules = ref.getKind().equals("ClusterRole") ? clusterRoles.get(ref.getName())
                : roles.get(namespace + "/" + ref.getName());
        if (rules == null) {
            throw new IllegalArgumentException("binding refers to a missing " + ref.getKind() + " " + ref.getName());
        }
        return rules;
    }

    private static void add(Set<Grant> grants, List<Subject> subjects, String namespace, List<PolicyRule> rules) {
        for (Subject s : subjects) {
            String subject = s.getNamespace() + "/" + s.getName();
            for (PolicyRule r : rules) {
                List<String> names = r.getResourceNames() == null || r.getResourceNames().isEmpty()
                        ? List.of(ANY) : r.getResourceNames();
                for (String group : r.getApiGroups()) {
                    for (String resource : r.getResources()) {
                        for (String name : names) {
                            for (String verb : r.getVerbs()) {
                                grants.add(new Grant(subject, namespace, group, resource, name, verb));
                            }
                        }
                    }
                }
            }
        }
    }
}
