package io.vmcluster.cluster.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.fault.QmpPort;
import io.vmcluster.qmp.QmpClient;
import io.vmcluster.qmp.QmpCommand;
import io.vmcluster.time.Timing;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link QmpPort} over the qmp module's {@link QmpClient}: waits for the reply, unwraps QMP errors. */
public final class QmpClientPort implements QmpPort {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final QmpClient client;
    private final Timing timing;

    /** A port over {@code client} whose reply bound {@code timing} scales. */
    public QmpClientPort(QmpClient client, Timing timing) {
        this.client = client;
        this.timing = timing;
    }

    @Override
    public JsonNode execute(QmpCommand command) {
        Duration timeout = timing.scale(REPLY_TIMEOUT);
        try {
            return client.execute(command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re
                    ? re
                    : new IllegalStateException("QMP " + command + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no reply to QMP " + command + " within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for QMP " + command, e);
        }
    }
}
