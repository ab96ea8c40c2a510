package io.vmcluster.time;

import java.time.Duration;

/**
 * A wait ran out of time. The message says what was waited for, for how long, how many tries it
 * made and what the last try saw.
 */
public final class WaitTimeoutException extends RuntimeException {
    private final String what;
    private final Duration waited;

    public WaitTimeoutException(String what, Duration waited, int attempts, String lastResult, Throwable lastError) {
        super(message(what, waited, attempts, lastResult, lastError), lastError);
        this.what = what;
        this.waited = waited;
    }

    public String what() {
        return what;
    }

    public Duration waited() {
        return waited;
    }

    private static String message(String what, Duration waited, int attempts, String lastResult, Throwable lastError) {
        StringBuilder sb = new StringBuilder("timed out after ")
                .append(Durations.format(waited))
                .append(" waiting for ")
                .append(what)
                .append(" (")
                .append(attempts)
                .append(attempts == 1 ? " try)" : " tries)");
        if (lastResult != null && !lastResult.isBlank()) {
            sb.append("; last try: ").append(lastResult.strip());
        }
        if (lastError != null) {
            sb.append("; last error: ").append(lastError.getMessage());
        }
        return sb.toString();
    }
}
