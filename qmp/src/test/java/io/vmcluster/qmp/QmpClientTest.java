package io.vmcluster.qmp;

import static io.vmcluster.qmp.testing.FakeQmpServer.eventText;
import static io.vmcluster.qmp.testing.FakeQmpServer.replyText;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.qmp.testing.FakeQmpServer;
import io.vmcluster.qmp.testing.TestTiming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The client against a scripted fake QMP server that misbehaves on purpose. */
class QmpClientTest {
    static final Duration WAIT = TestTiming.scaled(Duration.ofSeconds(5));

    FakeQmpServer server;
    QmpClient client;

    @BeforeEach
    void connect() throws Exception {
        server = new FakeQmpServer();
        CompletableFuture<Void> script = CompletableFuture.runAsync(server::greetAndNegotiate);
        client = QmpClient.connect(server.socket(), QmpClientOptions.DEFAULTS.withConnectTimeout(WAIT));
        script.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("expected the future to fail, got " + e, e);
        }
        throw new AssertionError("expected the future to fail, it succeeded");
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void greetingIsParsed() {
        assertThat(client.greeting().version()).isEqualTo(new QmpVersion(7, 2, 22, "Debian 1:7.2+dfsg-7+deb12u7"));
        assertThat(client.greeting().capabilities()).containsExactly("oob");
    }

    @Nested
    class Events {
        @Test
        void aTypedWaitMatchesItsEventOnlyAndUnknownEventsHaveNoType() throws Exception {
            List<QmpEvent> seen = new CopyOnWriteArrayList<>();
            client.subscribe(seen::add);
            CompletableFuture<QmpEvent> reset = client.awaitEvent(QmpEventType.RESET, WAIT);
            server.send(eventText("NIC_RX_FILTER_CHANGED", "{\"name\": \"nic0\", \"path\": \"/x\"}")
                    + eventText("RESUME", null)
                    + eventText("RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}"));
            QmpEvent event = await(reset);
            assertThat(event.type()).contains(QmpEventType.RESET);
            assertThat(event.dataText("reason")).isEqualTo("host-qmp-system-reset");
            assertThat(seen)
                    .as("every event arrives; only the known ones have a type")
                    .extracting(e -> e.type().map(Enum::name).orElse("(" + e.name() + ")"))
                    .containsExactly("(NIC_RX_FILTER_CHANGED)", "RESUME", "RESET");
        }

        @Test
        void eventsBetweenCommandAndReplyReachListenersInOrderBeforeTheReply() throws Exception {
            List<String> seen = new CopyOnWriteArrayList<>();
            client.subscribe(e -> {
                seen.add(e.name());
                pause(Duration.ofMillis(50)); // a slow listener: the reply must still not overtake it
            });
            CompletableFuture<QmpEvent> stop = client.awaitEvent("STOP", WAIT);
            CompletableFuture<List<String>> seenAtReply =
                    client.execute("stop", null).thenApply(r -> List.copyOf(seen));
            JsonNode command = server.nextCommand();
            assertThat(command.path("execute").asText()).isEqualTo("stop");
            server.send(eventText("STOP", null)
                    + eventText("NIC_RX_FILTER_CHANGED", "{\"name\": \"nic0\", \"path\": \"/x\"}")
                    + replyText(command, "{}"));
            assertThat(await(seenAtReply))
                    .as("events that preceded the reply were delivered before its future completed")
                    .containsExactly("STOP", "NIC_RX_FILTER_CHANGED");
            QmpEvent event = await(stop);
            assertThat(event.data().isObject())
                    .as("missing data becomes an empty object")
                    .isTrue();
            assertThat(event.timestamp().getEpochSecond()).isEqualTo(1764172800L);
        }

        @Test
        void awaitEventTimesOutNamingTheEvent() {
            Throwable failure = failureOf(client.awaitEvent("RESUME", Duration.ofMillis(50)));
            assertThat(failure).isInstanceOf(QmpTimeoutException.class).hasMessageContaining("RESUME");
        }

