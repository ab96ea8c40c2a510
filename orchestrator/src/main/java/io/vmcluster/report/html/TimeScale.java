package io.vmcluster.report.html;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one time axis every chart of the page shares: run time zero at {@code x0}, the run's end at
 * {@code x0 + width}, so a fault band sits at the same x in the timeline and in every plot.
 */
record TimeScale(Instant origin, Duration span, double x0, double width) {
    private static final long[] STEPS_S = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600};

    TimeScale {
        if (span.isZero() || span.isNegative()) span = Duration.ofSeconds(1);
    }

    double x(Instant t) {
        return x(Duration.between(origin, t).toNanos());
    }

    /** x of a time given as nanoseconds since the origin. */
    double x(long nanos) {
        double f = (double) nanos / span.toNanos();
        return x0 + Math.max(0, Math.min(1, f)) * width;
    }

    /** Tick positions in nanoseconds since the origin, at least {@code minPx} apart. */
    List<Long> ticks(double minPx) {
        double seconds = span.toNanos() / 1e9;
        long step = STEPS_S[STEPS_S.length - 1];
        for (long s : STEPS_S) {
            if (s * width / seconds >= minPx) {
                step = s;
                break;
            }
        }
        List<Long> out = new ArrayList<>();
        for (long t = 0; t <= seconds + 1e-9; t += step) {
            out.add(t * 1_000_000_000L);
        }
        return out;
    }

    /** A tick label: {@code 45 s} on runs under two minutes, else {@code 2:05}, {@code 1:02:05}. */
    String label(long nanos) {
        long s = Math.round(nanos / 1e9);
        if (span.toSeconds() < 120) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** Seconds since the origin with one decimal, for titles: {@code 12.3 s}. */
    String at(Instant t) {
        return String.format(Locale.ROOT, "%.1f s", Duration.between(origin, t).toMillis() / 1000.0);
    }
}
