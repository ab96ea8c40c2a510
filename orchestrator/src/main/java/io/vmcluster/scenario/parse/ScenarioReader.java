package io.vmcluster.scenario.parse;

import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.cluster.spec.GuestParams;
import io.vmcluster.scenario.ClusterSource;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.Template;
import io.vmcluster.scenario.TestCase;
import io.vmcluster.scenario.Timeouts;
import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Substitution;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import io.vmcluster.yaml.YamlReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The scenario file's top level: name, cluster, params, timeouts, tests. */
public final class ScenarioReader {
    private ScenarioReader() {}

    /** See {@link io.vmcluster.scenario.ScenarioParser}; {@code text} null means read the file. */
    public static Scenario read(Path file, String text, Map<String, String> overrides) {
        Problems problems = new Problems();
        YamlNode root = text == null ? YamlReader.read(file, problems) : YamlReader.read(text, file, problems);
        throwIfAny(problems);
        if (!root.isMap()) {
            problems.add(
                    root.location(),
                    "a scenario is a mapping with " + String.join(", ", Vocabulary.SCENARIO) + ", found "
                            + root.describe());
            throwIfAny(problems);
        }
        Fields f = new Fields(root, "the scenario", problems, Vocabulary.SCENARIO, true);
        String name = f.string("name", false, "the scenario's name");
        if (name == null) {
            String fn = file.getFileName().toString();
            name = fn.replaceFirst("\\.ya?ml$", "");
        }
        String description = f.string("description", false, "free text");

        Map<String, String> params = params(f, problems, overrides, file);

        ClusterSource cluster = null;
        if (!f.has("cluster")) {
            f.missing("cluster", "the cluster definition inline ({image: etcd-test, nodes: 3}) or a cluster file path");
        } else {
            cluster = new ClusterParser(problems, params).parse(f.get("cluster"), file);
        }
        List<String> nodes = cluster == null ? List.of() : cluster.nodes();

        f.substituting(paramSubstitution(params));
        Timeouts timeouts = timeouts(f, problems, paramSubstitution(params));
        Boolean stop = f.bool("stop_on_failure");

        List<TestCase> tests = new ArrayList<>();
        YamlNode testsNode = f.get("tests");
        if (testsNode == null
                || testsNode.isNull()
                || (testsNode.isList() && testsNode.items().isEmpty())) {
            f.missing("tests", "a list of tests, each with a name and steps");
        } else if (!testsNode.isList()) {
            problems.add(
                    testsNode.location(),
                    "'tests' must be a list of tests (each '- name: ...' with 'steps:'), found "
                            + testsNode.describe());
        } else if (cluster != null) {
            Scope scope = Scope.of(params.keySet(), problems);
            List<String> regions = cluster.spec().wan().regions().stream()
                    .map(io.vmcluster.cluster.spec.WanSpec.Region::name)
                    .toList();
            StepParser steps = new StepParser(problems, nodes, regions, paramSubstitution(params));
            Set<String> names = new HashSet<>();
            for (YamlNode t : testsNode.items()) {
                TestCase tc = test(t, steps, scope, problems, timeouts, names);
                if (tc != null) tests.add(tc);
            }
        }
        throwIfAny(problems);
        return new Scenario(name, description, file, cluster, params, timeouts, stop != null && stop, tests);
    }

    /**
     * Params in a number, duration or switch ({@code repeat: ${writes}}, {@code timeout: ${t}}):
     * substituted before the value is checked, so a bad value is reported at its use. Only params
     * can be used there (captured variables get their value during the run).
     */
    static Substitution paramSubstitution(Map<String, String> params) {
        return (text, where, problems) -> {
            String open = Template.unclosed(text);
            if (open != null) {
                problems.add(
                        where,
                        "'" + open + "' is not closed: write ${name} with a closing '}' (or $${ for a literal ${)");
                return null;
            }
            for (String ref : Template.references(text)) {
                if (!params.containsKey(ref)) {
                    problems.add(
                            where,
                            "${" + ref + "} is not a param" + Suggest.didYouMean(ref, params.keySet())
                                    + "; a number, duration or true/false takes its value before the run, so only"
                                    + " params can be used in it (params: "
                                    + (params.isEmpty() ? "none" : String.join(", ", params.keySet())) + ")");
                    return null;
                }
            }
            return Template.substitute(text, params::get);
        };
    }

