package io.vmcluster.checker;

import io.vmcluster.time.Durations;
import io.vmcluster.yaml.Suggest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A checker's options as given in a spec ({@code time-to-leader:slo=10s,fault=crash}), read with
 * typed getters; {@link #done()} then rejects any option the checker did not read, with a
 * did-you-mean. Errors are {@link IllegalArgumentException}s naming the checker, option and value.
 */
public final class CheckerOptions {
    private final String checker;
    private final Map<String, String> values;
    private final Set<String> known = new LinkedHashSet<>();

    public CheckerOptions(String checker, Map<String, String> values) {
        this.checker = checker;
        this.values = new LinkedHashMap<>(values);
    }

    public static CheckerOptions none(String checker) {
        return new CheckerOptions(checker, Map.of());
    }

    public String text(String name, String fallback) {
        known.add(name);
        return values.getOrDefault(name, fallback);
    }

    public boolean bool(String name, boolean fallback) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(name, v, "true or false");
        };
    }

    public long number(String name, long fallback) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer");
        }
    }

    /** A duration like {@code 10s}, or {@code fallback} (may be null) when absent. */
    public Duration duration(String name, Duration fallback) {
        String v = text(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw bad(name, v, "a duration like 500ms, 10s or 2m");
        }
    }

    /** Throws for options no getter asked for. */
    public void done() {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                String options =
                        known.isEmpty() ? "it takes no options" : "its options are " + String.join(", ", known);
                throw new IllegalArgumentException("checker " + checker + " has no option '" + name + "'"
                        + Suggest.didYouMean(name, known) + "; " + options);
            }
        }
    }

    private IllegalArgumentException bad(String name, String value, String expected) {
        return new IllegalArgumentException(
                "checker " + checker + ": option " + name + " is '" + value + "'; expected " + expected);
    }
}