        @Test
        void aThrowingListenerDoesNotStopDelivery() throws Exception {
            client.subscribe(e -> {
                throw new IllegalStateException("listener bug");
            });
            CompletableFuture<QmpEvent> reset = client.awaitEvent("RESET", WAIT);
            server.send(eventText("RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}"));
            assertThat(await(reset).dataText("reason")).isEqualTo("host-qmp-system-reset");
        }
    }

    @Nested
    class Framing {
        @Test
        void replySplitAcrossManyWritesByteByByte() throws Exception {
            CompletableFuture<VmStatus> status = client.commands().queryStatus();
            JsonNode command = server.nextCommand();
            server.sendByteByByte(
                    replyText(command, "{\"status\": \"running\", \"singlestep\": false, \"running\": true}"),
                    Duration.ofMillis(1));
            assertThat(await(status)).isEqualTo(new VmStatus("running", true));
        }

        @Test
        void severalObjectsInOneWriteWithRepliesOutOfOrder() throws Exception {
            CompletableFuture<JsonNode> first = client.execute("query-name", null);
            CompletableFuture<JsonNode> second = client.execute("query-uuid", null);
            JsonNode one = server.nextCommand();
            JsonNode two = server.nextCommand();
            CompletableFuture<QmpEvent> powerdown = client.awaitEvent("POWERDOWN", WAIT);
            server.send(replyText(two, "{\"UUID\": \"u\"}")
                    + eventText("POWERDOWN", null)
                    + replyText(one, "{\"name\": \"n1\"}"));
            assertThat(await(first).path("name").asText()).isEqualTo("n1");
            assertThat(await(second).path("UUID").asText()).isEqualTo("u");
            assertThat(await(powerdown).name()).isEqualTo("POWERDOWN");
        }

        @Test
        void unknownFieldsAreTolerated() throws Exception {
            CompletableFuture<VmStatus> status = client.commands().queryStatus();
            JsonNode command = server.nextCommand();
            server.send(
                    "{\"future-field\": [1, {\"x\": \"}\"}], \"return\": {\"status\": \"paused\", \"running\": false,"
                            + " \"new-in-9.0\": true}, \"id\": " + command.get("id") + ", \"extra\": null}\r\n");
            assertThat(await(status)).isEqualTo(new VmStatus("paused", false));
        }

        @Test
        void repliesForUnknownIdsAreIgnored() throws Exception {
            CompletableFuture<JsonNode> name = client.execute("query-name", null);
            JsonNode command = server.nextCommand();
            server.send("{\"return\": {\"name\": \"stranger\"}, \"id\": 987654}\r\n"
                    + "{\"return\": {\"name\": \"stranger\"}, \"id\": \"not-ours\"}\r\n"
                    + "{\"error\": {\"class\": \"GenericError\", \"desc\": \"x\"}, \"id\": 987655}\r\n");
            server.reply(command, "{\"name\": \"mine\"}");
            assertThat(await(name).path("name").asText()).isEqualTo("mine");
        }

        @Test
        void garbageAndIdlessParseErrorsAreSkipped() throws Exception {
            CompletableFuture<JsonNode> name = client.execute("query-name", null);
            JsonNode command = server.nextCommand();
            server.send("garbage ]]] \u0001\r\n");
            server.send(
                    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'x'\"}}\r\n");
            server.send("{not json at all}\r\n");
            server.reply(command, "{\"name\": \"mine\"}");
            assertThat(await(name).path("name").asText()).isEqualTo("mine");
            assertThat(client.isClosed()).isFalse();
        }

        @Test
        void anOversizedObjectClosesTheConnectionWithAClearReason() throws Exception {
            CompletableFuture<JsonNode> name = client.execute("query-name", null);
            server.nextCommand();
            // the client hangs up mid-write: the writer's broken pipe is expected
            CompletableFuture.runAsync(() -> server.send("{\"return\": \"" + "x".repeat(17 << 20) + "\"}"));
            assertThat(failureOf(name))
                    .isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("cap");
        }
    }

