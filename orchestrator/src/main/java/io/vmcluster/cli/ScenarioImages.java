package io.vmcluster.cli;

import io.vmcluster.image.ImageRef;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.step.UpgradeStep;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import io.vmcluster.yaml.Suggest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The image check {@code validate} and {@code run} share, before anything is built or booted: an
 * image given by name must have a definition ({@code images/<name>/image.yaml}) or a build in the
 * cache, and an {@code upgrade} step's image too, with the version it pins. Each unknown name is reported where it is written, with the nearest known name. An image
 * given as a directory path is used as it is (its {@code image.json} is read when the node boots).
 */
final class ScenarioImages {
    private ScenarioImages() {}

    /** @throws ScenarioException when a named image is unknown (exit 2) */
    static void check(Scenario scenario, ImageBuilder definitions, Path cache) {
        List<Problem> problems = problems(scenario, definitions, cache);
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
    }

    static List<Problem> problems(Scenario scenario, ImageBuilder definitions, Path cache) {
        Set<String> images = new LinkedHashSet<>();
        scenario.cluster().spec().nodes().forEach(n -> images.add(n.image()));
        List<Problem> out = new ArrayList<>();
        for (String image : images) {
            if (image.contains("/") || known(image, definitions, cache)) {
                continue;
            }
            Set<String> names = new TreeSet<>(definitions.names());
            names.addAll(built(cache));
            Location at = scenario.cluster()
                    .images()
                    .getOrDefault(image, scenario.cluster().location());
            out.add(new Problem(
                    at,
                    "unknown image '" + image + "'" + Suggest.didYouMean(image, names) + " (images: "
                            + (names.isEmpty() ? "none found" : String.join(", ", names))
                            + definitions
                                    .definitions()
                                    .map(d -> "; definitions in " + d)
                                    .orElse("")
                            + "; builds in " + cache + "; or give the path of an image directory)"));
        }
        for (UpgradeStep u : scenario.upgrades()) {
            String problem = upgradeProblem(u.image(), definitions, cache);
            if (problem != null) out.add(new Problem(u.imageAt(), problem));
        }
        return out;
    }

    /** What is wrong with an upgrade step's image: unknown, or not the pinned version; null if fine. */
    private static String upgradeProblem(ImageRef ref, ImageBuilder definitions, Path cache) {
        String image = ref.name();
        String version;
        try {
            if (!image.contains("/") && definitions.names().contains(image)) {
                version = definitions.builder().definitionForChecks(image).version();
            } else {
                Path dir = image.contains("/") ? Path.of(image) : cache.resolve(image);
                if (!Files.isRegularFile(dir.resolve("image.json"))) {
                    if (image.contains("/")) {
                        return "upgrade: no image directory " + image + " (it has no image.json)";
                    }
                    Set<String> names = new TreeSet<>(definitions.names());
                    names.addAll(built(cache));
                    return "upgrade: unknown image '" + image + "'" + Suggest.didYouMean(image, names) + " (images: "
                            + (names.isEmpty() ? "none found" : String.join(", ", names))
                            + "; or give the path of an image directory)";
                }
                version = io.vmcluster.image.ImageManifest.read(dir).version();
            }
        } catch (RuntimeException e) {
            return "upgrade: image " + image + " cannot be read: " + e.getMessage();
        }
        String bad = ref.versionProblem(version);
        return bad == null ? null : "upgrade: " + bad;
    }

    private static boolean known(String image, ImageBuilder definitions, Path cache) {
        return definitions.names().contains(image)
                || Files.isRegularFile(cache.resolve(image).resolve("image.json"));
    }

    private static List<String> built(Path cache) {
        try (var dirs = Files.list(cache)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("image.json")))
                    .map(d -> d.getFileName().toString())
                    .toList();
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }
}
