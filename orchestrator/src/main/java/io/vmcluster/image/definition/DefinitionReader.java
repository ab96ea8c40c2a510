package io.vmcluster.image.definition;

import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import io.vmcluster.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads an {@code image.yaml} (format in docs/images.md) into an {@link ImageDefinition}, with
 * every problem located ({@code file:line:column}, the field, what is valid, a did-you-mean).
 * What one file can check is checked here (types, names, file sources that exist, params that
 * services use); what needs the runtime too (name clashes, port clashes, depends-on, readiness) is
 * checked by {@link #combine}. Nothing is downloaded or booted.
 */
public final class DefinitionReader {
    static final List<String> TOP = List.of(
            "name",
            "version",
            "description",
            "packages",
            "modules",
            "files",
            "services",
            "params",
            "min_memory_mib",
            "data_disk_mib",
            "readiness");
    private static final List<String> FILE = List.of("source", "mode", "at_build");
    private static final List<String> READINESS = List.of("ports", "command");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]{1,100}");
    private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    private static final List<String> SYSTEM_DIRS = List.of("/proc", "/sys", "/dev", "/run");

    private final Path file;
    private final Problems problems;

    private DefinitionReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * Reads one definition file; problems go to {@code problems}.
     *
     * @return the definition, or null when the file could not be read as one at all
     */
    public static ImageDefinition read(Path file, Problems problems) {
        YamlNode root = YamlReader.read(file, problems);
        return root == null ? null : new DefinitionReader(file, problems).definition(root);
    }

    /**
     * Reads one definition file.
     *
     * @throws InvalidDefinitionException listing every problem
     */
    public static ImageDefinition read(Path file) {
        Problems problems = new Problems();
        ImageDefinition d = read(file, problems);
        if (d == null || !problems.isEmpty()) {
            throw new InvalidDefinitionException(problems.sorted());
        }
        return d;
    }

    /**
     * The image as the builder builds it: the runtime's packages, modules, files, services and
     * params, then the image's. A service name or a port used by both, or twice, a depends-on or a
     * readiness port naming no service, and a dependency cycle are problems, located in the image.
     */
    public static ImageDefinition combine(ImageDefinition runtime, ImageDefinition image, Problems problems) {
        return DefinitionCombiner.combine(runtime, image, problems);
    }

    private ImageDefinition definition(YamlNode root) {
        if (!root.isMap()) {
            problems.add(
                    root.location(),
                    "an image definition is a mapping with " + String.join(", ", TOP) + ", found " + root.describe());
            return null;
        }
        Fields f = new Fields(root, "the image definition", problems, TOP, true);
        String dirName = directory().getFileName() == null
                ? "image"
                : directory().getFileName().toString();
        String name = f.has("name") ? f.string("name", false, "the image's name") : dirName;
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(
                    f.locationOf("name"),
                    "'name' must be lower-case letters, digits, '.', '_' or '-' (at most 63, starting with a"
                            + " letter or digit), found '" + name + "'");
        }
        String version =
                Optional.ofNullable(f.string("version", false, "free text")).orElse("1");
        String description =
                Optional.ofNullable(f.string("description", false, "one line")).orElse("");
        Map<String, Location> packages = names(f, "packages", PACKAGE, "a Debian package name like etcd-server");
        List<String> modules = new ArrayList<>(names(f, "modules", MODULE, "a kernel module name like sch_netem")
                .keySet());
        List<FileEntry> files = files(f.get("files"));
        Map<String, String> params = params(f.get("params"));
        List<ServiceDefinition> services = new ServiceReader(this, params.keySet()).services(f.get("services"));
        Optional<Integer> memory =
                Optional.ofNullable(f.integer("min_memory_mib", 64, 1 << 20)).map(Long::intValue);
        Optional<Integer> disk =
                Optional.ofNullable(f.integer("data_disk_mib", 16, 1 << 20)).map(Long::intValue);
        Optional<ImageDefinition.Readiness> readiness = readiness(f.get("readiness"));
        return new ImageDefinition(
                name == null ? dirName : name,
                version,
                description,
                file,
                packages,
                modules,
                files,
                services,
                params,
                memory,
                disk,
                readiness);
    }

    Problems problems() {
        return problems;
    }

    Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** A path relative to the definition directory that must exist; null (with a problem) if not. */
    Path source(String text, Location at, String what) {
        Path p = Path.of(text);
        if (p.isAbsolute()) {
            problems.add(
                    at,
                    what + " must be relative to the definition's directory " + directory() + ", found '" + text
                            + "' (a host file given at build time is an entry with 'at_build: true')");
            return null;
        }
        Path resolved = directory().resolve(p).normalize();
        if (!Files.exists(resolved)) {
            problems.add(at, what + " '" + text + "' does not exist (looked for " + resolved + ")");
            return null;
        }
        return resolved;
    }

    private Map<String, Location> names(Fields f, String key, Pattern valid, String expected) {
        Map<String, Location> out = new LinkedHashMap<>();
        YamlNode v = f.get(key);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isList()) {
            problems.add(v.location(), "'" + key + "' must be a list (each " + expected + "), found " + v.describe());
            return out;
        }
        for (YamlNode item : v.items()) {
            String t = item.text();
            if (t == null || !valid.matcher(t).matches()) {
                problems.add(
                        item.location(), "each of '" + key + "' must be " + expected + ", found " + item.describe());
            } else if (out.containsKey(t)) {
                problems.add(
                        item.location(), "'" + t + "' is listed twice in '" + key + "' (first at " + out.get(t) + ")");
            } else {
                out.put(t, item.location());
            }
        }
        return out;
    }

    private List<FileEntry> files(YamlNode v) {
        List<FileEntry> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isMap()) {
            problems.add(
                    v.location(),
                    "'files' must be a mapping of guest path to source (e.g. `/usr/bin/kvd: kvd`)," + " found "
                            + v.describe());
            return out;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            String dest = e.key();
            if (!dest.startsWith("/") || dest.contains("/../") || dest.endsWith("/..")) {
                problems.add(
                        e.keyLocation(), "files: the guest path must be absolute without '..', found '" + dest + "'");
                continue;
            }
            if (SYSTEM_DIRS.stream().anyMatch(d -> dest.equals(d) || dest.startsWith(d + "/"))) {
                problems.add(
                        e.keyLocation(),
                        "files: '" + dest + "' is under " + String.join(", ", SYSTEM_DIRS)
                                + ", which the guest mounts at boot: nothing put there would be seen");
                continue;
            }
            YamlNode value = e.value();
            if (value.isScalar()) {
                Path src = source(value.text(), value.location(), "files: the source of " + dest);
                if (src != null) {
                    out.add(new FileEntry(dest, Optional.of(src), Optional.empty(), e.keyLocation()));
                }
                continue;
            }
            Fields ff = new Fields(value, "the file " + dest, problems, FILE);
            Boolean atBuild = ff.bool("at_build");
            String srcText = ff.string("source", false, "a path relative to the definition's directory");
            Optional<Integer> mode = mode(ff);
            if (Boolean.TRUE.equals(atBuild)) {
                if (srcText != null) {
                    problems.add(
                            ff.locationOf("source"),
                            "the file " + dest + " has both 'source' and 'at_build: true':"
                                    + " give one (at_build files come from `vmcluster image build --file " + dest
                                    + "=PATH`)");
                }
                out.add(new FileEntry(dest, Optional.empty(), mode, e.keyLocation()));
            } else if (srcText == null) {
                if (!ff.has("source")) {
                    ff.missing("source", "a path relative to the definition's directory, or 'at_build: true'");
                }
            } else {
                Path src = source(srcText, ff.locationOf("source"), "files: the source of " + dest);
                if (src != null) {
                    out.add(new FileEntry(dest, Optional.of(src), mode, e.keyLocation()));
                }
            }
        }
        return out;
    }

    private Optional<Integer> mode(Fields ff) {
        String m = ff.string("mode", false, "an octal mode like \"0755\"");
        if (m == null) {
            return Optional.empty();
        }
        if (!MODE.matcher(m).matches()) {
            problems.add(
                    ff.locationOf("mode"), "'mode' must be an octal mode like \"0755\" (quoted), found '" + m + "'");
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(m, 8));
    }

    private Map<String, String> params(YamlNode v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isMap()) {
            problems.add(
                    v.location(),
                    "'params' must be a mapping of param to default (e.g. `jobq.mode: replicated`)," + " found "
                            + v.describe());
            return out;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            String k = e.key();
            if (!PARAM.matcher(k).matches()) {
                problems.add(
                        e.keyLocation(), "params: '" + k + "' is not a param name (letters, digits, '_', '.', '-')");
            } else if (GuestContract.reserved(k)) {
                problems.add(
                        e.keyLocation(),
                        "params: '" + k + "' is set by the orchestrator for every node ("
                                + String.join(", ", GuestContract.PARAMS) + ", svc.*): choose another name");
            } else if (!e.value().isScalar() || e.value().text().contains(" ")) {
                problems.add(
                        e.value().location(),
                        "params: the default of '" + k + "' must be text without spaces"
                                + " (it travels on the kernel command line), found "
                                + e.value().describe());
            } else {
                out.put(k, e.value().text());
            }
        }
        return out;
    }

    private Optional<ImageDefinition.Readiness> readiness(YamlNode v) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        Fields rf = new Fields(v, "readiness", problems, READINESS);
        if (!v.isMap()) {
            problems.add(
                    v.location(), "'readiness' must be a mapping like `ports: [etcd, sshd]`, found " + v.describe());
            return Optional.empty();
        }
        Optional<List<String>> ports = rf.has("ports") ? Optional.of(rf.strings("ports")) : Optional.empty();
        Optional<String> command = Optional.ofNullable(
                        rf.string("command", false, "a guest command that exits 0 once the node is ready"))
                .filter(c -> !c.isBlank());
        if (ports.isEmpty() && command.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new ImageDefinition.Readiness(ports, command, rf.has("ports") ? rf.locationOf("ports") : v.location()));
    }

    /** "; did you mean 'x'?" against {@code known}. */
    static String suggestion(String word, java.util.Collection<String> known) {
        return Suggest.didYouMean(word, known);
    }
}
