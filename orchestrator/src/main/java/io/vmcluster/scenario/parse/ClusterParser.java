package io.vmcluster.scenario.parse;

import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.cluster.spec.GuestParams;
import io.vmcluster.scenario.ClusterSource;
import io.vmcluster.scenario.Template;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import io.vmcluster.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario's {@code cluster:}: either inline (a mapping in the cluster-file format of
 * docs/clusters.md) or the path of a cluster file, relative to the scenario. Scenario params may
 * be used in it as {@code ${KEY}} and reach every node's params. The cluster loader reads the
 * located tree itself, so each problem points into the file the user wrote (the scenario for an
 * inline cluster, the cluster file otherwise).
 */
final class ClusterParser {
    private final Problems problems;
    private final Map<String, String> params;

    ClusterParser(Problems problems, Map<String, String> params) {
        this.problems = problems;
        this.params = params;
    }

    ClusterSource parse(YamlNode value, Path scenarioFile) {
        if (value instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.STRING) {
            return fromFile(value, scenarioFile);
        }
        if (!value.isMap()) {
            problems.add(
                    value.location(),
                    "'cluster' must be a mapping (the cluster definition, e.g. {defaults: {image: etcd-test}, "
                            + "nodes: 3}) or the path of a cluster file, found " + value.describe());
            return null;
        }
        return load(value, null);
    }

    private ClusterSource fromFile(YamlNode value, Path scenarioFile) {
        String ref = substitute(value.text(), value.location());
        if (ref == null) return null;
        Path base = scenarioFile.toAbsolutePath().getParent();
        Path file = base.resolve(ref).normalize();
        Problems fileProblems = new Problems();
        YamlNode root = YamlReader.read(file, fileProblems);
        for (Problem p : fileProblems.list()) {
            if (p.location().line() <= 0) {
                // the file as a whole: say so at the scenario's line, with the reason
                String why = p.message().equals("no such file") ? "not found" : p.message();
                problems.add(value.location(), "cluster file '" + ref + "' " + why + " (looked for " + file + ")");
            } else {
                problems.add(p);
            }
        }
        return root == null ? null : load(root, file);
    }

    private ClusterSource load(YamlNode root, Path file) {
        if (!root.isMap()) {
            problems.add(root.location(), "a cluster definition must be a mapping, found " + root.describe());
            return null;
        }
        int before = problems.size();
        YamlNode substituted = new Substituter().apply(root);
        if (problems.size() > before) return null;
        Problems loader = new Problems();
        // params reach every node; bad names and values are reported where the param is declared
        Map<String, String> nodeParams = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (GuestParams.keyProblem(k) == null && GuestParams.valueProblem(v) == null) nodeParams.put(k, v);
        });
        ClusterSpecLoader.Loaded loaded = ClusterSpecLoader.read(substituted, nodeParams, loader);
        for (Problem p : loader.list()) {
            problems.add(p.location(), "cluster: " + p.message());
        }
        if (loaded == null) return null;
        return new ClusterSource(
                loaded.spec(),
                file,
                root.location(),
                loaded.spec().nodeNames(),
                loaded.images(),
                substituted,
                nodeParams);
    }

    /** The same tree with params substituted in every scalar (aliases stay shared). */
    private final class Substituter {
        private final Map<YamlNode, YamlNode> done = new IdentityHashMap<>();

        YamlNode apply(YamlNode n) {
            YamlNode d = done.get(n);
            if (d == null) {
                d = copy(n);
                done.put(n, d);
            }
            return d;
        }

        private YamlNode copy(YamlNode n) {
            if (n instanceof YamlNode.Mapping m) {
                List<YamlNode.Entry> entries = new ArrayList<>();
                for (YamlNode.Entry e : m.list()) {
                    entries.add(new YamlNode.Entry(e.key(), e.keyLocation(), apply(e.value())));
                }
                return new YamlNode.Mapping(entries, m.location());
            }
            if (n instanceof YamlNode.Sequence s) {
                List<YamlNode> items = new ArrayList<>();
                for (YamlNode i : s.values()) items.add(apply(i));
                return new YamlNode.Sequence(items, s.location());
            }
            YamlNode.Scalar s = (YamlNode.Scalar) n;
            String open = Template.unclosed(s.value());
            if (open != null) {
                problems.add(
                        s.location(),
                        "'" + open + "' is not closed: write ${name} with a closing '}' (or $${ for a literal ${)");
                return s;
            }
            if (!Template.hasReferences(s.value())) return s;
            String text = substitute(s.value(), s.location());
            return text == null ? s : YamlNode.Scalar.plain(text, s.location());
        }
    }

    private String substitute(String text, Location where) {
        for (String ref : Template.references(text)) {
            if (!params.containsKey(ref)) {
                problems.add(
                        where,
                        "unknown param ${" + ref + "} in the cluster definition"
                                + Suggest.didYouMean(ref, params.keySet()) + " (params: "
                                + (params.isEmpty() ? "none" : String.join(", ", params.keySet())) + ")");
                return null;
            }
        }
        return Template.substitute(text, params::get);
    }
}
