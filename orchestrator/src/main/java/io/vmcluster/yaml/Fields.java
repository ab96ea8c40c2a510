package io.vmcluster.yaml;

import io.vmcluster.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of one YAML mapping, read with types. Unknown fields are reported at once (at the
 * key, with the nearest valid name and the list of valid ones); each typed read reports a wrong
 * type or a bad value at the value, saying what is allowed, and returns null so the caller can
 * carry on and find the next problem. Numbers, durations and booleans go through a
 * {@link Substitution} first (see {@link #substituting}).
 *
 * <pre>{@code
 * Fields f = new Fields(node, "a wait_until step", problems, List.of("wait_until", "on", "timeout"));
 * Duration timeout = f.duration("timeout");      // null when absent or invalid
 * }</pre>
 */
public final class Fields {
    private final YamlNode owner;
    private final String what;
    private final String path;
    private final Problems problems;
    private final Map<String, YamlNode.Entry> entries;
    private Substitution substitution = Substitution.NONE;

    /**
     * @param owner the mapping (anything else has no fields; the caller reports that)
     * @param what completes "in ...": {@code "a wait_until step"}, {@code "the scenario"}
     * @param allowed the valid field names, in the order messages list them
     */
    public Fields(YamlNode owner, String what, Problems problems, Collection<String> allowed) {
        this(owner, what, problems, allowed, false);
    }

    /** As above; with {@code extensions}, keys starting with {@code x-} are allowed (homes for YAML anchors). */
    public Fields(YamlNode owner, String what, Problems problems, Collection<String> allowed, boolean extensions) {
        this(owner, what, null, problems, allowed, extensions);
    }

    /**
     * As above, for formats whose messages name the field by its path ({@code nodes[0].memory: ...})
     * instead of by its owner: {@code path} is the owner's path ("" for the root).
     */
    public static Fields atPath(YamlNode owner, String path, Problems problems, Collection<String> allowed) {
        return new Fields(owner, "", path, problems, allowed, false);
    }

    private Fields(
            YamlNode owner,
            String what,
            String path,
            Problems problems,
            Collection<String> allowed,
            boolean extensions) {
        this.owner = owner;
        this.what = what;
        this.path = path;
        this.problems = problems;
        this.entries = owner.entries();
        for (YamlNode.Entry e : entries.values()) {
            if (!allowed.contains(e.key()) && !(extensions && e.key().startsWith("x-"))) {
                problems.add(e.keyLocation(), unknownField(e.key(), allowed));
            }
        }
    }

    private String unknownField(String key, Collection<String> allowed) {
        String prefix = path == null ? "" : (path.isEmpty() ? key : path + "." + key) + ": ";
        String in = what.isEmpty() ? "" : " in " + what;
        return prefix + "unknown field '" + key + "'" + in + Suggest.didYouMean(key, allowed) + " (valid here: "
                + String.join(", ", allowed) + ")";
    }

    /** Numbers, durations and booleans are read after {@code s} replaced the references in them. */
    public Fields substituting(Substitution s) {
        this.substitution = s;
        return this;
    }

    public Location location() {
        return owner.location();
    }

    public Problems problems() {
        return problems;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value of {@code key}, or null when absent. */
    public YamlNode get(String key) {
        YamlNode.Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    /** Where the value of {@code key} is written, else where the mapping is. */
    public Location locationOf(String key) {
        YamlNode v = get(key);
        return v == null ? owner.location() : v.location();
    }

    /** Reports that a required field is missing, at the mapping: "{what} needs '{key}': {explanation}". */
    public void missing(String key, String explanation) {
        problems.add(owner.location(), what + " needs '" + key + "': " + explanation);
    }

    /** A scalar as written (not substituted); null (and a problem if required) when absent or not text. */
    public String string(String key, boolean required, String explanation) {
        YamlNode v = get(key);
        if (v == null || v.isNull()) {
            if (required) missing(key, explanation);
            return null;
        }
        if (!v.isScalar()) {
            problems.add(
                    v.location(),
                    "'" + key + "' in " + what + " must be text (" + explanation + "), found " + v.describe());
            return null;
        }
        return v.text();
    }

    /**
     * The text of a scalar that is read as a value (a number, a duration...), references
     * substituted; null (with a problem) when it is not a scalar or substitution failed.
     */
    public String value(YamlNode v, String key, String expected) {
        if (v == null || !v.isScalar()) {
            problems.add(
                    v == null ? owner.location() : v.location(),
                    "'" + key + "' must be " + expected + ", found " + (v == null ? "nothing" : v.describe()));
            return null;
        }
        return substitution.apply(v.text(), v.location(), problems);
    }

    public Duration duration(String key) {
        return duration(get(key), key);
    }

    /** A duration ({@code 250ms, 5s, 1.5s, 2m, 1h}, at most {@link Durations#MAX}); more than 0 except for sleep. */
    public Duration duration(YamlNode v, String key) {
        if (v == null || v.isNull()) return null;
        String text = value(v, key, "a duration like 250ms, 5s, 1.5s, 2m or 1h");
        if (text == null) return null;
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() && !key.equals("sleep")) {
                problems.add(v.location(), "'" + key + "' must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(v.location(), "bad duration for '" + key + "': " + e.getMessage());
            return null;
        }
    }

    public Long integer(String key, long min, long max) {
        YamlNode v = get(key);
        if (v == null || v.isNull()) return null;
        return integer(v, key, min, max);
    }

    /** A whole number (decimal digits, optional sign) in {@code min..max}. */
    public Long integer(YamlNode v, String key, long min, long max) {
        String expected = "a whole number between " + min + " and " + max;
        if (!v.isScalar()) {
            problems.add(v.location(), "'" + key + "' must be " + expected + ", found " + v.describe());
            return null;
        }
        String text = value(v, key, expected);
        if (text == null) return null;
        String t = text.strip();
        if (!t.matches("[+-]?\\d{1,40}")) {
            problems.add(v.location(), "'" + key + "' must be " + expected + ", found " + shown(v, text));
            return null;
        }
        long n;
        try {
            n = Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException tooLarge) {
            problems.add(v.location(), "'" + key + "' must be between " + min + " and " + max + ", found " + t);
            return null;
        }
        if (n < min || n > max) {
            problems.add(v.location(), "'" + key + "' must be between " + min + " and " + max + ", found " + n);
            return null;
        }
        return n;
    }

    public Boolean bool(String key) {
        YamlNode v = get(key);
        if (v == null || v.isNull()) return null;
        String t = v.isScalar() ? substitution.apply(v.text(), v.location(), problems) : "";
        if (t == null) return null;
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        problems.add(v.location(), "'" + key + "' must be true or false, found " + shown(v, t));
        return null;
    }

    /** A string or a list of strings (as written); empty when absent. */
    public List<String> strings(String key) {
        YamlNode v = get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) return out;
        if (v.isScalar()) {
            out.add(v.text());
        } else if (v.isList()) {
            for (YamlNode i : v.items()) {
                if (i.isScalar()) out.add(i.text());
                else problems.add(i.location(), "'" + key + "' must hold text, found " + i.describe());
            }
        } else {
            problems.add(v.location(), "'" + key + "' must be text or a list of text, found " + v.describe());
        }
        return out;
    }

    /** What was found, for a message: the node, or its text after substitution when that changed it. */
    public static String shown(YamlNode v, String substituted) {
        if (substituted == null || substituted.equals(v.text())) return v.describe();
        return "'" + substituted + "' (from " + v.describe() + ")";
    }
}
