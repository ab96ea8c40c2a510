package io.vmcluster.image.build;

import io.vmcluster.image.definition.ImageDefinition;
import io.vmcluster.image.definition.InvalidDefinitionException;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Asks apt (one {@code apt-cache policy} for all) whether it knows a definition's packages, before anything is downloaded. */
final class AptPackages {
    private AptPackages() {}

    /**
     * @throws InvalidDefinitionException naming each package apt has no candidate for, where it is written
     * @throws ImageBuildException when the host has no apt-cache
     */
    static void requireKnown(ImageDefinition d, List<String> packages) {
        if (packages.isEmpty()) {
            return;
        }
        Map<String, String> candidates = candidates(packages);
        List<Problem> problems = new ArrayList<>();
        for (String p : packages) {
            String c = candidates.get(p);
            if (c == null || c.equals("(none)")) {
                Location at = d.packages().getOrDefault(p, Location.of(d.file()));
                problems.add(new Problem(
                        at,
                        "apt knows no package '" + p + "' (apt-cache policy " + p
                                + " offers no candidate): check the name (Debian bookworm, amd64; https://packages.debian.org)"
                                + " or refresh apt's lists with apt-get update"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
    }

    private static Map<String, String> candidates(List<String> packages) {
        List<String> cmd = new ArrayList<>(List.of("apt-cache", "policy"));
        cmd.addAll(packages);
        String out;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageBuildException("apt-cache policy did not answer within 120 s", null);
            }
        } catch (IOException e) {
            throw new ImageBuildException(
                    "the host lacks apt-cache (Debian/Ubuntu's apt), which the image" + " builder needs: "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while asking apt-cache", e);
        }
        Map<String, String> result = new HashMap<>();
        String current = null;
        for (String line : out.split("\n")) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
            } else if (current != null && line.startsWith("  Candidate: ")) {
                result.put(current, line.substring("  Candidate: ".length()).strip());
            }
        }
        return result;
    }
}
