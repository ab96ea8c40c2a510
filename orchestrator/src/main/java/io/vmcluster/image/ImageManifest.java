package io.vmcluster.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the orchestrator knows about a guest: the {@code image.json} of an image directory (see
 * images/README.md). Paths are resolved against the image directory.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageManifest(
        String name,
        String version,
        Path directory,
        Path kernel,
        Path initrd,
        Path rootDisk,
        String cmdline,
        int minMemoryMiB,
        DataDisk dataDisk,
        Channels channels,
        Readiness readiness,
        Map<String, Service> services,
        ServiceControl serviceControl,
        Map<String, String> params,
        List<String> devices,
        String serviceLogs,
        String serviceLogPort) {

    /** What {@code serviceLogs} must contain: the place of the service's name. */
    public static final String SERVICE_PLACEHOLDER = "{service}";

    public ImageManifest {
        services = services == null ? Map.of() : Map.copyOf(services);
        params = params == null ? Map.of() : Map.copyOf(params);
        cmdline = cmdline == null ? "" : cmdline;
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DataDisk(int sizeMiB, String serial) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Channels(Console console, Ssh ssh, Agent agent) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Console(String device) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ssh(int port, String user, String keyParam) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Agent(String name) {}

    /** {@code serialLine} may contain {@code {name}}, replaced by the node name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Readiness(String serialLine, String command) {
        public String lineFor(String nodeName) {
            return serialLine.replace("{name}", nodeName);
        }

        /** The image's readiness command, run after the line until it exits 0; empty when it has none. */
        public Optional<String> readyCommand() {
            return Optional.ofNullable(command).filter(c -> !c.isBlank());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Service(int port, String protocol) {}

    /** Shell command templates; {@code {service}} is replaced by the service name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceControl(String start, String stop, String status) {}

    /** The service called {@code name}, or an exception listing those the image has. */
    public Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("image " + this.name + " has no service '" + name + "'; it has "
                    + String.join(", ", services.keySet().stream().sorted().toList()));
        }
        return s;
    }

    /**
     * Where the guest writes the log of service {@code name} ({@code serviceLogs} with {@code
     * {service}} replaced), or empty when the image does not say where its service logs are.
     */
    public Optional<String> serviceLog(String name) {
        service(name);
        return Optional.ofNullable(serviceLogs).map(t -> t.replace(SERVICE_PLACEHOLDER, name));
    }

    /**
     * The virtserialport on which the guest streams its service logs as they are written ({@code
     * SERVICE<TAB>line} per line); empty when the image does not stream them.
     */
    public Optional<String> serviceLogStream() {
        return Optional.ofNullable(serviceLogPort).filter(p -> !p.isBlank());
    }

    public Optional<Path> rootDiskPath() {
        return Optional.ofNullable(rootDisk);
    }

    /** Reads {@code image.json} from an image directory and checks its boot files exist. */
    public static ImageManifest read(Path imageDir) {
        Path file = imageDir.resolve("image.json");
        Raw raw;
        try {
            raw = new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(file.toFile(), Raw.class);
        } catch (IOException e) {
            throw new InvalidImageException(file + ": cannot read image manifest: " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        if (raw.kernel == null) missing.add("kernel");
        if (raw.initrd == null) missing.add("initrd");
        if (raw.readiness == null || raw.readiness.serialLine() == null) missing.add("readiness.serialLine");
        if (!missing.isEmpty()) {
            throw new InvalidImageException(file + ": missing " + String.join(", ", missing), null);
        }
        if (raw.serviceLogs != null
                && (!raw.serviceLogs.startsWith("/") || !raw.serviceLogs.contains(SERVICE_PLACEHOLDER))) {
            throw new InvalidImageException(
                    file + ": serviceLogs is '" + raw.serviceLogs + "'; it must be an absolute guest path containing "
                            + SERVICE_PLACEHOLDER + ", e.g. /run/vmc/log/{service}.log",
                    null);
        }
        Path dir = imageDir.toAbsolutePath();
        ImageManifest m = new ImageManifest(
                raw.name,
                raw.version,
                dir,
                dir.resolve(raw.kernel),
                dir.resolve(raw.initrd),
                raw.rootDisk == null ? null : dir.resolve(raw.rootDisk),
                raw.cmdline,
                raw.minMemoryMiB,
                raw.dataDisk,
                raw.channels,
                raw.readiness,
                raw.services,
                raw.serviceControl,
                raw.params,
                raw.devices,
                raw.serviceLogs,
                raw.serviceLogPort);
        for (Path p : m.bootFiles()) {
            if (!Files.isRegularFile(p)) {
                throw new InvalidImageException(file + ": " + p + " does not exist", null);
            }
        }
        return m;
    }

    private List<Path> bootFiles() {
        List<Path> files = new ArrayList<>(List.of(kernel, initrd));
        rootDiskPath().ifPresent(files::add);
        return files;
    }

    /** image.json as written. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Raw(
            String name,
            String version,
            String kernel,
            String initrd,
            String rootDisk,
            String cmdline,
            int minMemoryMiB,
            DataDisk dataDisk,
            Channels channels,
            Readiness readiness,
            Map<String, Service> services,
            ServiceControl serviceControl,
            Map<String, String> params,
            List<String> devices,
            String serviceLogs,
            String serviceLogPort) {}
}
