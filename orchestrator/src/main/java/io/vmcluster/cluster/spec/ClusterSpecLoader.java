package io.vmcluster.cluster.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vmcluster.cluster.spec.YamlTree.Mapping;
import io.vmcluster.cluster.spec.YamlTree.Node;
import io.vmcluster.cluster.spec.YamlTree.Pos;
import io.vmcluster.cluster.spec.YamlTree.Scalar;
import io.vmcluster.cluster.spec.YamlTree.Sequence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cluster definition from YAML (format in docs/clusters.md). Every problem is reported at
 * once, each as {@code file:line:column: path: message}; unknown fields come with a suggestion,
 * unknown nodes with the list of valid ones.
 */
public final class ClusterSpecLoader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Set<String> TOP = Set.of("name", "nodes", "defaults", "lans", "links");
    private static final Set<String> NODE = Set.of("name", "image", "memory", "cpus", "params");
    private static final Set<String> DEFAULTS = Set.of("image", "memory", "cpus", "params");
    private static final Set<String> LAN = Set.of("name", "subnet", "nodes");
    private static final Set<String> LINK = Set.of("between", "subnet");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*(m|mi|mib|mb|g|gi|gib|gb)?");

    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Pos> positions = new HashMap<>();

    private ClusterSpecLoader(String source) {
        this.source = source;
    }

    /** Reads a definition file. */
    public static ClusterSpec load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cluster definition " + file, e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses definition text; {@code source} names it in error messages (a file name).
     *
     * @throws InvalidClusterSpecException listing every problem, located
     */
    public static ClusterSpec parse(String yaml, String source) {
        return new ClusterSpecLoader(source).run(yaml);
    }

    private ClusterSpec run(String yaml) {
        Node root;
        try (JsonParser p = YAML.createParser(yaml)) {
            root = YamlTree.read(p);
        } catch (JsonProcessingException e) {
            Pos pos = Pos.of(e.getLocation());
            throw new InvalidClusterSpecException(
                    source, List.of(source + ":" + pos + ": not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build(root);
    }

    private ClusterSpec build(Node root) {
        ClusterDraft draft = new ClusterDraft();
        if (!(root instanceof Mapping top)) {
            problem(
                    root == null ? new Pos(1, 1) : root.pos(),
                    "",
                    "a cluster definition is a mapping with " + String.join(", ", sorted(TOP)) + " (e.g. `nodes: 3`)");
            throw failure();
        }
        positions.put("", top.pos());
        checkKeys(top, "", TOP);
        top.entries().forEach((k, e) -> positions.put(k, e.value().pos()));
        if (top.entries().containsKey("name")) {
            draft.name = text(top.entries().get("name").value(), "name");
        }
        readNodes(top.entries().get("nodes"), draft);
        if (top.entries().containsKey("defaults")) {
            readNode(top.entries().get("defaults").value(), "defaults", draft.defaults, DEFAULTS);
        }
        if (top.entries().containsKey("lans")) {
            draft.lans = new ArrayList<>();
            List<Node> lans = list(top.entries().get("lans").value(), "lans");
            for (int i = 0; i < lans.size(); i++) {
                draft.lans.add(readLan(lans.get(i), "lans[" + i + "]"));
            }
        }
        if (top.entries().containsKey("links")) {
            List<Node> links = list(top.entries().get("links").value(), "links");
            for (int i = 0; i < links.size(); i++) {
                draft.links.add(readLink(links.get(i), "links[" + i + "]"));
            }
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        ClusterSpecValidator.Result r = ClusterSpecValidator.validate(draft);
        for (SpecProblem p : r.problems()) {
            problem(locate(p.path()), p.path(), p.message());
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        return r.spec();
    }

    private void readNodes(YamlTree.Entry entry, ClusterDraft draft) {
        if (entry == null) {
            problem(positions.get(""), "nodes", "missing field 'nodes' (a count such as `nodes: 3`, or a list)");
            return;
        }
        Node v = entry.value();
        if (v instanceof Scalar s && s.isInteger()) {
            int count = Integer.parseInt(s.text());
            if (count < 1 || count > 240) {
                problem(s.pos(), "nodes", "node count " + count + " is out of range (1..240)");
                return;
            }
            for (int i = 1; i <= count; i++) {
                draft.nodes.add(new ClusterDraft.NodeDraft("node" + i));
                positions.put("nodes[" + (i - 1) + "]", s.pos());
                positions.put("nodes[" + (i - 1) + "].name", s.pos());
            }
            return;
        }
        if (!(v instanceof Sequence seq)) {
            problem(v.pos(), "nodes", "expected a node count (e.g. 3) or a list of nodes, found " + v.describe());
            return;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            Node item = seq.items().get(i);
            String path = "nodes[" + i + "]";
            ClusterDraft.NodeDraft n = new ClusterDraft.NodeDraft(null);
            positions.put(path, item.pos());
            if (item instanceof Scalar s && s.text() != null) {
                n.name = s.text();
                positions.put(path + ".name", s.pos());
            } else {
                readNode(item, path, n, NODE);
                if (n.name == null && item instanceof Mapping) {
                    problem(item.pos(), path + ".name", "missing field 'name' of node " + (i + 1));
                }
            }
            draft.nodes.add(n);
        }
    }

    private void readNode(Node v, String path, ClusterDraft.NodeDraft n, Set<String> allowed) {
        Mapping m = mapping(v, path, allowed);
        if (m == null) {
            return;
        }
        for (YamlTree.Entry e : m.entries().values()) {
            String p = path + "." + e.key();
            positions.put(p, e.value().pos());
            switch (e.key()) {
                case "name" -> n.name = text(e.value(), p);
                case "image" -> n.image = text(e.value(), p);
                case "memory" -> n.memoryMiB = memory(e.value(), p);
                case "cpus" -> n.cpus = integer(e.value(), p);
                case "params" -> {
                    Mapping params = mapping(e.value(), p, null);
                    if (params != null) {
                        for (YamlTree.Entry pe : params.entries().values()) {
                            String pp = p + "." + pe.key();
                            positions.put(pp, pe.value().pos());
                            if (pe.value() instanceof Scalar s && s.text() != null) {
                                n.params.put(pe.key(), s.text());
                            } else {
                                problem(
                                        pe.value().pos(),
                                        pp,
                                        "a parameter value is a single word, found "
                                                + pe.value().describe());
                            }
                        }
                    }
                }
                default -> {} // reported by checkKeys
            }
        }
    }

    private ClusterDraft.LanDraft readLan(Node v, String path) {
        ClusterDraft.LanDraft lan = new ClusterDraft.LanDraft(null, null, null);
        positions.put(path, v.pos());
        Mapping m = mapping(v, path, LAN);
        if (m == null) {
            return lan;
        }
        for (YamlTree.Entry e : m.entries().values()) {
            String p = path + "." + e.key();
            positions.put(p, e.value().pos());
            switch (e.key()) {
                case "name" -> lan.name = text(e.value(), p);
                case "subnet" -> lan.subnet = text(e.value(), p);
                case "nodes" -> lan.nodes = names(e.value(), p);
                default -> {}
            }
        }
        if (lan.name == null) {
            problem(m.pos(), path + ".name", "missing field 'name' of the LAN");
        }
        return lan;
    }

    private ClusterDraft.LinkDraft readLink(Node v, String path) {
        positions.put(path, v.pos());
        Mapping m = mapping(v, path, LINK);
        List<String> between = null;
        String subnet = null;
        if (m != null) {
            for (YamlTree.Entry e : m.entries().values()) {
                String p = path + "." + e.key();
                positions.put(p, e.value().pos());
                switch (e.key()) {
                    case "between" -> between = names(e.value(), p);
                    case "subnet" -> subnet = text(e.value(), p);
                    default -> {}
                }
            }
            if (between == null) {
                problem(m.pos(), path + ".between", "missing field 'between' (e.g. between: [node1, node2])");
            }
        }
        return new ClusterDraft.LinkDraft(between, subnet);
    }

    private List<String> names(Node v, String path) {
        List<Node> items = list(v, path);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            positions.put(path + "[" + i + "]", items.get(i).pos());
            String name = text(items.get(i), path + "[" + i + "]");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private Mapping mapping(Node v, String path, Set<String> allowed) {
        if (v instanceof Mapping m) {
            if (allowed != null) {
                checkKeys(m, path, allowed);
            }
            return m;
        }
        problem(
                v.pos(),
                path,
                "expected a mapping" + (allowed == null ? "" : " with " + String.join(", ", sorted(allowed)))
                        + ", found " + v.describe());
        return null;
    }

    private List<Node> list(Node v, String path) {
        if (v instanceof Sequence s) {
            return s.items();
        }
        problem(v.pos(), path, "expected a list, found " + v.describe());
        return List.of();
    }

    private String text(Node v, String path) {
        if (v instanceof Scalar s && s.text() != null) {
            return s.text();
        }
        problem(v.pos(), path, "expected a single value, found " + v.describe());
        return null;
    }

    private Integer integer(Node v, String path) {
        if (v instanceof Scalar s && s.isInteger()) {
            return Integer.valueOf(s.text());
        }
        problem(v.pos(), path, "expected a whole number, found " + v.describe());
        return null;
    }

    private Integer memory(Node v, String path) {
        if (v instanceof Scalar s && s.text() != null) {
            Matcher m = MEMORY.matcher(s.text().strip().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                long mib = m.group(2) != null && m.group(2).startsWith("g") ? n * 1024 : n;
                if (mib <= Integer.MAX_VALUE) {
                    return (int) mib;
                }
            }
        }
        problem(v.pos(), path, "expected a memory size in MiB such as 512, 512M or 1G, found " + v.describe());
        return null;
    }

    private void checkKeys(Mapping m, String path, Set<String> allowed) {
        for (YamlTree.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                String p = path.isEmpty() ? e.key() : path + "." + e.key();
                String near = Suggestions.closest(e.key(), allowed);
                problem(
                        e.keyPos(),
                        p,
                        "unknown field '" + e.key() + "'"
                                + (near == null ? "" : "; did you mean '" + near + "'?")
                                + " (valid here: " + String.join(", ", sorted(allowed)) + ")");
            }
        }
    }

    /** The position of a path, or of its nearest enclosing path that has one. */
    private Pos locate(String path) {
        String p = path;
        while (true) {
            Pos pos = positions.get(p);
            if (pos != null) {
                return pos;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                Pos top = positions.get(p.isEmpty() ? "" : p);
                return top != null ? top : positions.getOrDefault("", new Pos(1, 1));
            }
            p = p.substring(0, cut);
        }
    }

    private void problem(Pos pos, String path, String message) {
        Pos at = pos == null ? new Pos(1, 1) : pos;
        problems.add(source + ":" + at + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private InvalidClusterSpecException failure() {
        return new InvalidClusterSpecException(source, problems);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted(Comparator.naturalOrder()).toList();
    }
}
