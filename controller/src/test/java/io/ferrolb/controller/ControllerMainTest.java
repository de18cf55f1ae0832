package io.ferrolb.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrolb.testkit.ChildJvm;
import io.ferrolb.testkit.CommandResult;
import org.junit.jupiter.api.Test;

/** Bad command lines stop the binary with exit code 2 and a message naming the flag, before it connects anywhere. */
class ControllerMainTest {

    private static CommandResult run(String... args) {
        return ChildJvm.run(ControllerMain.class, 60, args);
    }

    @Test
    void anUnknownFlagStopsIt() {
        CommandResult r = run("--namespace=metallb-system", "--kubeconfig=/nonexistent", "--webhook-mod=disabled");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("ferrolb-controller: unknown flag --webhook-mod;")
                .contains("--webhook-mode");
    }

    @Test
    void aMisspeltBooleanStopsItInsteadOfReadingFalse() {
        CommandResult r = run("--namespace=metallb-system", "--kubeconfig=/nonexistent", "--leader-elect=flase");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid value \"flase\" for --leader-elect: expected true or false");
    }

    @Test
    void aBadNumberNamesTheFlag() {
        CommandResult r = run("--namespace=metallb-system", "--kubeconfig=/nonexistent", "--webhook-port=94x3");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("invalid value \"94x3\" for --webhook-port: expected a whole number")
                .doesNotContain("For input string");
    }

    @Test
    void aBadWebhookModeListsTheModes() {
        CommandResult r = run("--namespace=metallb-system", "--kubeconfig=/nonexistent", "--webhook-mode=off");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("expected one of enabled, disabled, onlywebhook");
    }
}