    private static void throwIfAny(Problems problems) {
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems.sorted());
        }
    }

    private static TestCase test(
            YamlNode t, StepParser steps, Scope scope, Problems problems, Timeouts timeouts, Set<String> names) {
        if (!t.isMap()) {
            problems.add(t.location(), "a test is a mapping with 'name:' and 'steps:', found " + t.describe());
            return null;
        }
        Fields f = new Fields(t, "a test", problems, Vocabulary.TEST).substituting(steps.params());
        String name = f.string("name", true, "the test's name (it becomes the JUnit test case)");
        if (name != null && !names.add(name)) {
            problems.add(f.locationOf("name"), "two tests are named '" + name + "'; test names must be unique");
        }
        Duration timeout = f.duration("timeout");
        Boolean stop = f.bool("stop_on_failure");
        SnapshotStep fresh = fresh(f, scope, problems);
        if (!f.has("steps")) f.missing("steps", "the list of steps");
        List<Step> body = steps.steps(f.get("steps"), scope, "'steps'");
        scope.endTest(name == null ? "?" : name);
        if (f.has("steps") && body.isEmpty() && problems.isEmpty()) {
            problems.add(f.locationOf("steps"), "a test needs at least one step");
        }
        if (name == null) return null;
        return new TestCase(
                name, body, timeout == null ? timeouts.test() : timeout, stop != null && stop, f.location(), fresh);
    }

    /**
     * {@code fresh: NAME}: restore snapshot NAME before the test's first step. NAME must be taken
     * by a step before the test (in an earlier test): a snapshot step inside this test comes after.
     */
    private static SnapshotStep fresh(Fields f, Scope scope, Problems problems) {
        if (!f.has("fresh")) return null;
        if (f.get("fresh").isNull()) {
            problems.add(
                    f.locationOf("fresh"),
                    "fresh needs the name of a snapshot taken in an earlier test, e.g. 'fresh: formed'");
            return null;
        }
        String name = f.string("fresh", false, "the name of a snapshot taken in an earlier test, e.g. fresh: formed");
        if (name == null) return null;
        Location at = f.get("fresh").location();
        String problem = SnapshotName.problem(name);
        if (problem != null) {
            problems.add(at, "fresh: " + problem);
            return null;
        }
        scope.restoreSnapshot(name, at, "fresh");
        return new SnapshotStep(at, SnapshotStep.Kind.RESTORE, new SnapshotName(name), "fresh: " + name);
    }

    private static Map<String, String> params(Fields f, Problems problems, Map<String, String> overrides, Path file) {
        Map<String, String> params = new LinkedHashMap<>();
        YamlNode p = f.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isMap()) {
                problems.add(p.location(), "'params' must be a mapping of KEY: VALUE, found " + p.describe());
            } else {
                for (YamlNode.Entry e : p.entries().values()) {
                    if (!io.vmcluster.scenario.Template.NAME.matcher(e.key()).matches()) {
                        problems.add(
                                e.keyLocation(),
                                "param name '" + e.key() + "' must be letters, digits, _ . - (starting with a letter)");
                    } else if (GuestParams.RESERVED.contains(e.key())) {
                        problems.add(e.keyLocation(), "param '" + e.key() + "': " + GuestParams.keyProblem(e.key()));
                    }
                    if (!e.value().isScalar()) {
                        problems.add(
                                e.value().location(),
                                "param '" + e.key() + "' must have a single value, found "
                                        + e.value().describe());
                        continue;
                    }
                    checkValue(e.key(), e.value().text(), e.value().location(), problems);
                    params.put(e.key(), e.value().text());
                }
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            Location cli = Location.option("--param " + o.getKey() + "=" + o.getValue());
            if (!params.containsKey(o.getKey())) {
                problems.add(
                        cli,
                        "--param " + o.getKey() + ": the scenario " + file + " has no param '" + o.getKey() + "'"
                                + Suggest.didYouMean(o.getKey(), params.keySet()) + " (params: "
                                + (params.isEmpty() ? "none" : String.join(", ", params.keySet()))
                                + "; declare new ones under 'params:' in the file)");
                continue;
            }
            checkValue(o.getKey(), o.getValue(), cli, problems);
            params.put(o.getKey(), o.getValue());
        }
        return params;
    }

    private static void checkValue(String key, String value, Location at, Problems problems) {
        if (value.chars().anyMatch(Character::isWhitespace)) {
            problems.add(
                    at,
                    "param '" + key + "' = '" + value + "': values reach the kernel command line as vmc." + key
                            + "=VALUE and must not contain white space");
        } else if (GuestParams.valueProblem(value) != null) {
            problems.add(at, "param '" + key + "': " + GuestParams.valueProblem(value));
        }
    }

    private static Timeouts timeouts(Fields f, Problems problems, Substitution params) {
        YamlNode t = f.get("timeouts");
        if (t == null || t.isNull()) return Timeouts.DEFAULTS;
        if (!t.isMap()) {
            problems.add(
                    t.location(), "'timeouts' must be a mapping with step, test and/or run, found " + t.describe());
            return Timeouts.DEFAULTS;
        }
        Fields tf = new Fields(t, "'timeouts'", problems, Vocabulary.TIMEOUTS).substituting(params);
        Duration step = tf.duration("step");
        Duration test = tf.duration("test");
        Duration run = tf.duration("run");
        return new Timeouts(
                step == null ? Timeouts.DEFAULTS.step() : step,
                test == null ? Timeouts.DEFAULTS.test() : test,
                run == null ? Timeouts.DEFAULTS.run() : run);
    }
}
