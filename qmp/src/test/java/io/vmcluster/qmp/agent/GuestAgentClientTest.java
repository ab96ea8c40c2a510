package io.vmcluster.qmp.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.qmp.QmpClientOptions;
import io.vmcluster.qmp.QmpConnectionClosedException;
import io.vmcluster.qmp.QmpTimeoutException;
import io.vmcluster.qmp.testing.FakeQmpServer;
import io.vmcluster.qmp.testing.TestTiming;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guest-agent protocol against a scripted fake agent, for what real qemu-ga will not do on demand. */
class GuestAgentClientTest {
    static final Duration WAIT = TestTiming.scaled(Duration.ofSeconds(5));

    FakeQmpServer agent;
    GuestAgentClient client;

    @BeforeEach
    void startAgent() throws Exception {
        agent = new FakeQmpServer();
    }

    CompletableFuture<GuestAgentClient> connecting(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return GuestAgentClient.connect(
                        agent.socket(),
                        QmpClientOptions.DEFAULTS.withConnectTimeout(timeout).withDefaultTimeout(WAIT));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Connects through a stream full of stale output, the reply only after the 0xFF. */
    void connect() throws Exception {
        CompletableFuture<GuestAgentClient> connecting = connecting(WAIT);
        long token = expectSync();
        agent.send("{\"return\": " + token + "}\n"); // a look-alike before the delimiter
        agent.send("garbage {\"return\": {\"half\": "); // a half object the 0xFF must cut off
        agent.sendBytes(frame("{\"return\": " + token + "}\n", true));
        client = connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void close() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            agent.close();
        }
    }

    /** Checks the client sent 0xFF and then guest-sync-delimited; returns its token. */
    long expectSync() {
        assertThat(agent.nextCommand()).as("a raw 0xFF comes first").isEqualTo(FakeQmpServer.DELIMITER);
        JsonNode sync = agent.nextCommand();
        assertThat(sync.path("execute").asText()).isEqualTo("guest-sync-delimited");
        return sync.path("arguments").path("id").asLong();
    }

    static byte[] frame(String json, boolean delimited) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (delimited) {
            out.write(0xFF);
        }
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aLookAlikeReplyBeforeTheDelimiterDoesNotCompleteTheSync() throws Exception {
        CompletableFuture<GuestAgentClient> connecting = connecting(Duration.ofMillis(300));
        long token = expectSync();
        agent.send("{\"return\": " + token + "}\n");
        assertThatThrownBy(() -> connecting.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .hasRootCauseInstanceOf(QmpTimeoutException.class)
                .hasMessageContaining("guest-sync-delimited");
    }

    @Test
    void onlyTheReplyAfterTheDelimiterCompletesTheSync() throws Exception {
        connect();
        CompletableFuture<JsonNode> ping =
                CompletableFuture.supplyAsync(() -> client.execute("guest-ping", null, WAIT));
        JsonNode request = agent.nextCommand();
        assertThat(request.path("execute").asText())
                .as("connect finished with one sync; the stale look-alike before 0xFF did not count twice")
                .isEqualTo("guest-ping");
        agent.reply(request, "{}");
        assertThat(ping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).isObject()).isTrue();
    }

    @Test
    void repliesForOtherIdsAreDiscarded() throws Exception {
        connect();
        CompletableFuture<Long> handle = CompletableFuture.supplyAsync(() -> client.fileOpen("/tmp/x", "r"));
        JsonNode request = agent.nextCommand();
        agent.send("{\"return\": 666, \"id\": 424242}\n");
        agent.reply(request, "7");
        assertThat(handle.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(7L);
    }

    @Test
    void shutdownDoesNotWaitAndTheNextCallResyncs() throws Exception {
        connect();
        client.shutdown("powerdown");
        assertThat(agent.nextCommand().path("execute").asText()).isEqualTo("guest-shutdown");
        CompletableFuture<JsonNode> ping =
                CompletableFuture.supplyAsync(() -> client.execute("guest-ping", null, WAIT));
        long token = expectSync();
        agent.sendBytes(frame("{\"return\": " + token + "}\n", true));
        JsonNode request = agent.nextCommand();
        agent.reply(request, "{}");
        ping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theAgentHangingUpFailsTheCallAtOnce() throws Exception {
        connect();
        CompletableFuture<JsonNode> ping =
                CompletableFuture.supplyAsync(() -> client.execute("guest-ping", null, Duration.ofMinutes(5)));
        agent.nextCommand();
        agent.closeConnection();
        assertThatThrownBy(() -> ping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .hasCauseInstanceOf(QmpConnectionClosedException.class);
    }
}
