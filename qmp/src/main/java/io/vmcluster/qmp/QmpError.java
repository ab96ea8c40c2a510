package io.vmcluster.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error reply: QMP's {@code class} and {@code desc}, with the command (and arguments) that
 * provoked it.
 *
 * @param errorClass QMP's error class, e.g. {@code CommandNotFound}, {@code GenericError},
 *     {@code DeviceNotFound}; {@link #HUMAN_MONITOR_ERROR} for an HMP command whose text output
 *     reported an error
 * @param description QMP's {@code desc}
 * @param command the command sent
 * @param arguments the arguments sent, or null
 */
public record QmpError(String errorClass, String description, String command, JsonNode arguments) {
    /** The class given to a {@code human-monitor-command} whose output starts with "Error:". */
    public static final String HUMAN_MONITOR_ERROR = "HumanMonitorError";

    @Override
    public String toString() {
        return command + " failed: " + errorClass + ": " + description
                + (arguments == null || arguments.isEmpty() ? "" : " (arguments " + arguments + ")");
    }
}
