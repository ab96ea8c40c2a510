package io.vmcluster.cluster.spec;

import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.YamlNode;
import io.vmcluster.yaml.YamlReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cluster definition (format in docs/clusters.md) from a located YAML tree: a cluster
 * file's root, or a mapping inside another file (a scenario's {@code cluster:}), so every problem
 * points at the user's own file, line and column: {@code file:line:column: path: message}. Every
 * problem is reported at once; unknown fields come with a suggestion, unknown nodes with the list
 * of valid ones. A relative image directory ({@code image: images/my-img/out}, anything with a
 * {@code /}) is resolved from the directory of the file it is written in.
 */
public final class ClusterSpecLoader {
    private static final List<String> TOP =
            sorted("name", "nodes", "defaults", "lans", "links", "regions", "wan", "hosts");
    private static final List<String> NODE =
            sorted("name", "image", "memory", "cpus", "params", "kernel_args", "ready_command", "display", "host");
    private static final List<String> DEFAULTS =
            sorted("image", "memory", "cpus", "params", "kernel_args", "ready_command", "display", "host");
    private static final List<String> HOST = sorted("name", "ssh", "vxlan");
    private static final List<String> LAN = sorted("name", "subnet", "nodes");
    private static final List<String> LINK = sorted("between", "subnet");
    private static final List<String> WAN = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("between"), io.vmcluster.fault.ImpairmentYaml.FIELDS.stream())
            .toList();
    private static final Pattern MEMORY = Pattern.compile("(\\d{1,12})\\s*(m|mi|mib|mb|g|gi|gib|gb)?");

    private final Problems problems;
    private final Map<String, Location> positions = new HashMap<>();
    private final Map<String, Location> images = new LinkedHashMap<>();
    private Location rootLocation;

    private ClusterSpecLoader(Problems problems) {
        this.problems = problems;
    }

    /**
     * A definition read from a tree, with where each image was written (for checks that need the
     * host, such as whether an image exists).
     *
     * @param spec the validated definition
     * @param images each image of the spec (as in {@link NodeSpec#image()}) and where it is written first
     */
    public record Loaded(ClusterSpec spec, Map<String, Location> images) {
        public Loaded {
            images = Map.copyOf(images);
        }
    }

    /**
     * Reads a definition file.
     *
     * @throws InvalidClusterSpecException listing every problem, located in the file
     */
    public static ClusterSpec load(Path file) {
        Problems problems = new Problems();
        YamlNode root = YamlReader.read(file, problems);
        return orThrow(root == null ? null : read(root, Map.of(), problems), file.toString(), problems);
    }

    /**
     * Parses definition text; {@code source} names it in error messages (a file name).
     *
     * @throws InvalidClusterSpecException listing every problem, located
     */
    public static ClusterSpec parse(String yaml, String source) {
        Problems problems = new Problems();
        YamlNode root = YamlReader.read(yaml, Path.of(source), problems);
        return orThrow(root == null ? null : read(root, Map.of(), problems), source, problems);
    }

    /**
     * {@link #parse(String, String)} with {@code defaultParams} given to every node, as {@link
     * #read} does (a scenario's params on a cluster booted on other hosts).
     */
    public static ClusterSpec parse(String yaml, String source, Map<String, String> defaultParams) {
        Problems problems = new Problems();
        YamlNode root = YamlReader.read(yaml, Path.of(source), problems);
        return orThrow(root == null ? null : read(root, defaultParams, problems), source, problems);
    }

    /**
     * Reads a definition from a located tree; problems are added to {@code problems}, located where
     * the tree was written.
     *
     * @param defaultParams parameters every node gets unless the definition's node sets its own
     *     (they override the definition's {@code defaults.params}); already checked by the caller
     * @return the definition, or null when there was any problem
     */
    public static Loaded read(YamlNode root, Map<String, String> defaultParams, Problems problems) {
        ClusterSpecLoader l = new ClusterSpecLoader(problems);
        ClusterSpec spec = l.build(root, defaultParams);
        return spec == null ? null : new Loaded(spec, l.images);
    }

    private static ClusterSpec orThrow(Loaded loaded, String source, Problems problems) {
        if (loaded == null || !problems.isEmpty()) {
            throw new InvalidClusterSpecException(
                    source, problems.list().stream().map(Problem::toString).toList());
        }
        return loaded.spec();
    }

    private ClusterSpec build(YamlNode root, Map<String, String> defaultParams) {
        int before = problems.size();
        ClusterDraft draft = new ClusterDraft();
        rootLocation = root.location();
        if (!root.isMap()) {
            problem(
                    root.location(),
                    "",
                    "a cluster definition is a mapping with " + String.join(", ", TOP) + " (e.g. `nodes: 3`)");
            return null;
        }
        positions.put("", root.location());
        Fields top = Fields.atPath(root, "", problems, TOP);
        root.entries().forEach((k, e) -> positions.put(k, e.value().location()));
        if (top.has("name")) {
            draft.name = text(top.get("name"), "name");
        }
        readNodes(top.get("nodes"), draft);
        if (top.has("defaults")) {
            readNode(top.get("defaults"), "defaults", draft.defaults, DEFAULTS);
        }
        defaultParams.forEach((k, v) -> {
            draft.defaults.params.put(k, v);
            positions.putIfAbsent("defaults.params." + k, root.location());
        });
        if (top.has("lans")) {
            draft.lans = new ArrayList<>();
            List<YamlNode> lans = list(top.get("lans"), "lans");
            for (int i = 0; i < lans.size(); i++) {
                draft.lans.add(readLan(lans.get(i), "lans[" + i + "]"));
            }
        }
        if (top.has("links")) {
            List<YamlNode> links = list(top.get("links"), "links");
            for (int i = 0; i < links.size(); i++) {
                draft.links.add(readLink(links.get(i), "links[" + i + "]"));
            }
        }
        if (top.has("regions")) {
            readRegions(top.get("regions"), draft);
        }
        if (top.has("wan")) {
            List<YamlNode> wan = list(top.get("wan"), "wan");
            for (int i = 0; i < wan.size(); i++) {
                readWan(wan.get(i), "wan[" + i + "]", draft);
            }
        }
        if (top.has("hosts")) {
            draft.hosts = new ArrayList<>();
            List<YamlNode> hosts = list(top.get("hosts"), "hosts");
            for (int i = 0; i < hosts.size(); i++) {
                draft.hosts.add(readHost(hosts.get(i), "hosts[" + i + "]"));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        ClusterSpecValidator.Result r = ClusterSpecValidator.validate(draft);
        for (SpecProblem p : r.problems()) {
            problem(locate(p.path()), p.path(), p.message());
        }
        return problems.size() > before ? null : r.spec();
    }

    private void readNodes(YamlNode v, ClusterDraft draft) {
        if (v == null) {
            problem(
                    rootLocation,
                    "nodes",
                    "missing field 'nodes' (a cluster needs 'nodes': a count such as `nodes: 3`, or a list)");
            return;
        }
        if (v instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INT) {
            Long count = wholeNumber(s.value());
            if (count == null || count < 1 || count > ClusterSpecValidator.MAX_NODES) {
                problem(
                        s.location(),
                        "nodes",
                        "node count " + s.value() + " is out of range (1.." + ClusterSpecValidator.MAX_NODES + ")");
                return;
            }
            for (int i = 1; i <= count; i++) {
                draft.nodes.add(new ClusterDraft.NodeDraft("node" + i));
                positions.put("nodes[" + (i - 1) + "]", s.location());
                positions.put("nodes[" + (i - 1) + "].name", s.location());
            }
            return;
        }
        if (!v.isList()) {
            problem(v.location(), "nodes", "expected a node count (e.g. 3) or a list of nodes, found " + v.describe());
            return;
        }
        List<YamlNode> items = v.items();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String path = "nodes[" + i + "]";
            ClusterDraft.NodeDraft n = new ClusterDraft.NodeDraft(null);
            positions.put(path, item.location());
            if (item.isScalar()) {
                n.name = item.text();
                positions.put(path + ".name", item.location());
            } else {
                readNode(item, path, n, NODE);
                if (n.name == null && item.isMap()) {
                    problem(item.location(), path + ".name", "missing field 'name' of node " + (i + 1));
                }
            }
            draft.nodes.add(n);
        }
    }

    private void readNode(YamlNode v, String path, ClusterDraft.NodeDraft n, List<String> allowed) {
        if (!mapping(v, path, allowed)) {
            return;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            String p = path + "." + e.key();
            YamlNode value = e.value();
            positions.put(p, value.location());
            switch (e.key()) {
                case "name" -> n.name = text(value, p);
                case "image" -> {
                    n.image = image(value, p);
                    if (n.image != null) images.putIfAbsent(n.image, value.location());
                }
                case "memory" -> n.memoryMiB = memory(value, p);
                case "cpus" -> n.cpus = integer(value, p);
                case "kernel_args" -> n.kernelArgs = kernelArgs(value, p);
                case "ready_command" -> n.readyCommand = text(value, p);
                case "display" -> n.display = display(value, p);
                case "host" -> n.host = text(value, p);
                case "params" -> {
                    if (mapping(value, p, null)) {
                        for (YamlNode.Entry pe : value.entries().values()) {
                            String pp = p + "." + pe.key();
                            positions.put(pp, pe.keyLocation());
                            if (pe.value().isScalar()) {
                                n.params.put(pe.key(), pe.value().text());
                            } else {
                                problem(
                                        pe.value().location(),
                                        pp,
                                        "a parameter value is a single word, found "
                                                + pe.value().describe());
                            }
                        }
                    }
                }
                default -> {} // reported by Fields
            }
        }
    }

    /**
     * Kernel arguments: one string of words or a list of words. A word with a quote cannot be
     * passed through (the command line is split at white space), and {@code vmc.*} is the
     * runtime's: use {@code params} for those.
     */
    private List<String> kernelArgs(YamlNode v, String path) {
        List<String> words = new ArrayList<>();
        if (v.isList()) {
            List<YamlNode> items = list(v, path);
            for (int i = 0; i < items.size(); i++) {
                String w = text(items.get(i), path + "[" + i + "]");
                if (w != null) words.addAll(List.of(w.trim().split("\\s+")));
            }
        } else {
            String t = text(v, path);
            if (t != null && !t.isBlank()) words.addAll(List.of(t.trim().split("\\s+")));
        }
        for (String w : words) {
            if (w.contains("\"") || w.contains("'")) {
                problem(v.location(), path, "kernel argument '" + w + "' has a quote; write plain words KEY=VALUE");
            } else if (w.startsWith("vmc.")) {
                problem(
                        v.location(),
                        path,
                        "kernel argument '" + w + "': vmc.* arguments come from params (params: {"
                                + w.substring(4).replace("=", ": ") + "})");
            }
        }
        return words;
    }

    /** An image name as written; a directory path relative to the file the definition is written in. */
    private String image(YamlNode v, String path) {
        String image = text(v, path);
        if (image == null || !image.contains("/") || Path.of(image).isAbsolute()) {
            return image;
        }
        Path base = v.location().file().toAbsolutePath().getParent();
        return base == null ? image : base.resolve(image).normalize().toString();
    }

    private ClusterDraft.LanDraft readLan(YamlNode v, String path) {
        ClusterDraft.LanDraft lan = new ClusterDraft.LanDraft(null, null, null);
        positions.put(path, v.location());
        if (!mapping(v, path, LAN)) {
            return lan;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            String p = path + "." + e.key();
            positions.put(p, e.value().location());
            switch (e.key()) {
                case "name" -> lan.name = text(e.value(), p);
                case "subnet" -> lan.subnet = text(e.value(), p);
                case "nodes" -> lan.nodes = names(e.value(), p);
                default -> {}
            }
        }
        if (lan.name == null) {
            problem(v.location(), path + ".name", "missing field 'name' of the LAN");
        }
        return lan;
    }

    private ClusterDraft.HostDraft readHost(YamlNode v, String path) {
        positions.put(path, v.location());
        String name = null;
        String ssh = null;
        String vxlan = null;
        if (mapping(v, path, HOST)) {
            for (YamlNode.Entry e : v.entries().values()) {
                String p = path + "." + e.key();
                positions.put(p, e.value().location());
                switch (e.key()) {
                    case "name" -> name = text(e.value(), p);
                    case "ssh" -> ssh = text(e.value(), p);
                    case "vxlan" -> vxlan = text(e.value(), p);
                    default -> {}
                }
            }
            if (name == null) {
                problem(v.location(), path + ".name", "missing field 'name' of the host (e.g. name: h1)");
            }
            if (ssh == null) {
                problem(v.location(), path + ".ssh", "missing field 'ssh' of the host (e.g. ssh: root@10.0.0.5)");
            }
        }
        return new ClusterDraft.HostDraft(name, ssh, vxlan);
    }

    private ClusterDraft.LinkDraft readLink(YamlNode v, String path) {
        positions.put(path, v.location());
        List<String> between = null;
        String subnet = null;
        if (mapping(v, path, LINK)) {
            for (YamlNode.Entry e : v.entries().values()) {
                String p = path + "." + e.key();
                positions.put(p, e.value().location());
                switch (e.key()) {
                    case "between" -> between = names(e.value(), p);
                    case "subnet" -> subnet = text(e.value(), p);
                    default -> {}
                }
            }
            if (between == null) {
                problem(v.location(), path + ".between", "missing field 'between' (e.g. between: [node1, node2])");
            }
        }
        return new ClusterDraft.LinkDraft(between, subnet);
    }

    private void readRegions(YamlNode v, ClusterDraft draft) {
        if (!mapping(v, "regions", null)) {
            return;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            String p = "regions." + e.key();
            positions.put(p, e.keyLocation());
            draft.regions.put(e.key(), names(e.value(), p));
        }
    }

    private void readWan(YamlNode v, String path, ClusterDraft draft) {
        positions.put(path, v.location());
        if (!mapping(v, path, null)) {
            return;
        }
        Fields f = Fields.atPath(v, path, problems, WAN);
        List<String> between = null;
        if (f.has("between")) {
            positions.put(path + ".between", f.get("between").location());
            between = names(f.get("between"), path + ".between");
        } else {
            problem(v.location(), path + ".between", "missing field 'between' (e.g. between: [eu, us])");
        }
        io.vmcluster.fault.Impairment imp = io.vmcluster.fault.ImpairmentYaml.read(f, path);
        draft.wan.add(new ClusterDraft.WanDraft(between, imp));
    }

    private List<String> names(YamlNode v, String path) {
        List<YamlNode> items = list(v, path);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            positions.put(path + "[" + i + "]", items.get(i).location());
            String name = text(items.get(i), path + "[" + i + "]");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether {@code v} is a mapping (its unknown fields reported when {@code allowed} is given). */
    private boolean mapping(YamlNode v, String path, List<String> allowed) {
        if (v.isMap()) {
            if (allowed != null) {
                Fields.atPath(v, path, problems, allowed);
            }
            return true;
        }
        problem(
                v.location(),
                path,
                "expected a mapping" + (allowed == null ? "" : " with " + String.join(", ", allowed)) + ", found "
                        + v.describe());
        return false;
    }

    private List<YamlNode> list(YamlNode v, String path) {
        if (v.isList()) {
            return v.items();
        }
        problem(v.location(), path, "expected a list, found " + v.describe());
        return List.of();
    }

    private Display display(YamlNode v, String path) {
        String t = text(v, path);
        if (t == null) return null;
        Optional<Display> d = Display.parse(t);
        if (d.isEmpty()) {
            problem(
                    v.location(),
                    path,
                    "display '" + t + "': one of " + String.join(", ", Display.labels())
                            + io.vmcluster.yaml.Suggest.didYouMean(t, Display.labels()));
        }
        return d.orElse(null);
    }

    private String text(YamlNode v, String path) {
        if (v.isScalar()) {
            return v.text();
        }
        problem(v.location(), path, "expected a single value, found " + v.describe());
        return null;
    }

    private Integer integer(YamlNode v, String path) {
        if (v instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INT) {
            Long n = wholeNumber(s.value());
            if (n != null && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return n.intValue();
            }
            problem(v.location(), path, "the number " + s.value() + " is far out of range");
            return null;
        }
        problem(v.location(), path, "expected a whole number, found " + v.describe());
        return null;
    }

    private Integer memory(YamlNode v, String path) {
        if (v.isScalar()) {
            Matcher m = MEMORY.matcher(v.text().strip().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                long mib = m.group(2) != null && m.group(2).startsWith("g") ? n * 1024 : n;
                if (mib <= Integer.MAX_VALUE) {
                    return (int) mib;
                }
            }
        }
        problem(v.location(), path, "expected a memory size in MiB such as 512, 512M or 1G, found " + v.describe());
        return null;
    }

    /** A plain decimal number, or null (hex, octal, sexagesimal or too many digits for a long). */
    private static Long wholeNumber(String text) {
        String t = text.strip();
        if (!t.matches("[+-]?\\d{1,18}")) {
            return null;
        }
        return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
    }

    /** The position of a path, or of its nearest enclosing path that has one. */
    private Location locate(String path) {
        String p = path;
        while (true) {
            Location pos = positions.get(p);
            if (pos != null) {
                return pos;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                Location top = positions.get(p);
                return top != null ? top : positions.getOrDefault("", rootLocation);
            }
            p = p.substring(0, cut);
        }
    }

    private void problem(Location at, String path, String message) {
        problems.add(at, (path.isEmpty() ? "" : path + ": ") + message);
    }

    private static List<String> sorted(String... names) {
        return List.copyOf(new TreeSet<>(Set.of(names)));
    }
}
