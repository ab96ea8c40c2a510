package io.vmcluster.fault;

import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.YamlNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an {@link Impairment} from the fields of a YAML mapping — {@code delay}, {@code jitter},
 * {@code correlation}, {@code loss}, {@code duplicate}, {@code corrupt}, {@code reorder},
 * {@code rate} — with located problems. The one reader of these fields: the scenario's
 * {@code impair} step and the cluster file's {@code wan} links both use it.
 */
public final class ImpairmentYaml {
    /** The fields an impairment is written with, in the order the docs list them. */
    public static final List<String> FIELDS =
            List.of("delay", "jitter", "correlation", "loss", "duplicate", "corrupt", "reorder", "rate");

    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%?");
    private static final Pattern RATE = Pattern.compile("(\\d+)\\s*(kbit|mbit|gbit)", Pattern.CASE_INSENSITIVE);
    /** The largest rate one may ask for: far above what a virtio NIC under TCG carries. */
    private static final long MAX_RATE_GBIT = 100;

    private ImpairmentYaml() {}

    /**
     * The impairment the fields describe, or null when there is a problem (added to the fields'
     * problems, located) or none of {@link #FIELDS} is given (a problem naming {@code what}).
     *
     * @param what what is being impaired, for the message when nothing is given ("impair", "wan link")
     */
    public static Impairment read(Fields f, String what) {
        Problems problems = f.problems();
        Duration delay = f.duration("delay");
        Duration jitter = f.duration("jitter");
        Double correlation = percent(f, "correlation");
        Double loss = percent(f, "loss");
        Double duplicate = percent(f, "duplicate");
        Double corrupt = percent(f, "corrupt");
        Double reorder = percent(f, "reorder");
        Long rate = rate(f);
        if (Stream.of(delay, jitter, correlation, loss, duplicate, corrupt, reorder, rate)
                .allMatch(Objects::isNull)) {
            if (FIELDS.stream().noneMatch(f::has)) {
                problems.add(
                        f.location(),
                        what + " needs at least one of " + String.join(", ", FIELDS) + " (e.g. delay: 100ms)");
            }
            return null;
        }
        boolean bad = false;
        if (jitter != null && delay == null) {
            problems.add(f.locationOf("jitter"), "jitter needs a delay");
            bad = true;
        }
        if (reorder != null && delay == null) {
            problems.add(
                    f.locationOf("reorder"),
                    "reorder needs a delay (netem reorders by sending some packets without it)");
            bad = true;
        }
        if (correlation != null && delay == null && loss == null && reorder == null) {
            problems.add(f.locationOf("correlation"), "correlation needs a delay, loss or reorder to correlate");
            bad = true;
        }
        if (bad) return null;
        // the one correlation applies to each of delay, loss and reorder
        double corr = correlation == null ? 0 : correlation;
        Impairment imp = Impairment.none();
        try {
            if (delay != null) imp = imp.delay(delay, jitter == null ? Duration.ZERO : jitter, corr);
            if (loss != null) imp = imp.loss(loss, corr);
            if (duplicate != null) imp = imp.duplicate(duplicate);
            if (corrupt != null) imp = imp.corrupt(corrupt);
            if (reorder != null) imp = imp.reorder(reorder, corr);
            if (rate != null) imp = imp.rate(rate * 1000);
        } catch (IllegalArgumentException e) {
            problems.add(f.location(), what + ": " + e.getMessage());
            return null;
        }
        return imp;
    }

    private static Double percent(Fields f, String key) {
        YamlNode v = f.get(key);
        if (v == null || v.isNull()) return null;
        String expected = "a percentage from 0 to 100, like 10% or 0.5%";
        String text = f.value(v, key, expected);
        if (text == null) return null;
        Matcher m = PERCENT.matcher(text.strip());
        if (!m.matches() || m.group(1).length() > 12 || Double.parseDouble(m.group(1)) > 100) {
            f.problems().add(v.location(), "'" + key + "' must be " + expected + ", found " + Fields.shown(v, text));
            return null;
        }
        return Double.parseDouble(m.group(1));
    }

    private static Long rate(Fields f) {
        YamlNode v = f.get("rate");
        if (v == null || v.isNull()) return null;
        String text = f.value(v, "rate", "a bandwidth like 512kbit, 10mbit or 1gbit");
        if (text == null) return null;
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches() || m.group(1).length() > 9 || Long.parseLong(m.group(1)) == 0) {
            f.problems()
                    .add(
                            v.location(),
                            "'rate' must be a bandwidth like 512kbit, 10mbit or 1gbit (at most " + MAX_RATE_GBIT
                                    + "gbit), found " + Fields.shown(v, text));
            return null;
        }
        long n = Long.parseLong(m.group(1));
        long kbit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "kbit" -> n;
            case "mbit" -> n * 1000;
            default -> n * 1_000_000;
        };
        if (kbit > MAX_RATE_GBIT * 1_000_000) {
            f.problems()
                    .add(
                            v.location(),
                            "'rate' must be at most " + MAX_RATE_GBIT + "gbit (a virtual NIC is not faster), found "
                                    + text);
            return null;
        }
        return kbit;
    }
}
