package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node with its place in the file (SnakeYAML's composed node graph, as read by
 * jackson-dataformat-yaml's parser underneath), with just the accessors the scenario parser needs.
 */
public record YNode(Node node, Path file) {

    public Location location() {
        return new Location(
                file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    public boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    /** The scalar's text (null for a YAML null). */
    public String text() {
        return node instanceof ScalarNode s && !isNull() ? s.getValue() : null;
    }

    /** Whether the scalar was written as an integer (unquoted digits). */
    public boolean isInt() {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.INT);
    }

    /** What kind of node this is, for messages: "a mapping", "a list", "text", "nothing". */
    public String kind() {
        if (isMap()) return "a mapping";
        if (isList()) return "a list";
        if (isNull()) return "nothing";
        return "'" + text() + "'";
    }

    public List<YNode> items() {
        List<YNode> out = new ArrayList<>();
        if (node instanceof SequenceNode s) {
            for (Node n : s.getValue()) out.add(new YNode(n, file));
        }
        return out;
    }

    /** A mapping entry with the key's own location. */
    public record Entry(String key, YNode keyNode, YNode value) {}

    /** The entries in file order; duplicate keys are reported. */
    public Map<String, Entry> entries(Problems problems) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                YNode k = new YNode(t.getKeyNode(), file);
                YNode v = new YNode(t.getValueNode(), file);
                String key = k.isScalar() ? k.text() : null;
                if (key == null) {
                    problems.add(k.location(), "a key must be a plain name, found " + k.kind());
                    continue;
                }
                if (out.containsKey(key)) {
                    problems.add(
                            k.location(),
                            "'" + key + "' is given twice (first at "
                                    + out.get(key).keyNode().location() + ")");
                    continue;
                }
                out.put(key, new Entry(key, k, v));
            }
        }
        return out;
    }
}
