package io.vmcluster.suite;

import io.vmcluster.report.MissingShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code vmcluster merge}: joins the results directories of a suite's shards into one, as if one
 * machine had run every unit: each unit's directory copied as it is, then {@link SuiteResults}
 * writes the suite's JUnit XML, events and page over all of them. The directories must be shards of
 * one split (the same plan, shard count, rounds and seed), each shard at most once, and together
 * every shard; each must hold every unit its shard was given. With {@code allowMissing}, shards
 * that are absent or stopped early are merged without: the merged manifest lists them ({@link
 * MissingShard}) and the suite does not pass.
 */
public final class SuiteMerge {
    private SuiteMerge() {}

    /**
     * What a merge wrote.
     *
     * @param manifest the merged manifest (its {@link SuiteManifest#missing()} what it went without)
     * @param skipped the directories given that hold no shard's results (absent or empty), each with
     *     why; only with allowMissing
     */
    public record Merged(SuiteManifest manifest, List<String> skipped) {
        public Merged {
            skipped = List.copyOf(skipped);
        }
    }

    /** {@link #merge(List, Path, boolean)} requiring every shard. */
    public static SuiteManifest merge(List<Path> dirs, Path target) {
        return merge(dirs, target, false).manifest();
    }

    /**
     * Checks the directories and merges them into {@code target} (created; it must not exist or be
     * empty).
     *
     * @param allowMissing merge what is there when a shard's directory is absent, empty or stopped
     *     early (else that is an error naming the shard)
     * @throws InvalidSuiteException naming the directory or shard and what is wrong, before anything
     *     is copied
     */
    public static Merged merge(List<Path> dirs, Path target, boolean allowMissing) {
        Map<Path, SuiteManifest> manifests = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        Set<Path> given = new HashSet<>();
        for (Path d : dirs) {
            if (!given.add(d)) {
                throw new InvalidSuiteException(d + " is given twice: give each shard's directory once");
            }
            String why = absence(d);
            if (why != null) absent.add(why);
            else manifests.put(d, SuiteManifest.read(d));
        }
        if (manifests.isEmpty()) {
            throw new InvalidSuiteException(String.join("; ", absent)
                    + ": nothing to merge; give the results directories of the shards"
                    + " (vmcluster run --shard K/N ... --results DIR)");
        }
        Checked checked = check(manifests, absent, allowMissing);
        SuiteManifest merged = checked.manifest();
        Path abs = target.toAbsolutePath().normalize();
        for (Path d : manifests.keySet()) {
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
            for (SuiteManifest.UnitRecord u : merged.units()) {
                copyTree(checked.sources().get(u.unit()).resolve(u.unit()), target.resolve(u.unit()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy into " + target + ": " + e.getMessage(), e);
        }
        merged.write(target);
        SuiteResults.write(target);
        return new Merged(merged, absent);
    }

    /**
     * Why {@code d} holds no shard's results though a shard may have meant to write there (absent,
     * or an empty directory: a run that never began), or null when it has a suite.json.
     *
     * @throws InvalidSuiteException when it is something else: a file, one scenario's run, a
     *     directory of other things
     */
    private static String absence(Path d) {
        if (!Files.exists(d)) return d + ": no such directory";
        if (!Files.isDirectory(d)) {
            throw new InvalidSuiteException(d + ": not a directory; give the results directories of the shards"
                    + " (vmcluster run --shard K/N ... --results DIR)");
        }
        if (SuiteResults.isSuite(d)) return null;
        if (isEmptyDir(d)) return d + ": an empty directory";
        throw new InvalidSuiteException(d + ": not a suite's results directory: it has no " + SuiteManifest.FILE
                + (Files.isRegularFile(d.resolve("events.jsonl"))
                        ? " (it is one scenario's run; merge takes what vmcluster run --shard K/N, or run with"
                                + " several scenarios, wrote)"
                        : ""));
    }

    /** The merged manifest, and the directory each of its units is copied from. */
    record Checked(SuiteManifest manifest, Map<String, Path> sources) {}

    /**
     * The manifest of the whole, or why the directories are not the shards of one split.
     *
     * @param absent the directories given that hold no shard's results, each with why
     */
    static Checked check(Map<Path, SuiteManifest> manifests, List<String> absent, boolean allowMissing) {
        String allow = ", or --allow-missing to merge what is there";
        Path firstDir = null;
        SuiteManifest first = null;
        Map<Integer, Path> byShard = new LinkedHashMap<>();
        Map<String, Path> sources = new LinkedHashMap<>();
        Map<Integer, List<String>> lost = new TreeMap<>();
        Map<Integer, List<String>> why = new TreeMap<>();
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
            Set<String> has = new HashSet<>();
            m.units().forEach(u -> has.add(u.unit()));
            for (int i = 0; i < m.plan().size(); i++) {
                String id = m.plan().get(i);
                int shard = SuitePlan.shardOf(i, m.count());
                String problem = null;
                if (m.shards().contains(shard) && !has.contains(id)) {
                    problem = d + ": shard " + shard + "/" + m.count() + " holds no results for " + id
                            + " (did its run stop early? run that shard again" + (allowMissing ? ")" : allow + ")");
                } else if (has.contains(id) && !Files.isDirectory(d.resolve(id))) {
                    problem = d + ": " + SuiteManifest.FILE + " lists " + id + " but its directory " + d.resolve(id)
                            + " is missing";
                } else if (has.contains(id)) {
                    sources.put(id, d);
                }
                if (problem == null) continue;
                if (!allowMissing) throw new InvalidSuiteException(problem);
                lost.computeIfAbsent(shard, k -> new ArrayList<>()).add(id);
                List<String> reasons = why.computeIfAbsent(shard, k -> new ArrayList<>());
                String reason = has.contains(id)
                        ? d + ": " + SuiteManifest.FILE + " lists units whose directories are missing"
                        : d + ": its run stopped early";
                if (!reasons.contains(reason)) reasons.add(reason);
            }
        }
        SuitePlan plan = planOf(first);
        String notMerged = absent.isEmpty() ? "" : " (not merged: " + String.join("; ", absent) + ")";
        TreeSet<Integer> wholly = new TreeSet<>();
        for (int k = 1; k <= first.count(); k++) {
            if (!byShard.containsKey(k)) wholly.add(k);
        }
        if (!wholly.isEmpty() && !allowMissing) {
            List<String> which = new ArrayList<>();
            for (int k : wholly) which.add(k + "/" + first.count());
            List<String> units = new ArrayList<>();
            for (int k : wholly) plan.share(new Shard(k, first.count())).forEach(u -> units.add(u.id()));
            throw new InvalidSuiteException("shard" + (wholly.size() > 1 ? "s " : " ") + String.join(", ", which)
                    + (wholly.size() > 1 ? " are" : " is") + " missing ("
                    + (units.isEmpty() ? "no units" : "units: " + String.join(", ", units))
                    + "): give every shard's directory" + notMerged + allow);
        }
        if (!absent.isEmpty() && !allowMissing) {
            throw new InvalidSuiteException(
                    String.join("; ", absent) + ": give only shards' results directories" + allow);
        }
        List<MissingShard> missing = new ArrayList<>();
        for (int k = 1; k <= first.count(); k++) {
            List<String> share = plan.share(new Shard(k, first.count())).stream()
                    .map(SuiteUnit::id)
                    .toList();
            if (wholly.contains(k)) {
                missing.add(
                        new MissingShard(k, first.count(), share, "no directory of it was merged" + notMerged, false));
            } else if (lost.containsKey(k)) {
                missing.add(new MissingShard(
                        k,
                        first.count(),
                        lost.get(k),
                        String.join("; ", why.get(k)),
                        lost.get(k).size() < share.size()));
            }
        }
        List<SuiteManifest.UnitRecord> ordered = new ArrayList<>();
        for (String id : first.plan()) {
            Path from = sources.get(id);
            if (from == null) continue;
            manifests.get(from).units().stream()
                    .filter(u -> u.unit().equals(id))
                    .forEach(ordered::add);
        }
        return new Checked(
                new SuiteManifest(
                        first.count(),
                        first.plan(),
                        first.repeat(),
                        first.seed(),
                        new TreeSet<>(byShard.keySet()),
                        ordered,
                        missing),
                sources);
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
