package io.vmcluster.cli.doctor;

import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks may look at: a shell, the file system (rooted, so tests can hand in a fake
 * {@code /proc}), the environment, the scratch namespace if one could be made, and the planned
 * cluster size.
 *
 * @param shell runs host commands
 * @param root the file system root ({@code /} on a real host)
 * @param env environment variables (for the image cache location)
 * @param namespace the scratch network namespace, if creating one worked
 * @param nodes how many nodes a run should fit in memory
 * @param timing scales command timeouts
 */
public record HostContext(
        Shell shell,
        Path root,
        Map<String, String> env,
        Optional<ScratchNamespace> namespace,
        int nodes,
        Timing timing) {

    /** A file of the host, e.g. {@code file("/proc/meminfo")}. */
    public Path file(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /** A command timeout, scaled. */
    public Duration timeout(Duration nominal) {
        return timing.scale(nominal);
    }

    /** Where built images live: {@code ${XDG_CACHE_HOME:-$HOME/.cache}/vmcluster/images}. */
    public Path imageCache() {
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
        return cache.resolve("vmcluster").resolve("images");
    }
}
