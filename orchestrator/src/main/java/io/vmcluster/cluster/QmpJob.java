package io.vmcluster.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpCommand;
import io.vmcluster.qmp.QmpEvent;
import io.vmcluster.qmp.QmpEventType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * One QMP job of a node (snapshot-save/load/delete, blockdev-backup) that runs with {@code
 * auto-dismiss} off: {@link #start} sends the command with a wait for its {@code concluded}
 * status already armed, {@link #finish} waits for it, reads the job's error from {@code
 * query-jobs} and dismisses it, so nothing is left in {@code query-jobs}. Every failure is thrown
 * through the caller's exception factory, naming the node, the command and QEMU's words.
 */
final class QmpJob {
    private final Node node;
    private final String id;
    private final String command;
    private final CompletableFuture<QmpEvent> concluded;
    private final Duration bound;
    private final BiFunction<String, Throwable, RuntimeException> error;

    private QmpJob(
            Node node,
            String id,
            String command,
            CompletableFuture<QmpEvent> concluded,
            Duration bound,
            BiFunction<String, Throwable, RuntimeException> error) {
        this.node = node;
        this.id = id;
        this.command = command;
        this.concluded = concluded;
        this.bound = bound;
        this.error = error;
    }

    /**
     * Sends {@code command}, whose {@code job-id} is {@code id}, and returns once QEMU accepted
     * it (the job then runs in the background).
     *
     * @param bound how long each wait may take (already scaled)
     * @param error makes the exception thrown for a failure from its message and cause
     */
    static QmpJob start(
            Node node,
            String id,
            QmpCommand command,
            Duration bound,
            BiFunction<String, Throwable, RuntimeException> error) {
        QmpClient qmp = node.qmp();
        CompletableFuture<QmpEvent> concluded = qmp.awaitEvent(
                e -> e.is(QmpEventType.JOB_STATUS_CHANGE)
                        && id.equals(e.dataText("id"))
                        && "concluded".equals(e.dataText("status")),
                command.name() + " job " + id + " concluded",
                bound);
        QmpJob job = new QmpJob(node, id, command.name(), concluded, bound, error);
        try {
            job.get(qmp.execute(command), command.name());
        } catch (RuntimeException e) {
            concluded.cancel(false);
            throw e;
        }
        return job;
    }

    /** Waits until the job concluded, dismisses it and returns its error (null when it succeeded). */
    String finish() {
        QmpClient qmp = node.qmp();
        get(concluded, command + " to conclude");
        JsonNode jobs = get(qmp.execute(QmpCommand.queryJobs()), "query-jobs");
        String failure = null;
        for (JsonNode j : jobs) {
            if (id.equals(j.path("id").asText()) && j.hasNonNull("error")) {
                failure = j.get("error").asText();
            }
        }
        get(qmp.execute(QmpCommand.jobDismiss(id)), "job-dismiss");
        return failure;
    }

    <T> T get(CompletableFuture<T> f, String what) {
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw error.apply(
                    node.name() + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw error.apply(node.name() + ": " + what + " did not finish within " + bound, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw error.apply(node.name() + ": interrupted during " + what, e);
        }
    }
}
