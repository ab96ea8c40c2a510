package io.vmcluster.junit5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One results directory per test class: {@code <root>/<class name>}, or {@code <class name>-2},
 * {@code -3} … when an earlier run left one (never reused, never deleted). The root is the JUnit
 * configuration parameter {@value #ROOT_PARAMETER}, else the system property {@code
 * vmc.results.dir}, else {@code target/vmcluster-results}.
 */
final class ClassResults {
    static final String ROOT_PARAMETER = "vmcluster.junit5.results";
    /** The root when neither the parameter nor the property is set (relative to the working directory). */
    static final Path DEFAULT_ROOT = Path.of("target", "vmcluster-results");

    private ClassResults() {}

    static Path root(ExtensionContext context) {
        return context.getConfigurationParameter(ROOT_PARAMETER)
                .or(() -> Optional.ofNullable(System.getProperty("vmc.results.dir")))
                .map(Path::of)
                .orElse(DEFAULT_ROOT)
                .toAbsolutePath();
    }

    /** Creates the class's directory under {@code root}; safe when classes run in parallel. */
    static Path create(Path root, Class<?> testClass) {
        try {
            Files.createDirectories(root);
            for (int i = 1; ; i++) {
                Path dir = root.resolve(testClass.getName() + (i == 1 ? "" : "-" + i));
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException taken) {
                    // an earlier run's, or a parallel class of the same name: try the next
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the results directory of " + testClass.getName() + " under " + root + ": " + e, e);
        }
    }
}
