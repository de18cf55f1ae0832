package io.ferrolb.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FlagsTest {

    private static Flags flags(String... args) {
        return new Flags(args, Set.of("leader-elect"), Map.<String, String>of()::get);
    }

    @Test
    void readsGoStyleForms() {
        Flags f = flags("--port=1", "-namespace", "ns", "--leader-elect", "--lb-class", "c");
        assertThat(f.integer("port", null, 7)).isEqualTo(1);
        assertThat(f.string("namespace", null, null)).isEqualTo("ns");
        assertThat(f.bool("leader-elect", null, false)).isTrue();
        assertThat(f.string("lb-class", null, "")).isEqualTo("c");
        assertThat(f.string("absent", null, "dflt")).isEqualTo("dflt");
        f.requireAllKnown();
    }

    @Test
    void anUnknownFlagIsNamedWithTheKnownOnes() {
        Flags f = flags("--port=1", "--lb-clas=c");
        f.integer("port", null, 7);
        f.string("lb-class", null, "");
        assertThatThrownBy(f::requireAllKnown).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown flag --lb-clas; known flags: --lb-class, --port");
    }

    @Test
    void anUnknownFlagWithoutValueIsStillUnknownNotMissingAValue() {
        Flags f = flags("--port=1", "--verbose");
        f.integer("port", null, 7);
        assertThatThrownBy(f::requireAllKnown).hasMessageStartingWith("unknown flag --verbose;");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "True,true", "TRUE,true", "t,true", "1,true", "false,false", "F,false", "0,false"})
    void booleansTakeGoSpellings(String text, boolean expected) {
        assertThat(flags("--leader-elect=" + text).bool("leader-elect", null, !expected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"flase", "yes", "on", "''"})
    void aMisspeltBooleanIsAnErrorNotFalse(String text) {
        Flags f = flags("--leader-elect=" + text);
        if (text.isEmpty()) {
            // an empty value is "not set": the default applies, as for the other kinds
            assertThat(f.bool("leader-elect", null, true)).isTrue();
            return;
        }
        assertThatThrownBy(() -> f.bool("leader-elect", null, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid value \"" + text + "\" for --leader-elect: expected true or false");
    }

    @Test
    void aBadNumberNamesTheFlag() {
        assertThatThrownBy(() -> flags("--port=74x2").integer("port", null, 7472))
                .hasMessage("invalid value \"74x2\" for --port: expected a whole number");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        Flags f = new Flags(new String[0], Set.of(), Map.of("METALLB_ML_BIND_PORT", "seven")::get);
        assertThatThrownBy(() -> f.integer("ml-bindport", "METALLB_ML_BIND_PORT", 7946))
                .hasMessage("invalid value \"seven\" for METALLB_ML_BIND_PORT (--ml-bindport): expected a whole number");
    }

    @Test
    void aChoiceListsWhatItAccepts() {
        assertThat(flags("--handoff=IPTables").choice("handoff", null, "none", List.of("none", "iptables")))
                .isEqualTo("iptables");
        assertThatThrownBy(() -> flags("--handoff=ipvs2").choice("handoff", null, "none", List.of("none", "ipvs")))
                .hasMessage("invalid value \"ipvs2\" for --handoff: expected one of none, ipvs");
    }

    @Test
    void aKnownFlagWithoutValueSaysSo() {
        Flags f = flags("--namespace");
        assertThatThrownBy(() -> f.string("namespace", null, null)).hasMessage("flag --namespace needs a value");
    }

    @Test
    void aPositionalArgumentIsRejected() {
        assertThatThrownBy(() -> flags("metallb-system"))
                .hasMessageContaining("unexpected argument \"metallb-system\"");
    }
}
