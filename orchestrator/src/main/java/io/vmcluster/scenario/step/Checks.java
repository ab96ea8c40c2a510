package io.vmcluster.scenario.step;

import java.util.List;

/**
 * What a command's result must show: every check given must hold. Strings may contain
 * {@code ${var}}; they are substituted when the step runs.
 *
 * @param exitCode required exit code, or null for "any"
 * @param nonZeroExit the exit code must not be 0 (what {@code fail:} requires)
 * @param stdoutContains substrings stdout must contain, all of them
 * @param stdoutNotContains substrings stdout must not contain
 * @param stdoutMatches regular expressions that must each be found in stdout
 * @param stdoutEquals stdout, stripped of leading/trailing white space, must equal this (or null)
 * @param stderrContains substrings stderr must contain
 * @param json JSON checks on stdout
 */
public record Checks(
        Integer exitCode,
        boolean nonZeroExit,
        List<String> stdoutContains,
        List<String> stdoutNotContains,
        List<String> stdoutMatches,
        String stdoutEquals,
        List<String> stderrContains,
        List<JsonCheck> json) {
    public static final Checks NONE =
            new Checks(null, false, List.of(), List.of(), List.of(), null, List.of(), List.of());
    public static final Checks EXIT_ZERO = NONE.withExitCode(0);
    public static final Checks EXIT_NON_ZERO =
            new Checks(null, true, List.of(), List.of(), List.of(), null, List.of(), List.of());

    public Checks {
        stdoutContains = List.copyOf(stdoutContains);
        stdoutNotContains = List.copyOf(stdoutNotContains);
        stdoutMatches = List.copyOf(stdoutMatches);
        stderrContains = List.copyOf(stderrContains);
        json = List.copyOf(json);
    }

    public Checks withExitCode(Integer code) {
        return new Checks(
                code, false, stdoutContains, stdoutNotContains, stdoutMatches, stdoutEquals, stderrContains, json);
    }

    public Checks withNonZeroExit() {
        return new Checks(
                null, true, stdoutContains, stdoutNotContains, stdoutMatches, stdoutEquals, stderrContains, json);
    }

    /** True when no exit-code check was given. */
    public boolean exitUnchecked() {
        return exitCode == null && !nonZeroExit;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (exitCode != null) sb.append("exit code ").append(exitCode).append("; ");
        if (nonZeroExit) sb.append("non-zero exit code; ");
        stdoutContains.forEach(s -> sb.append("stdout contains '").append(s).append("'; "));
        stdoutNotContains.forEach(s -> sb.append("stdout lacks '").append(s).append("'; "));
        stdoutMatches.forEach(s -> sb.append("stdout matches /").append(s).append("/; "));
        if (stdoutEquals != null) sb.append("stdout is '").append(stdoutEquals).append("'; ");
        stderrContains.forEach(s -> sb.append("stderr contains '").append(s).append("'; "));
        json.forEach(j -> sb.append(j.path()).append(" == ").append(j.equals()).append("; "));
        return sb.isEmpty() ? "anything" : sb.substring(0, sb.length() - 2);
    }
}
