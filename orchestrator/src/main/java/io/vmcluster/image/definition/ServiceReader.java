package io.vmcluster.image.definition;

import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads the {@code services:} mapping of an image definition (part of {@link DefinitionReader}). */
final class ServiceReader {
    static final List<String> SERVICE = List.of(
            "command", "script", "environment", "workdir", "user", "port", "protocol", "depends_on", "restart", "boot");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final DefinitionReader reader;
    private final Problems problems;
    private final Set<String> params;

    ServiceReader(DefinitionReader reader, Collection<String> params) {
        this.reader = reader;
        this.problems = reader.problems();
        this.params = new TreeSet<>(params);
        this.params.addAll(GuestContract.PARAMS);
    }

    List<ServiceDefinition> services(YamlNode v) {
        List<ServiceDefinition> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isMap()) {
            problems.add(
                    v.location(),
                    "'services' must be a mapping of service name to its definition"
                            + " (e.g. `kvd: {command: exec kvd, port: 7000}`), found " + v.describe());
            return out;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            ServiceDefinition s = service(e);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private ServiceDefinition service(YamlNode.Entry e) {
        String name = e.key();
        int before = problems.size();
        if (!NAME.matcher(name).matches()) {
            problems.add(
                    e.keyLocation(),
                    "services: '" + name + "' is not a service name (lower-case letter, then"
                            + " lower-case letters, digits, '_' or '-'; at most 32)");
        }
        if (!e.value().isMap()) {
            problems.add(
                    e.value().location(),
                    "services." + name + " must be a mapping with " + String.join(", ", SERVICE) + ", found "
                            + e.value().describe());
            return null;
        }
        String what = "service '" + name + "'";
        Fields f = new Fields(e.value(), what, problems, SERVICE);
        String command = f.string("command", false, "a shell command run in the foreground");
        String scriptText = f.string("script", false, "a run script in the definition's directory");
        Path script = null;
        if (command == null && scriptText == null && !f.has("command") && !f.has("script")) {
            problems.add(
                    e.keyLocation(),
                    what + " needs 'command' (a shell command run in the foreground, e.g."
                            + " `exec kvd --port 7000`) or 'script' (a run script in the definition's directory)");
        } else if (command != null && scriptText != null) {
            problems.add(f.locationOf("script"), what + " has both 'command' and 'script': give one");
        } else if (scriptText != null) {
            script = reader.source(scriptText, f.locationOf("script"), what + ": the script");
        }
        if (command != null) {
            references(command, f.locationOf("command"), what);
        }
        Map<String, String> env = environment(f, what);
        String workdir = f.string("workdir", false, "an absolute directory in the guest");
        if (workdir != null && !workdir.startsWith("/")) {
            problems.add(
                    f.locationOf("workdir"),
                    "'workdir' of " + what + " must be an absolute path, found '" + workdir + "'");
        }
        String user = f.string("user", false, "a user of the guest's /etc/passwd");
        if (user != null && !USER.matcher(user).matches()) {
            problems.add(
                    f.locationOf("user"), "'user' of " + what + " must be a user name like kvd, found '" + user + "'");
        }
        Long port = f.integer("port", 1, 65535);
        ServiceDefinition.Protocol protocol =
                choice(f, "protocol", ServiceDefinition.Protocol.values(), ServiceDefinition.Protocol.TCP);
        if (f.has("protocol") && port == null && !f.has("port")) {
            problems.add(f.locationOf("protocol"), what + " has a 'protocol' but no 'port'");
        }
        ServiceDefinition.Restart restart =
                choice(f, "restart", ServiceDefinition.Restart.values(), ServiceDefinition.Restart.ALWAYS);
        Boolean boot = f.bool("boot");
        List<String> deps = f.strings("depends_on");
        if (problems.size() > before) {
            return null;
        }
        return new ServiceDefinition(
                name,
                Optional.ofNullable(command),
                Optional.ofNullable(script),
                env,
                Optional.ofNullable(workdir),
                Optional.ofNullable(user),
                Optional.ofNullable(port).map(Long::intValue),
                protocol,
                deps,
                restart,
                boot == null || boot,
                e.keyLocation());
    }

    private Map<String, String> environment(Fields f, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        YamlNode v = f.get("environment");
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isMap()) {
            problems.add(
                    v.location(),
                    "'environment' of " + what + " must be a mapping of variable to value"
                            + " (e.g. `KVD_NODE: ${vmc.name}`), found " + v.describe());
            return out;
        }
        for (YamlNode.Entry e : v.entries().values()) {
            if (!ENV.matcher(e.key()).matches()) {
                problems.add(
                        e.keyLocation(),
                        "environment of " + what + ": '" + e.key()
                                + "' is not a variable name (letters, digits, '_'; not starting with a digit)");
            } else if (!e.value().isScalar()) {
                problems.add(
                        e.value().location(),
                        "environment of " + what + ": '" + e.key() + "' must be text, found "
                                + e.value().describe());
            } else {
                references(e.value().text(), e.value().location(), what);
                out.put(e.key(), e.value().text());
            }
        }
        return out;
    }

    private void references(String text, Location at, String what) {
        for (String key : GuestContract.references(text)) {
            if (!params.contains(key)) {
                problems.add(
                        at,
                        what + " uses '${vmc." + key + "}', but the image has no param '" + key + "'"
                                + DefinitionReader.suggestion(key, params) + " (params: " + String.join(", ", params)
                                + "; declare it under 'params:' with its default)");
            }
        }
    }

    private <E extends Enum<E>> E choice(Fields f, String key, E[] values, E fallback) {
        String t = f.string(key, false, "one of " + labels(values));
        if (t == null) {
            return fallback;
        }
        for (E v : values) {
            if (label(v).equals(t)) {
                return v;
            }
        }
        List<String> valid = labels(values);
        problems.add(
                f.locationOf(key),
                "'" + key + "' must be one of " + String.join(", ", valid) + ", found '" + t + "'"
                        + DefinitionReader.suggestion(t, valid));
        return fallback;
    }

    private static <E extends Enum<E>> List<String> labels(E[] values) {
        List<String> out = new ArrayList<>();
        for (E v : values) {
            out.add(label(v));
        }
        return out;
    }

    private static String label(Enum<?> v) {
        return v.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
