package io.vmcluster.image.definition;

import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Puts an image definition on top of the shared runtime and checks what neither can alone. */
final class DefinitionCombiner {
    private DefinitionCombiner() {}

    static ImageDefinition combine(ImageDefinition runtime, ImageDefinition image, Problems problems) {
        Map<String, Location> packages = new LinkedHashMap<>(runtime.packages());
        image.packages().forEach(packages::putIfAbsent);
        List<String> modules = new ArrayList<>(runtime.modules());
        image.modules().stream().filter(m -> !modules.contains(m)).forEach(modules::add);
        List<FileEntry> files = new ArrayList<>(runtime.files());
        files.addAll(image.files());

        Map<String, String> params = new LinkedHashMap<>(runtime.params());
        image.params().forEach((k, v) -> {
            if (params.containsKey(k)) {
                problems.add(
                        Location.of(image.file()),
                        "params: '" + k + "' is already a param of the shared runtime (" + runtime.file()
                                + "): choose another name");
            } else {
                params.put(k, v);
            }
        });

        List<ServiceDefinition> services = new ArrayList<>(runtime.services());
        Map<String, ServiceDefinition> byName = new HashMap<>();
        Map<String, ServiceDefinition> byPort = new HashMap<>();
        runtime.services().forEach(s -> remember(s, byName, byPort, problems));
        for (ServiceDefinition s : image.services()) {
            if (remember(s, byName, byPort, problems)) {
                services.add(s);
            }
        }
        for (ServiceDefinition s : services) {
            for (String dep : s.dependsOn()) {
                if (!byName.containsKey(dep)) {
                    problems.add(
                            s.location(),
                            "service '" + s.name() + "' depends on '" + dep + "', which is no service"
                                    + DefinitionReader.suggestion(dep, byName.keySet()) + " (services: "
                                    + String.join(
                                            ", ",
                                            byName.keySet().stream().sorted().toList()) + ")");
                }
            }
        }
        cycles(services, byName, problems);

        image.readiness()
                .ifPresent(r -> r.ports().orElse(List.of()).forEach(p -> {
                    ServiceDefinition s = byName.get(p);
                    if (s == null) {
                        problems.add(
                                r.location(),
                                "readiness.ports: '" + p + "' is no service"
                                        + DefinitionReader.suggestion(p, byName.keySet()));
                    } else if (s.port().isEmpty() || s.protocol() != ServiceDefinition.Protocol.TCP) {
                        problems.add(r.location(), "readiness.ports: service '" + p + "' has no TCP port to wait for");
                    }
                }));
        return new ImageDefinition(
                image.name(),
                image.version(),
                image.description(),
                image.file(),
                packages,
                modules,
                files,
                services,
                params,
                image.minMemoryMiB().or(runtime::minMemoryMiB),
                image.dataDiskMiB().or(runtime::dataDiskMiB),
                image.readiness());
    }

    /** Registers a service; false (with a problem) when its name or its port is taken. */
    private static boolean remember(
            ServiceDefinition s,
            Map<String, ServiceDefinition> byName,
            Map<String, ServiceDefinition> byPort,
            Problems problems) {
        ServiceDefinition same = byName.get(s.name());
        if (same != null) {
            problems.add(
                    s.location(),
                    "service '" + s.name() + "' is already defined at " + same.location()
                            + " (the shared runtime's services are sshd and qemu-ga in every image)");
            return false;
        }
        if (s.port().isPresent()) {
            String key = s.port().get() + "/" + s.protocol().label();
            ServiceDefinition other = byPort.get(key);
            if (other != null) {
                problems.add(
                        s.location(),
                        "service '" + s.name() + "' uses port " + key + ", as does service '" + other.name() + "' ("
                                + other.location() + "): one port, one service");
                return false;
            }
            byPort.put(key, s);
        }
        byName.put(s.name(), s);
        return true;
    }

    private static void cycles(
            List<ServiceDefinition> services, Map<String, ServiceDefinition> byName, Problems problems) {
        Set<String> done = new HashSet<>();
        for (ServiceDefinition s : services) {
            List<String> path = new ArrayList<>();
            if (cycle(s, byName, done, path)) {
                problems.add(s.location(), "services depend on each other in a circle: " + String.join(" -> ", path));
                return;
            }
        }
    }

    private static boolean cycle(
            ServiceDefinition s, Map<String, ServiceDefinition> byName, Set<String> done, List<String> path) {
        if (path.contains(s.name())) {
            path.add(s.name());
            return true;
        }
        if (done.contains(s.name())) {
            return false;
        }
        path.add(s.name());
        for (String dep : s.dependsOn()) {
            ServiceDefinition d = byName.get(dep);
            if (d != null && cycle(d, byName, done, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        done.add(s.name());
        return false;
    }
}
