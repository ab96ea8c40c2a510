package io.vmcluster.scenario.parse;

import io.vmcluster.json.JsonPath;
import io.vmcluster.scenario.Template;
import io.vmcluster.scenario.step.Checks;
import io.vmcluster.scenario.step.JsonCheck;
import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Substitution;
import io.vmcluster.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code expect:} and {@code where:} mappings into {@link Checks}. */
final class ChecksParser {
    private final Problems problems;

    private final Substitution params;

    ChecksParser(Problems problems, Substitution params) {
        this.problems = problems;
        this.params = params;
    }

    Checks parse(YamlNode v, String key, Scope scope) {
        if (!v.isMap()) {
            problems.add(
                    v.location(),
                    "'" + key + "' must be a mapping of checks (" + String.join(", ", Vocabulary.CHECKS) + "), found "
                            + v.describe());
            return null;
        }
        Fields f = new Fields(v, "'" + key + "'", problems, Vocabulary.CHECKS).substituting(params);
        Long exit = f.integer("exit_code", 0, 255);
        List<String> contains = f.strings("stdout_contains");
        List<String> notContains = f.strings("stdout_not_contains");
        List<String> matches = f.strings("stdout_matches");
        String equals = f.string("stdout_equals", false, "the expected stdout");
        List<String> stderr = f.strings("stderr_contains");
        for (String k : List.of(
                "stdout_contains", "stdout_not_contains", "stdout_matches", "stderr_contains", "stdout_equals")) {
            if (f.has(k)) f.strings(k).forEach(s -> scope.check(s, f.locationOf(k)));
        }
        for (String re : matches) {
            if (!Template.hasReferences(re)) {
                try {
                    Pattern.compile(re);
                } catch (PatternSyntaxException e) {
                    problems.add(
                            f.locationOf("stdout_matches"),
                            "bad regular expression '" + re + "': " + e.getDescription());
                }
            }
        }
        List<JsonCheck> json = new ArrayList<>();
        YamlNode j = f.get("json");
        if (j != null) {
            List<YamlNode> items = j.isList() ? j.items() : List.of(j);
            for (YamlNode item : items) {
                if (!item.isMap()) {
                    problems.add(
                            item.location(),
                            "'json' must be {path: $.x, equals: VALUE} or a list of those, found " + item.describe());
                    continue;
                }
                Fields jf = new Fields(item, "a json check", problems, Vocabulary.JSON_CHECK);
                String path = jf.string("path", true, "a JSONPath like $.leader or $[0].status");
                YamlNode eq = jf.get("equals");
                if (eq == null) {
                    jf.missing("equals", "the expected value");
                    continue;
                }
                String expected = eq.isScalar() ? eq.text() : eq.isNull() ? "null" : null;
                if (expected == null) {
                    problems.add(eq.location(), "'equals' must be a single value, found " + eq.describe());
                    continue;
                }
                scope.check(expected, eq.location());
                if (path != null) {
                    String bad = JsonPath.check(path);
                    if (bad != null) {
                        problems.add(jf.locationOf("path"), bad);
                        continue;
                    }
                    json.add(new JsonCheck(path, expected));
                }
            }
        }
        return new Checks(
                exit == null ? null : exit.intValue(), false, contains, notContains, matches, equals, stderr, json);
    }
}
