package io.vmcluster.cli;

import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.cluster.spec.ClusterSpecLoader;
import io.vmcluster.image.ImageStore;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.YamlNode;
import io.vmcluster.yaml.YamlReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cluster {@code vmcluster up} boots: a cluster file as it is, or a scenario's cluster with the
 * scenario's params (and {@code --param}s) applied; its tests are not run. A file with
 * {@code tests:} at its top is a scenario.
 *
 * @param spec the validated definition
 * @param scenario the scenario, or null for a cluster file
 */
record LiveSource(Path file, ClusterSpec spec, Scenario scenario) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    /** Reads and validates {@code file} (exit 2 on every problem, nothing boots). */
    static LiveSource read(Path file, Map<String, String> params) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such file (give a cluster file or a scenario file)");
        }
        Problems problems = new Problems();
        YamlNode root = YamlReader.read(file, problems);
        boolean scenario = problems.isEmpty()
                && root != null
                && root.isMap()
                && root.entries().containsKey("tests");
        if (scenario) {
            Scenario s = ScenarioParser.parse(
                    file,
                    params,
                    ImageParamsLookup.standard(
                            ImageBuilder.standard(), ImageStore.standard().cacheDir()));
            ScenarioImages.check(
                    s, ImageBuilder.standard(), ImageStore.standard().cacheDir());
            return new LiveSource(file, s.cluster().spec(), s);
        }
        if (!params.isEmpty()) {
            throw new InvalidInputException(
                    "--param sets a scenario's params; " + file + " is a cluster file (it has no tests:)");
        }
        return new LiveSource(file, ClusterSpecLoader.load(file), null);
    }

    /** A name for {@code exec}, {@code fault}, {@code down}: letters, digits, . _ -, at most 40. */
    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("--name " + name
                    + ": a cluster name is 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** Builds each image the nodes use if the cache lacks it (minutes, once; said on stderr). */
    void ensureImages(PrintWriter err) {
        Path cache = ImageStore.standard().cacheDir();
        spec.nodes().stream()
                .map(n -> n.image())
                .filter(image -> image != null && !image.contains("/"))
                .distinct()
                .filter(image -> !Files.isRegularFile(cache.resolve(image).resolve("image.json")))
                .forEach(image -> {
                    err.println("image " + image + " is not built yet: building it now (first use only) ...");
                    err.flush();
                    ImageBuilder.standard().build(image, err);
                });
    }
}
