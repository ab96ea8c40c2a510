package io.vmcluster.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.qmp.QmpCommand;

/**
 * The one QMP call faults make: send a typed command ({@link QmpCommand}, built by its factory in
 * the qmp module) and wait for the reply. The cluster's adapter satisfies it with the node's
 * {@code QmpClient}; tests record the commands.
 */
@FunctionalInterface
public interface QmpPort {
    /**
     * Sends a command and returns its {@code return} value.
     *
     * @throws RuntimeException carrying QMP's error class and description when QEMU refuses
     */
    JsonNode execute(QmpCommand command);
}
