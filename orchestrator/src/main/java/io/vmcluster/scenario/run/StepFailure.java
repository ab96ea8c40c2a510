package io.vmcluster.scenario.run;

import io.vmcluster.yaml.Location;

/**
 * Why a step failed, with the evidence: where the step is written, what it was, the node, the
 * command, its exit code and output (null fields do not apply to the step).
 */
public record StepFailure(
        Location location,
        String step,
        String node,
        String command,
        Integer exitCode,
        String stdout,
        String stderr,
        String reason) {

    /** The same failure with {@code more} appended to its reason (e.g. how many branches failed). */
    public StepFailure withReasonExtended(String more) {
        return new StepFailure(location, step, node, command, exitCode, stdout, stderr, reason + more);
    }

    /** The full multi-line message for reports. */
    public String message() {
        StringBuilder sb = new StringBuilder();
        sb.append("step failed at ").append(location).append(": ").append(step).append('\n');
        sb.append("  reason:  ").append(reason).append('\n');
        if (node != null) sb.append("  node:    ").append(node).append('\n');
        if (command != null) sb.append("  command: ").append(command).append('\n');
        if (exitCode != null) sb.append("  exit:    ").append(exitCode).append('\n');
        if (stdout != null) sb.append("  stdout:  ").append(indent(stdout)).append('\n');
        if (stderr != null) sb.append("  stderr:  ").append(indent(stderr)).append('\n');
        return sb.toString().stripTrailing();
    }

    private static String indent(String s) {
        String t = s.length() > 4000
                ? s.substring(0, 2000) + "\n…[" + (s.length() - 4000) + " chars cut]…\n"
                        + s.substring(s.length() - 2000)
                : s;
        return t.isBlank() ? "(empty)" : t.stripTrailing().replace("\n", "\n           ");
    }
}
