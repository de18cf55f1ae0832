package io.ferrolb.speaker.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.speaker.plan.Decision;
import io.ferrolb.speaker.plan.LiveSpeakers;
import io.ferrolb.speaker.plan.NotAnnounced;
import io.ferrolb.speaker.plan.Plan;
import io.ferrolb.speaker.plan.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Services about to be acquired another speaker held, and whether it is alive. */
class PreviousOwnersTest {

    private static final ServiceKey WEB = new ServiceKey("default", "web");

    static Stream<Arguments> cases() {
        LiveSpeakers abc = new LiveSpeakers.Known(Set.of("a", "b", "c"));
        LiveSpeakers ac = new LiveSpeakers.Known(Set.of("a", "c"));
        return Stream.of(
                Arguments.of("nobody held it", null, Map.of(), false, abc, Map.of()),
                Arguments.of("the last plan's winner, alive", "b", Map.of(), false, abc, Map.of(WEB, true)),
                Arguments.of("the last plan's winner, gone", "b", Map.of(), false, ac, Map.of(WEB, false)),
                Arguments.of("named by a ServiceL2Status, alive", null, Map.of(WEB, Set.of("c")), false, abc,
                        Map.of(WEB, true)),
                Arguments.of("one gone, one alive: alive", "b", Map.of(WEB, Set.of("c")), false, ac,
                        Map.of(WEB, true)),
                Arguments.of("only this node's own status", null, Map.of(WEB, Set.of("a")), false, abc, Map.of()),
                Arguments.of("announced here already", "b", Map.of(WEB, Set.of("b")), true, abc, Map.of()),
                Arguments.of("no membership: nobody counts as alive", "b", Map.of(), false,
                        new LiveSpeakers.EveryNode(), Map.of(WEB, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void heldElsewhere(String name, String lastWinner, Map<ServiceKey, Set<String>> announcers,
            boolean announcedHere, LiveSpeakers live, Map<ServiceKey, Boolean> expected) {
        PreviousOwners owners = new PreviousOwners("a");
        TreeMap<ServiceKey, Decision> decisions = new TreeMap<>();
        if (lastWinner != null) {
            decisions.put(WEB, new NotAnnounced.NotOwner(WEB, List.of(), lastWinner, true));
        }
        owners.planned(new Plan("a", decisions));

        assertThat(owners.heldElsewhere(Set.of(WEB), live, announcers, key -> announcedHere)).isEqualTo(expected);
    }
}
