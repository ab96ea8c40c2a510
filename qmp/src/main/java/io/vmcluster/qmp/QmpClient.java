package io.vmcluster.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmcluster.qmp.transport.JsonConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for one QEMU QMP socket.
 *
 * <p>{@link #connect} retries until the socket accepts, reads the greeting and negotiates
 * {@code qmp_capabilities} (never {@code oob}). {@link #execute} sends a command with a fresh
 * {@code id} and returns a future of its {@code return} value; the future fails with {@link
 * QmpCommandException} on an error reply, {@link QmpTimeoutException} when no reply comes in time,
 * and {@link QmpConnectionClosedException} at once when the connection goes away.
 *
 * <p>Threads: one reader decodes the socket; one dispatcher delivers events to listeners in wire
 * order. A reply future completes after every event that preceded the reply was delivered (so a
 * listener has seen {@code STOP} before the future of {@code stop} completes): on the reader
 * thread when no event is pending, else on the dispatcher behind those events. Listeners and
 * non-async future callbacks must therefore not block (use the {@code *Async} variants or another
 * thread for blocking work). One timer fires timeouts. All public methods are thread-safe.
 *
 * <p>Replies with an unknown id (e.g. after a timeout) are ignored; errors without an id (QEMU's
 * JSON parse errors) are logged. After {@code quit}, the socket closing is success.
 */
public final class QmpClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);

    private final Path socket;
    private final QmpClientOptions options;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<EventWaiter> waiters = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher;
    private final ScheduledThreadPoolExecutor timer;
    private final CompletableFuture<QmpGreeting> greeting = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicReference<QmpException> closeReason = new AtomicReference<>();
    private final QmpCommands commands = new QmpCommands(this);
    private volatile boolean quitSent;
    private volatile JsonConnection connection;

    private record PendingCall(
            long id, String command, JsonNode arguments, CompletableFuture<JsonNode> future, long sentNanos) {}

    private static final class EventWaiter {
        final Predicate<QmpEvent> predicate;
        final String description;
        final CompletableFuture<QmpEvent> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        EventWaiter(Predicate<QmpEvent> predicate, String description) {
            this.predicate = predicate;
            this.description = description;
        }
    }

    private QmpClient(Path socket, QmpClientOptions options) {
        this.socket = socket;
        this.options = options;
        this.dispatcher = Executors.newSingleThreadExecutor(daemon(options.name() + "-qmp-dispatch"));
        this.timer = new ScheduledThreadPoolExecutor(1, daemon(options.name() + "-qmp-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** Connects with {@link QmpClientOptions#DEFAULTS}. */
    public static QmpClient connect(Path socket) throws IOException {
        return connect(socket, QmpClientOptions.DEFAULTS);
    }

    /**
     * Connects to the QMP socket at {@code socket}, retrying while it is missing or refuses, reads
     * the greeting and leaves capabilities negotiation mode, all within {@code
     * options.connectTimeout()}.
     *
     * @throws IOException if the socket never accepted a connection
     * @throws QmpException if the peer did not greet or negotiate like QEMU
     */
    public static QmpClient connect(Path socket, QmpClientOptions options) throws IOException {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(options, "options");
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        QmpClient client = new QmpClient(socket, options);
        try {
            client.connection = JsonConnection.connect(
                    socket,
                    options.connectTimeout(),
                    client.mapper,
                    options.maxFrameBytes(),
                    client.new Reader(),
                    options.name() + "-qmp");
            awaitSetup(client.greeting, deadline, "the QMP greeting from " + socket);
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            awaitSetup(client.execute("qmp_capabilities", null, left), deadline, "qmp_capabilities on " + socket);
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static <T> void awaitSetup(CompletableFuture<T> future, long deadlineNanos, String what) {
        try {
            future.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new QmpTimeoutException("timed out waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpException q) {
                throw q;
            }
            throw new QmpProtocolException("failed waiting for " + what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted waiting for " + what, e);
        }
    }

    /** What QEMU announced: version and capabilities. */
    public QmpGreeting greeting() {
        return greeting.getNow(null);
    }

    /** The QMP socket this client talks to. */
    public Path socket() {
        return socket;
    }

    /** The options this client was connected with. */
    public QmpClientOptions options() {
        return options;
    }

    /** Typed helpers for the commands vmcluster uses. */
    public QmpCommands commands() {
        return commands;
    }

    /** Sends a command value ({@link QmpCommand}), with the default timeout. */
    public CompletableFuture<JsonNode> execute(QmpCommand command) {
        return execute(command.name(), command.arguments().isEmpty() ? null : mapper.valueToTree(command.arguments()));
    }

    /** Runs {@code command} with the default timeout. {@code arguments} may be null. */
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments) {
        return execute(command, arguments, options.defaultTimeout());
    }

    /**
     * Sends {@code command} (with {@code arguments}, which may be null) and returns a future of
     * its {@code return} value, failing after {@code timeout} without a reply.
     */
    public CompletableFuture<JsonNode> execute(String command, ObjectNode arguments, Duration timeout) {
        return send(command, arguments, timeout, -1);
    }

    /**
     * Like {@link #execute(String, ObjectNode, Duration)}, with the open file descriptor {@code fd}
     * attached by SCM_RIGHTS to the bytes of this very command (as {@code getfd} and {@code add-fd}
     * need). QEMU takes its own copy; the caller still owns and must close {@code fd}.
     */
    public CompletableFuture<JsonNode> executeWithFileDescriptor(
            String command, ObjectNode arguments, int fd, Duration timeout) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        return send(command, arguments, timeout, fd);
    }

    private CompletableFuture<JsonNode> send(String command, ObjectNode arguments, Duration timeout, int fd) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        QmpException closed = closeReason.get();
        if (closed != null) {
            return CompletableFuture.failedFuture(
                    new QmpConnectionClosedException("cannot send '" + command + "': " + closed.getMessage(), closed));
        }
        long id = ids.incrementAndGet();
        ObjectNode message = mapper.createObjectNode();
        message.put("execute", command);
        if (arguments != null) {
            message.set("arguments", arguments);
        }
        message.put("id", id);
        PendingCall call = new PendingCall(id, command, arguments, new CompletableFuture<>(), System.nanoTime());
        pending.put(id, call);
        if (closeReason.get() != null) {
            failPending(call, closeReason.get());
            return call.future();
        }
        ScheduledFuture<?> timeoutTask;
        try {
            timeoutTask = timer.schedule(() -> timeOut(call, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            failPending(call, closeReason.get() != null ? closeReason.get() : new QmpException("client is closing"));
            return call.future();
        }
        call.future().whenComplete((r, t) -> timeoutTask.cancel(false));
        if (command.equals("quit")) {
            quitSent = true;
        }
        try {
            JsonConnection conn = connection;
            if (fd >= 0) {
                conn.sendWithFileDescriptor(message, fd);
            } else {
                conn.send(message);
            }
        } catch (IOException e) {
            terminate(new QmpException("writing '" + command + "' to " + socket + " failed: " + e.getMessage(), e));
        }
        return call.future();
    }

    private void timeOut(PendingCall call, Duration timeout) {
        if (pending.remove(call.id(), call)) {
            call.future()
                    .completeExceptionally(new QmpTimeoutException("no reply to QMP '" + call.command() + "' (id "
                            + call.id() + ") from " + socket + " within " + timeout));
        }
    }

    /**
     * Registers {@code listener} for every event, delivered in order on the dispatcher thread.
     * A listener must not block; its exceptions are logged and do not stop delivery.
     */
    public QmpSubscription subscribe(Consumer<QmpEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Arms a wait for the next event of {@code type}; see {@link #awaitEvent(Predicate, String, Duration)}. */
    public CompletableFuture<QmpEvent> awaitEvent(QmpEventType type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        return awaitEvent(event -> event.is(type), type.wireName(), timeout);
    }

    /** Arms a wait for the next event named {@code name}; see {@link #awaitEvent(Predicate, String, Duration)}. */
    public CompletableFuture<QmpEvent> awaitEvent(String name, Duration timeout) {
        Objects.requireNonNull(name, "name");
        return awaitEvent(event -> event.name().equals(name), name, timeout);
    }

    /**
     * Arms a wait, now, for the first event after this call that matches {@code predicate}. Arm it
     * before sending the command that provokes the event (QEMU sends STOP before the reply to
     * {@code stop}). Fails with {@link QmpTimeoutException} naming {@code description} after
     * {@code timeout}, or at once if the connection closes.
     */
    public CompletableFuture<QmpEvent> awaitEvent(Predicate<QmpEvent> predicate, String description, Duration timeout) {
        EventWaiter waiter = new EventWaiter(predicate, description);
        waiters.add(waiter);
        QmpException closed = closeReason.get();
        if (closed != null) {
            failWaiter(waiter, closed);
            return waiter.future;
        }
        try {
            waiter.timeout = timer.schedule(
                    () -> {
                        if (waiters.remove(waiter)) {
                            waiter.future.completeExceptionally(new QmpTimeoutException(
                                    "no " + description + " event from " + socket + " within " + timeout));
                        }
                    },
                    timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            failWaiter(waiter, closeReason.get() != null ? closeReason.get() : new QmpException("client is closing"));
        }
        return waiter.future;
    }

    /** Whether the connection is gone (for any reason). */
    public boolean isClosed() {
        return closeReason.get() != null;
    }

    /** Why the connection closed, or null while open. */
    public QmpException closeReason() {
        return closeReason.get();
    }

    /**
     * Completes once the connection is closed, after every event read before that was delivered.
     * Completes normally in every case; {@link #closeReason()} says why.
     */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture.thenApply(v -> v);
    }

    /** Closes the connection; pending calls fail with {@link QmpConnectionClosedException}. */
    @Override
    public void close() {
        terminate(new QmpException("the QMP client for " + socket + " was closed"));
        JsonConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }

    private void terminate(QmpException reason) {
        if (!closeReason.compareAndSet(null, reason)) {
            return;
        }
        JsonConnection conn = connection;
        if (conn != null) {
            conn.shutdownSocket();
        }
        greeting.completeExceptionally(reason);
        List<PendingCall> calls = new ArrayList<>(pending.values());
        for (PendingCall call : calls) {
            if (pending.remove(call.id(), call)) {
                if (quitSent && call.command().equals("quit")) {
                    call.future().complete(NullNode.getInstance());
                } else {
                    failPending(call, reason);
                }
            }
        }
        timer.shutdownNow();
        // Waiters fail behind the events already read (SHUTDOWN before the EOF must still match).
        Runnable last = () -> {
            for (EventWaiter waiter : waiters) {
                failWaiter(waiter, reason);
            }
            closeFuture.complete(null);
        };
        try {
            dispatcher.execute(last);
        } catch (RejectedExecutionException e) {
            last.run();
        }
        dispatcher.shutdown();
    }

    private void failPending(PendingCall call, QmpException reason) {
        pending.remove(call.id(), call);
        call.future()
                .completeExceptionally(new QmpConnectionClosedException(
                        "no reply to QMP '" + call.command() + "' (id " + call.id() + "): " + reason.getMessage(),
                        reason));
    }

    private void failWaiter(EventWaiter waiter, QmpException reason) {
        if (waiters.remove(waiter)) {
            ScheduledFuture<?> timeout = waiter.timeout;
            if (timeout != null) {
                timeout.cancel(false);
            }
            waiter.future.completeExceptionally(new QmpConnectionClosedException(
                    "no " + waiter.description + " event: " + reason.getMessage(), reason));
        }
    }

    private void dispatch(Runnable task) {
        queued.incrementAndGet();
        try {
            dispatcher.execute(() -> {
                try {
                    task.run();
                } finally {
                    queued.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            LOG.debug("{}: dropped a message that arrived after close", socket);
        }
    }

    /**
     * Completes a reply: directly on the reader thread when no event is waiting for (or in)
     * delivery, which saves a thread hop; otherwise behind those events on the dispatcher, so
     * listeners always see the events that preceded a reply before its future completes.
     */
    private void completeInOrder(Runnable completion) {
        if (queued.get() == 0) {
            completion.run();
        } else {
            dispatch(completion);
        }
    }

    private void deliver(QmpEvent event) {
        for (Consumer<QmpEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("{}: event listener failed on {}", socket, event.name(), e);
            }
        }
        for (EventWaiter waiter : waiters) {
            boolean matches;
            try {
                matches = waiter.predicate.test(event);
            } catch (RuntimeException e) {
                if (waiters.remove(waiter)) {
                    waiter.future.completeExceptionally(e);
                }
                continue;
            }
            if (matches && waiters.remove(waiter)) {
                ScheduledFuture<?> timeout = waiter.timeout;
                if (timeout != null) {
                    timeout.cancel(false);
                }
                waiter.future.complete(event);
            }
        }
    }

    /** Runs on the reader thread: sorts messages, never runs caller code. */
    private final class Reader implements JsonConnection.Handler {
        @Override
        public void onMessage(JsonNode message) {
            if (message.has("QMP")) {
                greeting.complete(parseGreeting(message.get("QMP")));
            } else if (message.has("event")) {
                QmpEvent event = parseEvent(message);
                dispatch(() -> deliver(event));
            } else if (message.has("return") || message.has("error")) {
                onReply(message);
            } else {
                LOG.debug("{}: ignoring a message that is neither reply nor event: {}", socket, message);
            }
        }

        private void onReply(JsonNode message) {
            JsonNode id = message.get("id");
            if (id == null || !id.canConvertToLong()) {
                if (message.has("error")) {
                    LOG.warn(
                            "{}: QEMU sent an error tied to no command (e.g. a JSON parse error): {}", socket, message);
                } else {
                    LOG.debug("{}: ignoring a reply without our id: {}", socket, message);
                }
                return;
            }
            PendingCall call = pending.remove(id.asLong());
            if (call == null) {
                LOG.debug("{}: ignoring a reply for unknown id {} (timed out or not ours)", socket, id);
                return;
            }
            JsonNode error = message.get("error");
            if (error != null) {
                QmpError qmpError = new QmpError(
                        error.path("class").asText("GenericError"),
                        error.path("desc").asText(""),
                        call.command(),
                        call.arguments());
                completeInOrder(() -> call.future().completeExceptionally(new QmpCommandException(qmpError)));
            } else {
                JsonNode value = message.get("return");
                completeInOrder(() -> call.future().complete(value));
            }
        }

        @Override
        public void onClosed(IOException cause) {
            if (quitSent) {
                // QEMU 7.2 may reset the socket after quit (ECONNRESET): that is the expected end too.
                terminate(new QmpException("QEMU closed the QMP socket " + socket + " after quit"
                        + (cause == null ? "" : " (" + cause.getMessage() + ")")));
            } else if (cause != null) {
                terminate(new QmpException("QMP connection to " + socket + " broke: " + cause.getMessage(), cause));
            } else {
                terminate(new QmpException("QEMU closed the QMP socket " + socket + " (did QEMU exit?)"));
            }
        }
    }

    private QmpGreeting parseGreeting(JsonNode qmp) {
        JsonNode version = qmp.path("version");
        JsonNode qemu = version.path("qemu");
        List<String> capabilities = new ArrayList<>();
        qmp.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        return new QmpGreeting(
                new QmpVersion(
                        qemu.path("major").asInt(),
                        qemu.path("minor").asInt(),
                        qemu.path("micro").asInt(),
                        version.path("package").asText("")),
                capabilities);
    }

    private QmpEvent parseEvent(JsonNode message) {
        JsonNode data = message.get("data");
        JsonNode timestamp = message.path("timestamp");
        Instant time = timestamp.has("seconds")
                ? Instant.ofEpochSecond(
                        timestamp.path("seconds").asLong(),
                        timestamp.path("microseconds").asLong() * 1000)
                : Instant.now();
        return new QmpEvent(
                message.get("event").asText(), data == null || data.isNull() ? mapper.createObjectNode() : data, time);
    }

    /** A fresh, empty arguments object (for callers building {@link #execute} arguments). */
    public ObjectNode arguments() {
        return mapper.createObjectNode();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
