package io.vmcluster.reaper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where run directories live (temporary state of live runs: QMP sockets, overlays, pid records;
 * NOT results). In order: system property {@code vmc.run.dir}, environment {@code VMC_RUN_DIR},
 * {@code /run/vmcluster} when writable (root), {@code $XDG_RUNTIME_DIR/vmcluster}, else
 * {@code java.io.tmpdir/vmcluster-USER}.
 */
public final class RunDirectories {
    private RunDirectories() {}

    /** The base directory, created if missing. */
    public static Path base() {
        Path base = choose();
        try {
            Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory base " + base, e);
        }
        return base;
    }

    private static Path choose() {
        String explicit = System.getProperty("vmc.run.dir");
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv("VMC_RUN_DIR");
        }
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path run = Path.of("/run");
        if (Files.isDirectory(run) && Files.isWritable(run)) {
            return run.resolve("vmcluster");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "vmcluster");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "vmcluster-" + System.getProperty("user.name"));
    }

    /** Deletes a directory tree; missing is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
