package io.ferrolb.config;

import static io.ferrolb.config.Fixtures.expression;
import static io.ferrolb.config.Fixtures.expressions;
import static io.ferrolb.config.Fixtures.labels;
import static io.ferrolb.config.Fixtures.req;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrolb.api.v1beta1.LabelSelector;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorTest {

    static Stream<Arguments> matching() {
        Map<String, String> web = Map.of("app", "web", "tier", "front");
        return Stream.of(
                Arguments.of("empty matches all", new LabelSelector(null, null), web, true),
                Arguments.of("matchLabels equal", labels("app", "web"), web, true),
                Arguments.of("matchLabels differ", labels("app", "db"), web, false),
                Arguments.of("matchLabels all required", labels("app", "web", "zone", "a"), web, false),
                Arguments.of("In hit", expression("tier", "In", "back", "front"), web, true),
                Arguments.of("In miss", expression("tier", "In", "back"), web, false),
                Arguments.of("In on absent key", expression("zone", "In", "a"), web, false),
                Arguments.of("NotIn hit", expression("tier", "NotIn", "front"), web, false),
                Arguments.of("NotIn on absent key", expression("zone", "NotIn", "a"), web, true),
                Arguments.of("Exists", expression("app", "Exists"), web, true),
                Arguments.of("Exists absent", expression("zone", "Exists"), web, false),
                Arguments.of("DoesNotExist", expression("zone", "DoesNotExist"), web, true),
                Arguments.of("DoesNotExist present", expression("app", "DoesNotExist"), web, false),
                Arguments.of("labels and expressions are ANDed",
                        new LabelSelector(Map.of("app", "web"), expressions(req("tier", "In", "back")).matchExpressions()),
                        web, false),
                Arguments.of("null labels", expression("zone", "DoesNotExist"), null, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matching")
    void matchesLikeKubernetes(String name, LabelSelector raw, Map<String, String> labels, boolean expected) {
        assertThat(Selector.compile(raw).matches(labels)).isEqualTo(expected);
    }

    @Test
    void printsKubernetesSelectorSyntaxSortedByKey() {
        LabelSelector raw = new LabelSelector(Map.of("b", "2"), expressions(req("a", "In", "y", "x"),
                req("c", "NotIn", "z"), req("d", "Exists"), req("e", "DoesNotExist")).matchExpressions());
        assertThat(Selector.compile(raw)).hasToString("a in (x,y),b=2,c!=z,d,!e");
        assertThat(Selector.everything()).hasToString("");
        assertThat(Selector.compile(null).matchesEverything()).isTrue();
    }

    @Test
    void acceptsPrefixedKeysAndEmptyValues() {
        assertThat(Selector.compile(labels("node.kubernetes.io/exclude-from-external-load-balancers", ""))
                .matches(Map.of("node.kubernetes.io/exclude-from-external-load-balancers", ""))).isTrue();
    }

    @Test
    void rejectsValuesOnExistsAndBadKeys() {
        assertThatThrownBy(() -> Selector.compile(expression("k", "Exists", "v")))
                .hasMessage("key \"k\": values set must be empty for exists and does not exist");
        assertThatThrownBy(() -> Selector.compile(labels("Example.COM/x", "v")))
                .hasMessageStartingWith("invalid label key \"Example.COM/x\": prefix part");
        assertThatThrownBy(() -> Selector.compile(labels("a".repeat(64), "v")))
                .hasMessageStartingWith("invalid label key");
    }
}