    @Nested
    class Errors {
        @Test
        void errorReplyKeepsClassDescriptionAndCommand() throws Exception {
            CompletableFuture<Void> link = client.commands().setLink("nic9", false);
            JsonNode command = server.nextCommand();
            server.send("{\"id\": " + command.get("id")
                    + ", \"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'nic9' not found\"}}\r\n");
            assertThat(failureOf(link)).isInstanceOfSatisfying(QmpCommandException.class, e -> {
                assertThat(e.error().errorClass()).isEqualTo("DeviceNotFound");
                assertThat(e.error().description()).isEqualTo("Device 'nic9' not found");
                assertThat(e.error().command()).isEqualTo("set_link");
                assertThat(e.error().arguments().path("name").asText()).isEqualTo("nic9");
            });
        }

        @Test
        void humanMonitorErrorTextBecomesAnException() throws Exception {
            CompletableFuture<String> savevm = client.commands().humanMonitorCommand("savevm s1");
            JsonNode command = server.nextCommand();
            server.reply(command, "\"Error: No block device can accept snapshots\\r\\n\"");
            assertThat(failureOf(savevm))
                    .isInstanceOfSatisfying(
                            QmpCommandException.class,
                            e -> assertThat(e.error().errorClass()).isEqualTo(QmpError.HUMAN_MONITOR_ERROR));
        }

        @Test
        void aServerThatNeverRepliesTimesOutClearlyAndTheClientStaysUsable() throws Exception {
            CompletableFuture<JsonNode> silent = client.execute("query-name", null, Duration.ofMillis(100));
            JsonNode unanswered = server.nextCommand();
            assertThat(failureOf(silent))
                    .isInstanceOf(QmpTimeoutException.class)
                    .hasMessageContaining("query-name")
                    .hasMessageContaining("within");
            CompletableFuture<JsonNode> next = client.execute("query-uuid", null);
            JsonNode answered = server.nextCommand();
            server.reply(unanswered, "{\"name\": \"late\"}");
            server.reply(answered, "{\"UUID\": \"u\"}");
            assertThat(await(next).path("UUID").asText()).isEqualTo("u");
        }
    }

    @Nested
    class Closing {
        @Test
        void socketClosedMidCommandFailsEveryPendingCallAtOnce() throws Exception {
            Duration longTimeout = Duration.ofSeconds(60);
            CompletableFuture<JsonNode> first = client.execute("query-name", null, longTimeout);
            CompletableFuture<JsonNode> second = client.execute("query-uuid", null, longTimeout);
            CompletableFuture<QmpEvent> event = client.awaitEvent("SHUTDOWN", longTimeout);
            server.nextCommand();
            server.nextCommand();
            long start = System.nanoTime();
            server.closeConnection();
            assertThat(failureOf(first))
                    .isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("query-name")
                    .hasMessageContaining("closed the QMP socket");
            assertThat(failureOf(second)).isInstanceOf(QmpConnectionClosedException.class);
            assertThat(failureOf(event)).isInstanceOf(QmpConnectionClosedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("failed at once, not at the timeout")
                    .isLessThan(Duration.ofSeconds(5));
            await(client.closeFuture());
            assertThat(client.isClosed()).isTrue();
            assertThat(failureOf(client.execute("query-name", null)))
                    .isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("cannot send");
        }

        @Test
        void eofAfterQuitIsSuccess() throws Exception {
            CompletableFuture<QmpEvent> shutdown = client.awaitEvent("SHUTDOWN", WAIT);
            CompletableFuture<Void> quit = client.commands().quit();
            server.nextCommand();
            server.send(eventText("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}"));
            server.closeConnection();
            await(quit);
            assertThat(await(shutdown).dataText("reason")).isEqualTo("host-qmp-quit");
            await(client.closeFuture());
            assertThat(client.closeReason()).hasMessageContaining("after quit");
        }

        @Test
        void closeByTheCallerFailsPendingCalls() {
            CompletableFuture<JsonNode> pending = client.execute("query-name", null);
            server.nextCommand();
            client.close();
            assertThat(failureOf(pending))
                    .isInstanceOf(QmpConnectionClosedException.class)
                    .hasMessageContaining("was closed");
        }
    }
}
