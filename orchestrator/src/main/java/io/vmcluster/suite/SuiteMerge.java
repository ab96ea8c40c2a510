package io.vmcluster.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code vmcluster merge}: joins the results directories of a suite's shards into one, as if one
 * machine had run every unit: each unit's directory copied as it is, then {@link SuiteResults}
 * writes the suite's JUnit XML, events and page over all of them. The directories must be shards of
 * one split (the same plan, shard count, rounds and seed), each shard at most once, and together
 * every shard; each must hold every unit its shard was given.
 */
public final class SuiteMerge {
    private SuiteMerge() {}

    /**
     * Checks the directories and merges them into {@code target} (created; it must not exist or be
     * empty).
     *
     * @return the merged manifest
     * @throws InvalidSuiteException naming the directory and what is wrong, before anything is copied
     */
    public static SuiteManifest merge(List<Path> dirs, Path target) {
        Map<Path, SuiteManifest> manifests = new LinkedHashMap<>();
        for (Path d : dirs) {
            if (manifests.put(d, readShard(d)) != null) {
                throw new InvalidSuiteException(d + " is given twice: give each shard's directory once");
            }
        }
        SuiteManifest merged = check(manifests);
        Path abs = target.toAbsolutePath().normalize();
        for (Path d : dirs) {
            Path a = d.toAbsolutePath().normalize();
            if (abs.startsWith(a) || a.startsWith(abs)) {
                throw new InvalidSuiteException("the merged directory " + target + " may not be inside " + d
                        + " or hold it: give --results a directory of its own");
            }
        }
        if (Files.exists(target) && !isEmptyDir(target)) {
            throw new InvalidSuiteException(target + " exists and is not empty: the merge writes a new directory");
        }
        try {
            Files.createDirectories(target);
            for (Map.Entry<Path, SuiteManifest> e : manifests.entrySet()) {
                for (SuiteManifest.UnitRecord u : e.getValue().units()) {
                    copyTree(e.getKey().resolve(u.unit()), target.resolve(u.unit()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy into " + target + ": " + e.getMessage(), e);
        }
        merged.write(target);
        SuiteResults.write(target);
        return merged;
    }

    private static SuiteManifest readShard(Path d) {
        if (!Files.isDirectory(d)) {
            throw new InvalidSuiteException(d + ": no such directory; give the results directories of the shards"
                    + " (vmcluster run --shard K/N ... --results DIR)");
        }
        if (!SuiteResults.isSuite(d)) {
            throw new InvalidSuiteException(d + ": not a suite's results directory: it has no " + SuiteManifest.FILE
                    + (Files.isRegularFile(d.resolve("events.jsonl"))
                            ? " (it is one scenario's run; merge takes what vmcluster run --shard K/N, or run with"
                                    + " several scenarios, wrote)"
                            : ""));
        }
        return SuiteManifest.read(d);
    }

    /** The manifest of the whole, or why the directories are not the shards of one split. */
    static SuiteManifest check(Map<Path, SuiteManifest> manifests) {
        Path firstDir = null;
        SuiteManifest first = null;
        Map<Integer, Path> byShard = new LinkedHashMap<>();
        List<SuiteManifest.UnitRecord> units = new ArrayList<>();
        for (Map.Entry<Path, SuiteManifest> e : manifests.entrySet()) {
            Path d = e.getKey();
            SuiteManifest m = e.getValue();
            if (first == null) {
                firstDir = d;
                first = m;
            } else {
                String other = differs(first, m);
                if (other != null) {
                    throw new InvalidSuiteException(
                            d + " is not a shard of the same suite as " + firstDir + ": " + other);
                }
            }
            for (int k : m.shards()) {
                Path before = byShard.putIfAbsent(k, d);
                if (before != null) {
                    throw new InvalidSuiteException(
                            "shard " + k + "/" + m.count() + " is given twice: " + before + " and " + d);
                }
            }
            for (int i = 0; i < m.plan().size(); i++) {
                String id = m.plan().get(i);
                int shard = SuitePlan.shardOf(i, m.count());
                boolean has = m.units().stream().anyMatch(u -> u.unit().equals(id));
                if (m.shards().contains(shard) && !has) {
                    throw new InvalidSuiteException(d + ": shard " + shard + "/" + m.count() + " holds no results for "
                            + id + " (did its run stop early? run that shard again)");
                }
                if (has && !Files.isDirectory(d.resolve(id))) {
                    throw new InvalidSuiteException(d + ": " + SuiteManifest.FILE + " lists " + id
                            + " but its directory " + d.resolve(id) + " is missing");
                }
            }
            units.addAll(m.units());
        }
        TreeSet<Integer> missing = new TreeSet<>();
        for (int k = 1; k <= first.count(); k++) {
            if (!byShard.containsKey(k)) missing.add(k);
        }
        if (!missing.isEmpty()) {
            List<String> which = new ArrayList<>();
            for (int k : missing) which.add(k + "/" + first.count());
            SuitePlan plan = planOf(first);
            List<String> lost = new ArrayList<>();
            for (int k : missing) plan.share(new Shard(k, first.count())).forEach(u -> lost.add(u.id()));
            throw new InvalidSuiteException("shard" + (missing.size() > 1 ? "s " : " ") + String.join(", ", which)
                    + (missing.size() > 1 ? " are" : " is") + " missing ("
                    + (lost.isEmpty() ? "no units" : "units: " + String.join(", ", lost))
                    + "): give every shard's directory");
        }
        List<SuiteManifest.UnitRecord> ordered = new ArrayList<>();
        for (String id : first.plan()) {
            units.stream().filter(u -> u.unit().equals(id)).forEach(ordered::add);
        }
        return new SuiteManifest(
                first.count(), first.plan(), first.repeat(), first.seed(), new TreeSet<>(byShard.keySet()), ordered);
    }

    private static SuitePlan planOf(SuiteManifest m) {
        List<SuiteUnit> units = new ArrayList<>();
        for (String id : m.plan()) {
            int at = id.lastIndexOf("/round-");
            units.add(
                    at < 0
                            ? new SuiteUnit(id, 1, 1)
                            : new SuiteUnit(
                                    id.substring(0, at),
                                    Integer.parseInt(id.substring(at + "/round-".length())),
                                    m.repeat()));
        }
        return new SuitePlan(units);
    }

    /** What makes {@code b} another split than {@code a}, or null. */
    private static String differs(SuiteManifest a, SuiteManifest b) {
        if (a.count() != b.count()) {
            return "it was split into " + b.count() + " shards, the other into " + a.count();
        }
        if (a.repeat() != b.repeat()) {
            return "--repeat " + b.repeat() + " against --repeat " + a.repeat();
        }
        if (!java.util.Objects.equals(a.seed(), b.seed())) {
            return "base seed " + b.seed() + " against " + a.seed() + " (give every shard the same --seed)";
        }
        if (!a.plan().equals(b.plan())) {
            List<String> onlyA = new ArrayList<>(a.plan());
            onlyA.removeAll(b.plan());
            List<String> onlyB = new ArrayList<>(b.plan());
            onlyB.removeAll(a.plan());
            return "its scenarios differ (" + (onlyB.isEmpty() ? "" : "only it has " + String.join(", ", onlyB))
                    + (onlyA.isEmpty() || onlyB.isEmpty() ? "" : "; ")
                    + (onlyA.isEmpty() ? "" : "only the other has " + String.join(", ", onlyA))
                    + "): give every shard the same scenario files";
        }
        return null;
    }

    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (var s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
