package io.vmcluster.checker;

import io.vmcluster.yaml.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The checkers {@code vmcluster analyze}, scenarios and {@code workload.start} events name, built
 * from a spec: {@code NAME} or {@code NAME:OPTION=VALUE,OPTION=VALUE}, e.g. {@code set:linearizable=true}
 * or {@code time-to-leader:slo=10s,kinds=crash/pause}.
 */
public final class Checkers {
    private static final Map<String, Function<CheckerOptions, Checker>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put(SetChecker.NAME, SetChecker::from);
        FACTORIES.put(LinearizableChecker.NAME, LinearizableChecker::from);
        FACTORIES.put(CounterChecker.NAME, CounterChecker::from);
        FACTORIES.put(UniqueIdsChecker.NAME, o -> new UniqueIdsChecker());
        FACTORIES.put(QueueChecker.NAME, QueueChecker::from);
        FACTORIES.put(StatsChecker.NAME, o -> new StatsChecker());
        FACTORIES.put(SingleLeaderPerTermChecker.NAME, o -> new SingleLeaderPerTermChecker());
        FACTORIES.put(TimeToLeaderChecker.NAME, TimeToLeaderChecker::from);
        FACTORIES.put(BenchChecker.NAME, BenchChecker::from);
    }

    private Checkers() {}

    /** The names of every checker. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * Builds the checker a spec names.
     *
     * @throws IllegalArgumentException for an unknown name (with a did-you-mean and the list), an
     *     unknown option or a bad value
     */
    public static Checker parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        Function<CheckerOptions, Checker> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown checker '" + name + "'" + Suggest.didYouMean(name, names())
                    + "; the checkers are " + String.join(", ", names()));
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String part : s.substring(colon + 1).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("checker " + name + ": option '" + part
                            + "' must be written OPTION=VALUE, as in " + name + ":option=value");
                }
                options.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        CheckerOptions o = new CheckerOptions(name, options);
        Checker c = factory.apply(o);
        o.done();
        return c;
    }

    /**
     * The spec with a relative file option ({@code bench:baseline=FILE}) made absolute against
     * {@code dir}: a scenario's checker files are relative to the scenario, as its other paths are.
     */
    public static String resolvePaths(String spec, java.nio.file.Path dir) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(^|[:,])\\s*baseline=([^,]+)").matcher(spec);
        if (!m.find() || java.nio.file.Path.of(m.group(2).strip()).isAbsolute()) {
            return spec;
        }
        String resolved = dir.resolve(m.group(2).strip()).normalize().toString();
        return spec.substring(0, m.start(2)) + resolved + spec.substring(m.end(2));
    }

    /** Builds every spec; the first bad one throws. */
    public static List<Checker> parseAll(List<String> specs) {
        List<Checker> out = new ArrayList<>();
        specs.forEach(s -> out.add(parse(s)));
        return out;
    }
}
