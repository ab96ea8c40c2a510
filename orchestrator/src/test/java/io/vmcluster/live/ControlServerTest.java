package io.vmcluster.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void oneRequestLineGetsOneReplyLine() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (ControlServer s = ControlServer.start(dir.resolve("control"), (req, ch) -> {
            seen.add(req.path("op").asText());
            return Control.ok().put("echo", req.path("text").asText());
        })) {
            JsonNode reply = Control.call(s.socket(), Control.request("status").put("text", "é\nnewline inside"));
            assertThat(reply.path("ok").asBoolean()).isTrue();
            assertThat(reply.path("echo").asText()).isEqualTo("é\nnewline inside");
            assertThat(seen).containsExactly("status");
        }
    }

    @Test
    void onlyTheOwnerCanEnterTheDirectoryOrOpenTheSocket() throws Exception {
        try (ControlServer s = ControlServer.start(dir.resolve("control"), (req, ch) -> Control.ok())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("control"))))
                    .as("the directory holding the socket")
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socket())))
                    .as("the socket")
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aHandlerThatThrowsIsAnInternalErrorReply() throws Exception {
        try (ControlServer s = ControlServer.start(dir.resolve("control"), (req, ch) -> {
            throw new IllegalStateException("boom");
        })) {
            JsonNode reply = Control.call(s.socket(), Control.request("exec"));
            assertThat(reply.path("ok").asBoolean()).isFalse();
            assertThat(reply.path("code").asInt()).isEqualTo(4);
            assertThat(reply.path("error").asText()).contains("boom");
        }
    }

    @Test
    void closingRemovesTheSocket() throws Exception {
        ControlServer s = ControlServer.start(dir.resolve("control"), (req, ch) -> Control.ok());
        Path socket = s.socket();
        assertThat(socket).exists();
        s.close();
        assertThat(socket).doesNotExist();
    }
}
