package io.vmcluster.scenario.parse;

import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.cluster.spec.GuestParams;
import io.vmcluster.scenario.ClusterSource;
import io.vmcluster.scenario.ImageParams;
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
    public static Scenario read(Path file, String text, Map<String, String> overrides, ImageParams imageParams) {
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

        Map<String, Location> declared = new LinkedHashMap<>();
        Map<String, String> params = params(f, problems, declared);
        Map<String, String> undeclared = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            if (params.containsKey(k)) {
                override(k, v, params, problems);
            } else {
                undeclared.put(k, v);
            }
        });

        ClusterSource cluster = null;
        int beforeCluster = problems.size();
        if (!f.has("cluster")) {
            f.missing("cluster", "the cluster definition inline ({image: etcd-test, nodes: 3}) or a cluster file path");
        } else {
            cluster = new ClusterParser(problems, params).parse(f.get("cluster"), file);
        }
        boolean clusterClean = problems.size() == beforeCluster;
        Map<String, Map<String, String>> images = cluster == null ? Map.of() : imageParams(cluster, imageParams);
        if (!undeclared.isEmpty()) {
            boolean added = false;
            for (Map.Entry<String, String> o : undeclared.entrySet()) {
                if (images.values().stream().anyMatch(p -> p.containsKey(o.getKey()))) {
                    added |= override(o.getKey(), o.getValue(), params, problems);
                } else {
                    problems.add(
                            Location.option("--param " + o.getKey() + "=" + o.getValue()),
                            unknownOverride(o.getKey(), file, params.keySet(), images));
                }
            }
            if (added && cluster != null && clusterClean) {
                // the image's params reach the nodes like the scenario's own
                cluster = new ClusterParser(problems, params).parse(f.get("cluster"), file);
            }
        }
        checkAgainstImages(declared, images, problems);
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
        checkCachedSnapshots(tests, problems);
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

    /**
     * {@code cache: true}: on one snapshot step at most, and directly in a test's steps (the
     * warm run starts there; a repeat or parallel branch has no one place to start from).
     */
    private static void checkCachedSnapshots(List<TestCase> tests, Problems problems) {
        SnapshotStep first = null;
        for (TestCase t : tests) {
            for (Step s : t.steps()) {
                if (s instanceof SnapshotStep ss && ss.cache()) {
                    if (first != null) {
                        problems.add(
                                ss.location(),
                                "only one snapshot step may have 'cache: true'; the one at " + first.location()
                                        + " has it already");
                    } else {
                        first = ss;
                    }
                } else {
                    nestedCached(s, problems);
                }
            }
        }
    }

    private static void nestedCached(Step s, Problems problems) {
        List<List<Step>> inner = s instanceof io.vmcluster.scenario.step.RepeatStep r
                ? List.of(r.steps())
                : s instanceof io.vmcluster.scenario.step.ParallelStep p ? p.branches() : List.of();
        for (List<Step> block : inner) {
            for (Step n : block) {
                if (n instanceof SnapshotStep ss && ss.cache()) {
                    problems.add(
                            ss.location(),
                            "'cache: true' is for a snapshot step directly in a test's steps, not inside "
                                    + (s instanceof io.vmcluster.scenario.step.RepeatStep ? "repeat" : "parallel")
                                    + " (a warm run has to start at one place)");
                }
                nestedCached(n, problems);
            }
        }
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

    private static Map<String, String> params(Fields f, Problems problems, Map<String, Location> declared) {
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
                    declared.put(e.key(), e.keyLocation());
                }
            }
        }
        return params;
    }

    /** A {@code --param} override of a known param; true when its value is good and was taken. */
    private static boolean override(String key, String value, Map<String, String> params, Problems problems) {
        Location cli = Location.option("--param " + key + "=" + value);
        int before = problems.size();
        checkValue(key, value, cli, problems);
        if (problems.size() > before) return false;
        params.put(key, value);
        return true;
    }

    private static String unknownOverride(
            String key, Path file, Set<String> declared, Map<String, Map<String, String>> images) {
        Set<String> known = new java.util.TreeSet<>(declared);
        images.values().forEach(p -> known.addAll(p.keySet()));
        StringBuilder list =
                new StringBuilder("params: " + (declared.isEmpty() ? "none" : String.join(", ", declared)));
        images.forEach((image, p) -> list.append("; image ")
                .append(image)
                .append(": ")
                .append(p.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(p.keySet()))));
        return "--param " + key + ": the scenario " + file + " has no param '" + key + "'"
                + (images.isEmpty() ? "" : " and its image" + (images.size() > 1 ? "s have" : " has") + " none")
                + Suggest.didYouMean(key, known) + " (" + list
                + "; declare new ones under 'params:' in the file)";
    }

    /** The params of every image the nodes use that {@code lookup} knows, by image. */
    private static Map<String, Map<String, String>> imageParams(ClusterSource cluster, ImageParams lookup) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (var n : cluster.spec().nodes()) {
            if (out.containsKey(n.image())) continue;
            lookup.of(n.image()).ifPresent(p -> out.put(n.image(), p));
        }
        return out;
    }

    /**
     * A declared param that is not one of the images' own but looks like one (a near miss of its
     * name, or in the same dotted namespace, e.g. {@code etcd.heartbeat} where the image has {@code
     * etcd.heartbeat_ms}) would reach the guest and be ignored there: an error at its name. Params
     * that look like none of the image's (variables such as {@code writes}) are fine.
     */
    private static void checkAgainstImages(
            Map<String, Location> declared, Map<String, Map<String, String>> images, Problems problems) {
        for (Map.Entry<String, Map<String, String>> image : images.entrySet()) {
            Set<String> own = image.getValue().keySet();
            if (own.isEmpty()) continue;
            for (Map.Entry<String, Location> d : declared.entrySet()) {
                String key = d.getKey();
                if (own.contains(key)) continue;
                String near = Suggest.nearest(key, own);
                int dot = key.indexOf('.');
                String namespace = dot > 0 ? key.substring(0, dot + 1) : null;
                boolean sameNamespace = namespace != null && own.stream().anyMatch(o -> o.startsWith(namespace));
                if (near == null && !sameNamespace) continue;
                List<String> inNamespace = namespace == null
                        ? List.of()
                        : own.stream()
                                .filter(o -> o.startsWith(namespace))
                                .sorted()
                                .toList();
                problems.add(
                        d.getValue(),
                        "param '" + key + "' is not a param of image " + image.getKey()
                                + (near != null ? "; did you mean '" + near + "'?" : "")
                                + " (its " + (inNamespace.isEmpty() ? "params" : namespace + "* params") + ": "
                                + String.join(", ", inNamespace.isEmpty() ? new java.util.TreeSet<>(own) : inNamespace)
                                + "); the guest would ignore it. A param of the scenario's own must not look like"
                                + " one of the image's: rename it");
            }
        }
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
