package io.vmcluster.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The coordinator's end of one agent's connection ({@link Agent}'s protocol): requests are numbered
 * and may be in flight together; a reader thread matches each reply to its request. When the
 * connection ends every waiting request fails with what {@code whyEnded} says (the agent's log).
 */
final class AgentClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final OutputStream toAgent;
    private final Supplier<String> whyEnded;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> hello = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean ended;

    AgentClient(String host, InputStream fromAgent, OutputStream toAgent, Supplier<String> whyEnded) {
        this.host = host;
        this.toAgent = toAgent;
        this.whyEnded = whyEnded;
        Thread reader = new Thread(() -> read(fromAgent), "vmc-agent-" + host);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for the agent's first line: its JVM runs and reads requests. */
    JsonNode awaitReady(Duration timeout) {
        return await(hello, "to start", timeout);
    }

    /** A request: {@code op} and the fields {@code fill} sets. */
    ObjectNode request(String op) {
        ObjectNode r = JSON.createObjectNode();
        r.put("op", op);
        return r;
    }

    /**
     * Sends {@code request} and waits for its reply.
     *
     * @throws AgentException the agent answered with an error, ended, or did not answer in time
     */
    JsonNode call(ObjectNode request, Duration timeout) {
        long id = ids.incrementAndGet();
        request.put("id", id);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        if (ended) {
            pending.remove(id);
            throw new AgentException(host, "ended", "the agent on host " + host + " has ended: " + whyEnded.get());
        }
        try {
            synchronized (toAgent) {
                toAgent.write(JSON.writeValueAsBytes(request));
                toAgent.write('\n');
                toAgent.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            throw new AgentException(host, "ended", "cannot reach the agent on host " + host + ": " + e.getMessage());
        }
        JsonNode r = await(reply, "to answer " + request.path("op").asText(), timeout);
        if (!r.path("ok").asBoolean()) {
            throw new AgentException(
                    host, r.path("kind").asText("failed"), r.path("error").asText());
        }
        return r;
    }

    private JsonNode await(CompletableFuture<JsonNode> f, String what, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentException(
                    host,
                    "failed",
                    "the agent on host " + host + " did not " + what + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(host, "failed", "interrupted waiting for the agent on host " + host);
        }
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode m;
                try {
                    m = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // not the protocol (a JVM warning on stdout): ignored
                }
                if (m.has("agent")) {
                    hello.complete(m);
                } else {
                    CompletableFuture<JsonNode> f = pending.remove(m.path("id").asLong());
                    if (f != null) f.complete(m);
                }
            }
        } catch (IOException e) {
            // the connection broke: as if it ended
        } finally {
            ended = true;
            AgentException gone =
                    new AgentException(host, "ended", "the agent on host " + host + " ended: " + whyEnded.get());
            hello.completeExceptionally(gone);
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    @Override
    public void close() {
        try {
            toAgent.close();
        } catch (IOException e) {
            // ends anyway with the session
        }
    }
}
