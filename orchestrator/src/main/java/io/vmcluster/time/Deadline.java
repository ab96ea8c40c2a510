package io.vmcluster.time;

import java.time.Duration;

/** A point in (monotonic) time by which something must have happened. */
public final class Deadline {
    private final long startNanos;
    private final long endNanos;

    private Deadline(long startNanos, long endNanos) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    /** A deadline {@code duration} from now. */
    public static Deadline after(Duration duration) {
        long now = System.nanoTime();
        return new Deadline(now, now + Math.max(0, duration.toNanos()));
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /** Time left, never negative. */
    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** Time since this deadline was set. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The whole span this deadline was set for. */
    public Duration total() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    /** The smaller of {@code d} and what is left: a sub-step never outlives its parent. */
    public Duration cap(Duration d) {
        Duration left = remaining();
        return d.compareTo(left) < 0 ? d : left;
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left of " + total().toMillis() + " ms]";
    }
}
