package io.vmcluster.fault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a slow or lossy link does to frames, in tc netem's terms. Built fluently from {@link
 * #none()}: {@code Impairment.none().delay(ms(100), ms(10)).loss(5)}. Percentages are 0..100.
 *
 * @param delay added latency (zero for none)
 * @param jitter random variation of the delay (needs a delay)
 * @param delayCorrelation how much each delay depends on the previous one, percent
 * @param loss frames dropped, percent
 * @param lossCorrelation percent
 * @param duplicate frames sent twice, percent
 * @param corrupt frames with a flipped bit, percent
 * @param reorder frames sent at once ahead of the delayed ones, percent (needs a delay)
 * @param reorderCorrelation percent
 * @param rateBitsPerSecond bandwidth cap (zero for none)
 */
public record Impairment(
        Duration delay,
        Duration jitter,
        double delayCorrelation,
        double loss,
        double lossCorrelation,
        double duplicate,
        double corrupt,
        double reorder,
        double reorderCorrelation,
        long rateBitsPerSecond) {

    public Impairment {
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delay and jitter must not be negative, got " + delay + ", " + jitter);
        }
        percent("delay correlation", delayCorrelation);
        percent("loss", loss);
        percent("loss correlation", lossCorrelation);
        percent("duplicate", duplicate);
        percent("corrupt", corrupt);
        percent("reorder", reorder);
        percent("reorder correlation", reorderCorrelation);
        if (rateBitsPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative, got " + rateBitsPerSecond + " bit/s");
        }
        if (delay.isZero() && (!jitter.isZero() || delayCorrelation > 0)) {
            throw new IllegalArgumentException("jitter and delay correlation need a delay; set delay first");
        }
        if (reorder > 0 && delay.isZero()) {
            throw new IllegalArgumentException(
                    "reorder needs a delay (netem sends the reordered frames at once and delays the rest)");
        }
    }

    /** No impairment; the starting point of the fluent methods. */
    public static Impairment none() {
        return new Impairment(Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public Impairment delay(Duration delay) {
        return delay(delay, Duration.ZERO, 0);
    }

    public Impairment delay(Duration delay, Duration jitter) {
        return delay(delay, jitter, 0);
    }

    public Impairment delay(Duration delay, Duration jitter, double correlationPercent) {
        return new Impairment(
                delay,
                jitter,
                correlationPercent,
                loss,
                lossCorrelation,
                duplicate,
                corrupt,
                reorder,
                reorderCorrelation,
                rateBitsPerSecond);
    }

    public Impairment loss(double percent) {
        return loss(percent, 0);
    }

    public Impairment loss(double percent, double correlationPercent) {
        return new Impairment(
                delay,
                jitter,
                delayCorrelation,
                percent,
                correlationPercent,
                duplicate,
                corrupt,
                reorder,
                reorderCorrelation,
                rateBitsPerSecond);
    }

    public Impairment duplicate(double percent) {
        return new Impairment(
                delay,
                jitter,
                delayCorrelation,
                loss,
                lossCorrelation,
                percent,
                corrupt,
                reorder,
                reorderCorrelation,
                rateBitsPerSecond);
    }

    public Impairment corrupt(double percent) {
        return new Impairment(
                delay,
                jitter,
                delayCorrelation,
                loss,
                lossCorrelation,
                duplicate,
                percent,
                reorder,
                reorderCorrelation,
                rateBitsPerSecond);
    }

    public Impairment reorder(double percent, double correlationPercent) {
        return new Impairment(
                delay,
                jitter,
                delayCorrelation,
                loss,
                lossCorrelation,
                duplicate,
                corrupt,
                percent,
                correlationPercent,
                rateBitsPerSecond);
    }

    public Impairment rate(long bitsPerSecond) {
        return new Impairment(
                delay,
                jitter,
                delayCorrelation,
                loss,
                lossCorrelation,
                duplicate,
                corrupt,
                reorder,
                reorderCorrelation,
                bitsPerSecond);
    }

    /** True if this changes nothing. */
    public boolean isNone() {
        return equals(none());
    }

    /** The arguments after {@code netem}, e.g. {@code [delay, 100000us, 10000us, loss, 5%]}. */
    public List<String> netemArgs() {
        if (isNone()) {
            throw new IllegalArgumentException(
                    "an impairment needs at least one of delay, loss, duplicate, corrupt, " + "reorder or rate");
        }
        List<String> args = new ArrayList<>();
        if (!delay.isZero()) {
            args.add("delay");
            args.add(micros(delay));
            if (!jitter.isZero() || delayCorrelation > 0) {
                args.add(micros(jitter));
            }
            if (delayCorrelation > 0) {
                args.add(pct(delayCorrelation));
            }
        }
        addPercent(args, "loss", loss, lossCorrelation);
        addPercent(args, "duplicate", duplicate, 0);
        addPercent(args, "corrupt", corrupt, 0);
        addPercent(args, "reorder", reorder, reorderCorrelation);
        if (rateBitsPerSecond > 0) {
            args.add("rate");
            args.add(rateBitsPerSecond + "bit");
        }
        return args;
    }

    /**
     * The impairment as a person would say it, e.g. {@code delay 100ms jitter 10ms loss 5.0% rate
     * 10000kbit}: how a step shows it. One correlation is shown, the first one set.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (!delay.isZero()) sb.append("delay ").append(delay.toMillis()).append("ms ");
        if (!jitter.isZero()) sb.append("jitter ").append(jitter.toMillis()).append("ms ");
        double correlation =
                delayCorrelation > 0 ? delayCorrelation : lossCorrelation > 0 ? lossCorrelation : reorderCorrelation;
        if (correlation > 0) sb.append("correlation ").append(correlation).append("% ");
        if (loss > 0) sb.append("loss ").append(loss).append("% ");
        if (duplicate > 0) sb.append("duplicate ").append(duplicate).append("% ");
        if (corrupt > 0) sb.append("corrupt ").append(corrupt).append("% ");
        if (reorder > 0) sb.append("reorder ").append(reorder).append("% ");
        if (rateBitsPerSecond > 0)
            sb.append("rate ").append(rateBitsPerSecond / 1000).append("kbit ");
        return sb.toString().strip();
    }

    /** The non-default parameters, for events. */
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!delay.isZero()) {
            p.put("delayMs", delay.toNanos() / 1e6);
        }
        if (!jitter.isZero()) {
            p.put("jitterMs", jitter.toNanos() / 1e6);
        }
        putIf(p, "delayCorrelation", delayCorrelation);
        putIf(p, "loss", loss);
        putIf(p, "lossCorrelation", lossCorrelation);
        putIf(p, "duplicate", duplicate);
        putIf(p, "corrupt", corrupt);
        putIf(p, "reorder", reorder);
        putIf(p, "reorderCorrelation", reorderCorrelation);
        if (rateBitsPerSecond > 0) {
            p.put("rateBitsPerSecond", rateBitsPerSecond);
        }
        return p;
    }

    private static void putIf(Map<String, Object> p, String key, double value) {
        if (value > 0) {
            p.put(key, value);
        }
    }

    private static void addPercent(List<String> args, String name, double value, double correlation) {
        if (value > 0) {
            args.add(name);
            args.add(pct(value));
            if (correlation > 0) {
                args.add(pct(correlation));
            }
        }
    }

    private static String micros(Duration d) {
        return (d.toNanos() / 1000) + "us";
    }

    private static String pct(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() + "%";
    }

    private static void percent(String what, double v) {
        if (!(v >= 0 && v <= 100)) {
            throw new IllegalArgumentException(what + " must be a percentage between 0 and 100, got " + v);
        }
    }
}
