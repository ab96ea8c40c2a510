package io.vmcluster.scenario.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmcluster.command.CommandResult;
import io.vmcluster.json.JsonPath;
import io.vmcluster.scenario.step.Checks;
import io.vmcluster.scenario.step.JsonCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Evaluates {@link Checks} against a command's result. */
public final class Checker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checker() {}

    /**
     * Null when every check holds, else what did not hold (all of it, joined by "; ").
     *
     * @param substitute resolves {@code ${var}} in the expected values
     */
    public static String failure(Checks c, CommandResult r, UnaryOperator<String> substitute) {
        List<String> bad = new ArrayList<>();
        if (c.exitCode() != null && r.exitCode() != c.exitCode()) {
            bad.add("exit code " + r.exitCode() + ", expected " + c.exitCode());
        }
        if (c.nonZeroExit() && r.exitCode() == 0) {
            bad.add("exit code 0, expected the command to fail");
        }
        for (String s : c.stdoutContains()) {
            String want = substitute.apply(s);
            if (!r.stdoutText().contains(want)) bad.add("stdout does not contain '" + want + "'");
        }
        for (String s : c.stdoutNotContains()) {
            String want = substitute.apply(s);
            if (r.stdoutText().contains(want)) bad.add("stdout contains '" + want + "'");
        }
        for (String s : c.stdoutMatches()) {
            String re = substitute.apply(s);
            if (!Pattern.compile(re).matcher(r.stdoutText()).find()) bad.add("stdout does not match /" + re + "/");
        }
        if (c.stdoutEquals() != null) {
            String want = substitute.apply(c.stdoutEquals()).strip();
            if (!r.stdoutText().strip().equals(want)) bad.add("stdout is not '" + want + "'");
        }
        for (String s : c.stderrContains()) {
            String want = substitute.apply(s);
            if (!r.stderrText().contains(want)) bad.add("stderr does not contain '" + want + "'");
        }
        if (!c.json().isEmpty()) {
            JsonNode root = null;
            try {
                root = JSON.readTree(r.stdoutText());
            } catch (Exception e) {
                bad.add("stdout is not JSON ("
                        + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (root != null) {
                for (JsonCheck j : c.json()) {
                    String want = substitute.apply(j.equals());
                    JsonNode v = JsonPath.select(root, j.path());
                    String got = v == null ? "(nothing)" : v.isValueNode() ? v.asText() : v.toString();
                    if (v == null || !got.equals(want)) bad.add(j.path() + " is " + got + ", expected " + want);
                }
            }
        }
        return bad.isEmpty() ? null : String.join("; ", bad);
    }
}
