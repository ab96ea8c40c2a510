package io.vmcluster.qmp;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link QmpClient} connects and how long it waits. Durations are taken as given: callers
 * scale them for slow hosts (the orchestrator passes them through its {@code Timing}).
 *
 * @param connectTimeout how long to retry connecting and wait for the greeting and capabilities
 * @param defaultTimeout the per-call timeout of calls that do not name one
 * @param maxFrameBytes the largest JSON object accepted from QEMU
 * @param name a short label for thread names and log lines (e.g. the VM's name)
 */
public record QmpClientOptions(Duration connectTimeout, Duration defaultTimeout, int maxFrameBytes, String name) {
    /** 10 s to connect, 30 s per call, 16 MiB per object, named "qmp". */
    public static final QmpClientOptions DEFAULTS =
            new QmpClientOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), 16 << 20, "qmp");

    public QmpClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        Objects.requireNonNull(name, "name");
        if (connectTimeout.isNegative() || defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "timeouts must be positive: connect " + connectTimeout + ", default " + defaultTimeout);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024, got " + maxFrameBytes);
        }
    }

    public QmpClientOptions withConnectTimeout(Duration value) {
        return new QmpClientOptions(value, defaultTimeout, maxFrameBytes, name);
    }

    public QmpClientOptions withDefaultTimeout(Duration value) {
        return new QmpClientOptions(connectTimeout, value, maxFrameBytes, name);
    }

    public QmpClientOptions withMaxFrameBytes(int value) {
        return new QmpClientOptions(connectTimeout, defaultTimeout, value, name);
    }

    public QmpClientOptions withName(String value) {
        return new QmpClientOptions(connectTimeout, defaultTimeout, maxFrameBytes, value);
    }
}
