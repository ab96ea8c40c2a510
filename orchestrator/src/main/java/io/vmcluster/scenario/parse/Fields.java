package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.Location;
import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of one YAML mapping, read with types. Unknown fields are reported with the nearest
 * valid name; wrong types and bad values name what is allowed.
 */
final class Fields {
    private final YNode owner;
    private final String what;
    private final Problems problems;
    private final Map<String, YNode.Entry> entries;

    /**
     * @param what completes "in ...": {@code "a wait_until step"}, {@code "the scenario"}
     * @param allowed the valid field names
     */
    Fields(YNode owner, String what, Problems problems, Collection<String> allowed) {
        this(owner, what, problems, allowed, false);
    }

    /** As above; with {@code extensions}, keys starting with {@code x-} are allowed (homes for YAML anchors). */
    Fields(YNode owner, String what, Problems problems, Collection<String> allowed, boolean extensions) {
        this.owner = owner;
        this.what = what;
        this.problems = problems;
        this.entries = owner.entries(problems);
        for (YNode.Entry e : entries.values()) {
            if (!allowed.contains(e.key()) && !(extensions && e.key().startsWith("x-"))) {
                problems.add(
                        e.keyNode().location(),
                        "unknown field '" + e.key() + "' in " + what + Suggest.didYouMean(e.key(), allowed)
                                + " (valid: " + String.join(", ", allowed) + ")");
            }
        }
    }

    Location location() {
        return owner.location();
    }

    Problems problems() {
        return problems;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    YNode get(String key) {
        YNode.Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    Location locationOf(String key) {
        YNode v = get(key);
        return v == null ? owner.location() : v.location();
    }

    void missing(String key, String explanation) {
        problems.add(owner.location(), what + " needs '" + key + "': " + explanation);
    }

    /** A scalar as text; null (and a problem if required) when absent or not text. */
    String string(String key, boolean required, String explanation) {
        YNode v = get(key);
        if (v == null || v.isNull()) {
            if (required) missing(key, explanation);
            return null;
        }
        if (!v.isScalar()) {
            problems.add(
                    v.location(),
                    "'" + key + "' in " + what + " must be text (" + explanation + "), found " + v.kind());
            return null;
        }
        return v.text();
    }

    Duration duration(String key) {
        return duration(get(key), key);
    }

    Duration duration(YNode v, String key) {
        if (v == null || v.isNull()) return null;
        if (!v.isScalar()) {
            problems.add(
                    v.location(), "'" + key + "' must be a duration like 250ms, 5s, 1.5s, 2m or 1h, found " + v.kind());
            return null;
        }
        try {
            Duration d = Durations.parse(v.text());
            if (d.isZero() && !key.equals("sleep")) {
                problems.add(v.location(), "'" + key + "' must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(v.location(), "bad duration for '" + key + "': " + e.getMessage());
            return null;
        }
    }

    Long integer(String key, long min, long max) {
        YNode v = get(key);
        if (v == null || v.isNull()) return null;
        return integer(v, key, min, max);
    }

    Long integer(YNode v, String key, long min, long max) {
        try {
            if (!v.isScalar()) throw new NumberFormatException();
            long n = Long.parseLong(v.text().strip());
            if (n < min || n > max) {
                problems.add(v.location(), "'" + key + "' must be between " + min + " and " + max + ", found " + n);
                return null;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(
                    v.location(),
                    "'" + key + "' must be a whole number between " + min + " and " + max + ", found " + v.kind());
            return null;
        }
    }

    Boolean bool(String key) {
        YNode v = get(key);
        if (v == null || v.isNull()) return null;
        String t = v.isScalar() ? v.text() : "";
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        problems.add(v.location(), "'" + key + "' must be true or false, found " + v.kind());
        return null;
    }

    /** A string or a list of strings; empty when absent. */
    List<String> strings(String key) {
        YNode v = get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isScalar()) {
            out.add(v.text());
        } else if (v.isList()) {
            for (YNode i : v.items()) {
                if (i.isScalar()) out.add(i.text());
                else problems.add(i.location(), "'" + key + "' must hold text, found " + i.kind());
            }
        } else {
            problems.add(v.location(), "'" + key + "' must be text or a list of text, found " + v.kind());
        }
        return out;
    }
}
