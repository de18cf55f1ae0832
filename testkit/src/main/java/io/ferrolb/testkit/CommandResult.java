package io.ferrolb.testkit;

/** What a finished command printed and returned. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stdout when the command succeeded; otherwise an exception carrying everything it printed. */
    public String requireSuccess() {
        if (!succeeded()) {
            throw new IllegalStateException("exit code " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        }
        return stdout;
    }
}
