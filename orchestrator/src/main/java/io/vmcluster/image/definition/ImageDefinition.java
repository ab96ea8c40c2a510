package io.vmcluster.image.definition;

import io.vmcluster.yaml.Location;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an image is made of, read from an {@code image.yaml} (format in docs/images.md) by
 * {@link DefinitionReader}: Debian packages, kernel modules, files, services, params, memory and
 * data disk, readiness. The shared guest runtime ({@code images/runtime/runtime.yaml}) is a
 * definition too; {@link DefinitionReader#combine} puts an image on top of it, which is what the
 * builder builds.
 *
 * @param name the image's name (its directory's name unless {@code name:} says otherwise)
 * @param version free text, copied to image.json
 * @param description one line for {@code vmcluster image list}
 * @param file the image.yaml it was read from (its directory holds the file sources)
 * @param packages top-level Debian packages, in file order, each with where it is written
 * @param modules kernel modules loaded at boot, in order
 * @param files files put into the guest, in order (a later one over an earlier one)
 * @param services the services, in file order
 * @param params the {@code vmc.KEY} params the image understands, with their defaults
 * @param minMemoryMiB the least memory a node of this image gets; empty to take the runtime's
 * @param dataDiskMiB the data disk's size; empty to take the runtime's
 * @param readiness services whose port must listen before {@code VMC-READY}; empty for "every
 *     TCP service that starts at boot"
 */
public record ImageDefinition(
        String name,
        String version,
        String description,
        Path file,
        Map<String, Location> packages,
        List<String> modules,
        List<FileEntry> files,
        List<ServiceDefinition> services,
        Map<String, String> params,
        Optional<Integer> minMemoryMiB,
        Optional<Integer> dataDiskMiB,
        Optional<Readiness> readiness) {

    /**
     * The services whose TCP port must listen before the image announces {@code VMC-READY}.
     *
     * @param ports service names; empty when not given (every TCP service that starts at boot)
     * @param command a guest command that must exit 0 before the node is ready (run by the host
     *     after the readiness line); empty for none
     * @param location where {@code readiness:} is written
     */
    public record Readiness(Optional<List<String>> ports, Optional<String> command, Location location) {
        public Readiness {
            ports = ports.map(List::copyOf);
        }
    }

    public ImageDefinition {
        packages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(packages));
        modules = List.copyOf(modules);
        files = List.copyOf(files);
        services = List.copyOf(services);
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The directory the definition's relative paths are resolved against. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** The service called {@code name}, if there is one. */
    public Optional<ServiceDefinition> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The services whose port must listen before the image announces readiness. */
    public List<ServiceDefinition> readinessServices() {
        if (readiness.flatMap(Readiness::ports).isPresent()) {
            return readiness.get().ports().get().stream()
                    .map(this::service)
                    .flatMap(Optional::stream)
                    .toList();
        }
        return services.stream()
                .filter(s -> s.boot() && s.port().isPresent() && s.protocol() == ServiceDefinition.Protocol.TCP)
                .toList();
    }
}
