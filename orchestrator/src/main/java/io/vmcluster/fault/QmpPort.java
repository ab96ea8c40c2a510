package io.vmcluster.fault;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The one QMP call faults make; the qmp module's client satisfies it through an adapter. */
@FunctionalInterface
public interface QmpPort {
    /**
     * Sends a command and returns its {@code return} value.
     *
     * @throws RuntimeException carrying QMP's error class and description when QEMU refuses
     */
    JsonNode execute(String command, Map<String, Object> arguments);
}
