package io.ferrolb.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.testkit.ChildJvm;
import io.ferrolb.testkit.CommandResult;
import org.junit.jupiter.api.Test;

/** Bad command lines stop the speaker with exit code 2 and a message naming the flag, before it joins anything. */
class SpeakerMainTest {

    private static CommandResult run(String... args) {
        return ChildJvm.run(SpeakerMain.class, 60, args);
    }

    @Test
    void anUnknownFlagStopsIt() {
        CommandResult r = run("--namespace=metallb-system", "--node-name=n1", "--kubeconfig=/nonexistent",
                "--handof=iptables");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("ferrolb-speaker: unknown flag --handof;").contains("--handoff");
    }

    @Test
    void aMisspeltBooleanStopsIt() {
        CommandResult r = run("--namespace=metallb-system", "--node-name=n1", "--kubeconfig=/nonexistent",
                "--crash-watch=flase");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid value \"flase\" for --crash-watch: expected true or false");
    }

    @Test
    void anUnknownHandoffOrFailureDetectorListsTheChoices() {
        CommandResult handoff = run("--namespace=metallb-system", "--node-name=n1", "--handoff=nft");
        assertThat(handoff.exitCode()).as(handoff.stderr()).isEqualTo(2);
        assertThat(handoff.stderr()).contains("expected one of none, iptables, ipvs");
        CommandResult detector = run("--namespace=metallb-system", "--node-name=n1", "--failure-detector=fast");
        assertThat(detector.exitCode()).as(detector.stderr()).isEqualTo(2);
        assertThat(detector.stderr()).contains("expected one of ferrolb, scalecube-defaults, aggressive");
    }

    @Test
    void aBadNumberNamesTheFlag() {
        CommandResult r = run("--namespace=metallb-system", "--node-name=n1", "--drain-grace-ms=3s");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid value \"3s\" for --drain-grace-ms: expected a whole number");
    }
}
