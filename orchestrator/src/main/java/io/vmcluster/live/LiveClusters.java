package io.vmcluster.live;

import io.vmcluster.cli.InvalidInputException;
import io.vmcluster.reaper.RunDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The live clusters of this host: every run directory under the run base whose {@code live.json}
 * names a supervisor that still runs. Nothing else is kept anywhere: a dead supervisor's cluster
 * is not listed, and the reaper removes what it left.
 */
public final class LiveClusters {
    private final Path base;

    public LiveClusters(Path base) {
        this.base = base;
    }

    /** The clusters under the standard run base. */
    public static LiveClusters standard() {
        return new LiveClusters(RunDirectories.base());
    }

    /** Every live cluster, oldest first. */
    public List<LiveCluster> list() {
        List<LiveCluster> out = new ArrayList<>();
        if (!Files.isDirectory(base)) return out;
        try (Stream<Path> dirs = Files.list(base)) {
            for (Path d : dirs.toList()) {
                Path f = d.resolve(LiveCluster.FILE);
                if (!Files.isRegularFile(f)) continue;
                try {
                    LiveCluster c = LiveCluster.read(f);
                    if (c.alive()) out.add(c);
                } catch (IOException | RuntimeException e) {
                    // a half-removed directory, or one being reclaimed: not a live cluster
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + base + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(LiveCluster::started));
        return out;
    }

    public Optional<LiveCluster> find(String name) {
        return list().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * The cluster a command means: the one named, or the only one up when none is named.
     *
     * @throws InvalidInputException naming the clusters that are up (or saying none is)
     */
    public LiveCluster resolve(String name) {
        List<LiveCluster> all = list();
        if (name != null) {
            return all.stream()
                    .filter(c -> c.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException("no cluster named '" + name + "' is up"
                            + io.vmcluster.yaml.Suggest.didYouMean(
                                    name, all.stream().map(LiveCluster::name).toList())
                            + "; " + upNow(all)));
        }
        if (all.size() == 1) return all.get(0);
        if (all.isEmpty()) {
            throw new InvalidInputException("no cluster is up; start one with vmcluster up CLUSTER.yaml");
        }
        throw new InvalidInputException(all.size() + " clusters are up: name one ("
                + String.join(", ", all.stream().map(LiveCluster::name).toList()) + ")");
    }

    static String upNow(List<LiveCluster> all) {
        return all.isEmpty()
                ? "no cluster is up (vmcluster up CLUSTER.yaml starts one)"
                : "up: " + String.join(", ", all.stream().map(LiveCluster::name).toList());
    }
}
