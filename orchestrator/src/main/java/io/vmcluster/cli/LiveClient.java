package io.vmcluster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.live.Control;
import io.vmcluster.live.LiveCluster;
import java.io.IOException;

/** A request to a live cluster's supervisor, its refusal turned into vmcluster's exit codes. */
final class LiveClient {
    private LiveClient() {}

    /**
     * Sends {@code request}; a refusal with code 2 is invalid input (thrown), code 4 a vmcluster
     * failure (thrown); other refusals (1: the step or command failed) come back for the caller.
     */
    static JsonNode call(LiveCluster c, JsonNode request) {
        JsonNode reply;
        try {
            reply = Control.call(c.socketPath(), request);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cluster '" + c.name() + "' does not answer on " + c.socket() + " (" + e.getMessage()
                            + "); vmcluster down " + c.name() + " stops its supervisor",
                    e);
        }
        if (!reply.path("ok").asBoolean(false)) {
            int code = reply.path("code").asInt(4);
            String msg = reply.path("error").asText("(no reason given)");
            if (code == ExitCode.INVALID_INPUT.code()) throw new InvalidInputException(msg);
            if (code == ExitCode.INTERNAL_ERROR.code()) throw new IllegalStateException(msg);
        }
        return reply;
    }
}
