package io.vmcluster.cli.doctor;

import io.vmcluster.process.CommandRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks may look at: the host's commands, the file system (rooted, so tests can hand in
 * a fake {@code /proc}), the environment, the scratch namespace if one could be made, and the
 * planned cluster size.
 *
 * @param commands runs host programs (timeouts scaled by the runner's timing); checks use {@link
 *     CommandRunner#probe}, so a missing program is exit 127, not an exception
 * @param root the file system root ({@code /} on a real host)
 * @param env environment variables (for the image cache location)
 * @param namespace the scratch network namespace, if creating one worked
 * @param nodes how many nodes a run should fit in memory
 */
public record HostContext(
        CommandRunner commands, Path root, Map<String, String> env, Optional<ScratchNamespace> namespace, int nodes) {

    /** A file of the host, e.g. {@code file("/proc/meminfo")}. */
    public Path file(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
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
