package io.vmcluster.scenario.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.cluster.spec.InvalidClusterSpecException;
import io.vmcluster.scenario.ClusterSource;
import io.vmcluster.scenario.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a scenario's {@code cluster:}: either inline (a mapping in the cluster-file format of
 * docs/clusters.md) or the path of a cluster file, relative to the scenario. Scenario params may
 * be used in it as {@code ${KEY}}. Only what the scenario needs before boot is checked here (the
 * node names); the cluster runtime validates the rest when it loads the definition.
 */
final class ClusterParser {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Problems problems;
    private final Map<String, String> params;

    ClusterParser(Problems problems, Map<String, String> params) {
        this.problems = problems;
        this.params = params;
    }

    ClusterSource parse(YNode value, Path scenarioFile) {
        if (value.isScalar()) {
            String ref = substitute(value);
            Path base = scenarioFile.toAbsolutePath().getParent();
            Path file = base.resolve(ref).normalize();
            YNode root = YamlReader.read(file, problems);
            if (root == null) {
                if (!java.nio.file.Files.exists(file)) {
                    problems.add(value.location(), "cluster file '" + ref + "' not found (looked for " + file + ")");
                }
                return null;
            }
            return fromMapping(root, file);
        }
        if (!value.isMap()) {
            problems.add(
                    value.location(),
                    "'cluster' must be a mapping (the cluster definition, e.g. {image: etcd-test, "
                            + "nodes: 3}) or the path of a cluster file, found " + value.kind());
            return null;
        }
        return fromMapping(value, null);
    }

    private ClusterSource fromMapping(YNode root, Path file) {
        if (!root.isMap()) {
            problems.add(root.location(), "a cluster definition must be a mapping, found " + root.kind());
            return null;
        }
        ObjectNode tree = (ObjectNode) toJson(root);
        List<String> nodes = nodeNames(root);
        if (nodes == null) return null;
        ObjectNode defaults = tree.has("defaults") && tree.get("defaults").isObject()
                ? (ObjectNode) tree.get("defaults")
                : tree.putObject("defaults");
        ObjectNode defaultParams =
                defaults.has("params") && defaults.get("params").isObject()
                        ? (ObjectNode) defaults.get("params")
                        : defaults.putObject("params");
        params.forEach((k, v) -> {
            if (v.chars().noneMatch(Character::isWhitespace)) defaultParams.put(k, v); // else reported already
        });
        String source = file != null ? file.toString() : "the cluster in " + root.file();
        try {
            ClusterSpec spec = ClusterSpecLoader.parse(YAML.writeValueAsString(tree), source);
            return new ClusterSource(tree, spec, file, root.location(), spec.nodeNames());
        } catch (InvalidClusterSpecException e) {
            for (String p : e.problems()) {
                problems.add(root.location(), "cluster: " + p);
            }
            return null;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the cluster definition as YAML", e);
        }
    }

    private List<String> nodeNames(YNode root) {
        YNode.Entry e = root.entries(new Problems()).get("nodes");
        if (e == null) {
            problems.add(
                    root.location(), "the cluster needs 'nodes': a count (nodes: 3 → node1..node3) or a list of nodes");
            return null;
        }
        YNode v = e.value();
        if (v.isScalar()) {
            String t = substitute(v);
            try {
                int n = Integer.parseInt(t.strip());
                if (n < 1 || n > 64) throw new NumberFormatException();
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= n; i++) out.add("node" + i);
                return out;
            } catch (NumberFormatException ex) {
                problems.add(
                        v.location(), "'nodes' must be a count from 1 to 64 or a list of nodes, found '" + t + "'");
                return null;
            }
        }
        if (!v.isList() || v.items().isEmpty()) {
            problems.add(v.location(), "'nodes' must be a count from 1 to 64 or a list of nodes, found " + v.kind());
            return null;
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (YNode item : v.items()) {
            i++;
            String name = null;
            if (item.isScalar()) {
                name = item.text();
            } else if (item.isMap()) {
                YNode.Entry n = item.entries(new Problems()).get("name");
                name = n == null ? "node" + i : n.value().text();
            }
            if (name == null || !name.matches("[a-z][a-z0-9-]{0,30}")) {
                problems.add(
                        item.location(),
                        "a node needs a name of lower-case letters, digits and '-', found " + item.kind());
                continue;
            }
            if (out.contains(name)) problems.add(item.location(), "node '" + name + "' is defined twice");
            out.add(name);
        }
        return out;
    }

    private JsonNode toJson(YNode n) {
        if (n.isMap()) {
            ObjectNode o = JSON.objectNode();
            for (YNode.Entry e : n.entries(problems).values()) o.set(e.key(), toJson(e.value()));
            return o;
        }
        if (n.isList()) {
            ArrayNode a = JSON.arrayNode();
            for (YNode i : n.items()) a.add(toJson(i));
            return a;
        }
        if (n.isNull()) return JSON.nullNode();
        Tag tag = ((ScalarNode) n.node()).getTag();
        String text = substitute(n);
        if (text.equals(n.text())) {
            if (tag.equals(Tag.INT)) {
                try {
                    return JSON.numberNode(Long.parseLong(text));
                } catch (NumberFormatException ignored) {
                    // falls through to text
                }
            }
            if (tag.equals(Tag.BOOL)) return JSON.booleanNode(Boolean.parseBoolean(text));
            if (tag.equals(Tag.FLOAT)) return JSON.numberNode(Double.parseDouble(text));
        }
        if (!text.equals(n.text()) && text.matches("-?\\d{1,18}")) {
            return JSON.numberNode(Long.parseLong(text)); // nodes: ${count}
        }
        return JSON.textNode(text);
    }

    private String substitute(YNode n) {
        String text = n.text();
        for (String ref : Template.references(text)) {
            if (!params.containsKey(ref)) {
                problems.add(
                        n.location(),
                        "unknown param ${" + ref + "} in the cluster definition"
                                + Suggest.didYouMean(ref, params.keySet()) + " (params: "
                                + String.join(", ", params.keySet()) + ")");
                return text;
            }
        }
        return Template.substitute(text, params::get);
    }
}
