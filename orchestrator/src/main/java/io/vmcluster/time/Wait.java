package io.vmcluster.time;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The one way vmcluster waits for a condition: a probe tried until it yields a value or the
 * deadline passes. The timeout says what was waited for and what the last try saw.
 *
 * <pre>{@code
 * String leader = Wait.forCondition("a Raft leader on node1")
 *         .atMost(Duration.ofSeconds(30))
 *         .until(() -> {
 *             var r = node1.exec("etcdctl endpoint status");
 *             if (!r.stdoutText().contains("true")) throw Wait.notYet("no leader yet: " + r.stdoutText());
 *             return r.stdoutText();
 *         });
 * }</pre>
 *
 * <p>A probe returns a non-null value to finish; it returns {@code null}, throws {@link NotYet}
 * or throws any other exception to be tried again. It throws {@link GiveUp} to stop at once
 * (the thing waited on can no longer happen: the VM died). Tries are spaced by an interval that
 * starts small and doubles up to a cap, and the last try is never cut short by the sleep.
 */
public final class Wait {
    private final String what;
    private Duration timeout = Duration.ofSeconds(30);
    private Duration firstInterval = Duration.ofMillis(50);
    private Duration maxInterval = Duration.ofSeconds(1);
    private Timing timing = Timing.standard();

    private Wait(String what) {
        this.what = Objects.requireNonNull(what, "what");
    }

    /** Starts a wait; {@code what} completes the sentence "timed out waiting for ...". */
    public static Wait forCondition(String what) {
        return new Wait(what);
    }

    /** The nominal bound, scaled by the {@link Timing} multiplier. */
    public Wait atMost(Duration nominal) {
        this.timeout = Objects.requireNonNull(nominal, "timeout");
        return this;
    }

    /** Spacing of tries: starts at {@code first}, doubles up to {@code max}. */
    public Wait every(Duration first, Duration max) {
        this.firstInterval = first;
        this.maxInterval = max;
        return this;
    }

    /** Spacing of tries: a fixed interval. */
    public Wait every(Duration interval) {
        return every(interval, interval);
    }

    public Wait timing(Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
        return this;
    }

    /** Tries the probe until it returns a value. */
    public <T> T until(Probe<T> probe) {
        return until(timing.deadline(timeout), probe);
    }

    /** Tries the probe until it returns a value or the given (already scaled) deadline passes. */
    public <T> T until(Deadline deadline, Probe<T> probe) {
        int attempts = 0;
        String lastResult = null;
        Throwable lastError = null;
        Duration interval = firstInterval;
        while (true) {
            attempts++;
            try {
                T value = probe.attempt();
                if (value != null) {
                    return value;
                }
                lastResult = "not yet";
                lastError = null;
            } catch (GiveUp e) {
                throw e;
            } catch (NotYet e) {
                lastResult = e.getMessage();
                lastError = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WaitInterruptedException(what, e);
            } catch (Exception e) {
                lastResult = null;
                lastError = e;
            }
            if (deadline.expired()) {
                throw new WaitTimeoutException(what, deadline.elapsed(), attempts, lastResult, lastError);
            }
            Duration pause = deadline.cap(interval);
            LockSupport.parkNanos(pause.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new WaitInterruptedException(what, null);
            }
            interval = interval.multipliedBy(2);
            if (interval.compareTo(maxInterval) > 0) {
                interval = maxInterval;
            }
        }
    }

    /** Tries a boolean condition until it holds. */
    public void untilTrue(Condition condition) {
        until(() -> condition.holds() ? Boolean.TRUE : null);
    }

    /** Thrown by a probe to say "not yet", with what it saw; the text ends up in the timeout message. */
    public static NotYet notYet(String whatWasSeen) {
        return new NotYet(whatWasSeen);
    }

    /** Thrown by a probe to stop waiting at once: the condition can no longer come true. */
    public static GiveUp giveUp(String why) {
        return new GiveUp(why, null);
    }

    @FunctionalInterface
    public interface Probe<T> {
        T attempt() throws Exception;
    }

    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** See {@link #notYet(String)}. */
    public static final class NotYet extends RuntimeException {
        NotYet(String message) {
            super(message, null, false, false);
        }
    }

    /** See {@link #giveUp(String)}. */
    public static final class GiveUp extends RuntimeException {
        public GiveUp(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The waiting thread was interrupted. */
    public static final class WaitInterruptedException extends RuntimeException {
        WaitInterruptedException(String what, Throwable cause) {
            super("interrupted while waiting for " + what, cause);
        }
    }
}
