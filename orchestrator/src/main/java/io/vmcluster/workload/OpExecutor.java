package io.vmcluster.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmcluster.command.CommandResult;
import io.vmcluster.command.CommandTimeoutException;
import io.vmcluster.history.OpType;
import io.vmcluster.scenario.Template;
import io.vmcluster.time.Deadline;
import io.vmcluster.time.Durations;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one operation over its transport and classifies the answer ({@link Expect}), reading an ok
 * answer's value ({@link ValueParser}). Never throws for what the cluster does: every refusal,
 * timeout, reset or odd answer becomes a {@link Completion} whose error says what happened.
 */
final class OpExecutor {
    private static final int ERROR_CHARS = 300;

    private final WorkloadTarget target;
    private final Timing timing;
    private final Function<String, String> variables;

    /**
     * @param variables the value of any {@code ${name}} other than value, key and node (null when
     *     there is none, which fails the operation's substitution)
     */
    OpExecutor(WorkloadTarget target, Timing timing, Function<String, String> variables) {
        this.target = target;
        this.timing = timing;
        this.variables = variables;
    }

    /**
     * Substitutes {@code ${value}}, {@code ${key}}, {@code ${node}}, a cas's {@code ${old}} and
     * {@code ${new}} (the two halves of its {@code [old, new]}; {@code ${value}} is the pair as
     * JSON) and the run's variables.
     */
    String substitute(String template, String node, JsonNode key, JsonNode value) {
        boolean cas = value != null && value.isArray() && value.size() == 2;
        return Template.substitute(template, name -> switch (name) {
            case "value" -> text(value);
            case "key" -> text(key);
            case "node" -> node;
            case "old" -> cas ? text(value.get(0)) : variables.apply(name);
            case "new" -> cas ? text(value.get(1)) : variables.apply(name);
            default -> variables.apply(name);
        });
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull()) return "";
        return v.isTextual() ? v.textValue() : v.toString();
    }

    Completion run(OpSpec op, String node, JsonNode key, JsonNode value, Duration timeout) {
        try {
            Transport t = op.transport();
            if (t instanceof Transport.Http h) {
                return http(op, h, node, key, value, timeout);
            } else if (t instanceof Transport.Tcp tcp) {
                return tcp(op, tcp, node, key, value, timeout);
            } else if (t instanceof Transport.Guest g) {
                return guest(op, g, node, key, value, timeout);
            }
            throw new AssertionError(t);
        } catch (IllegalArgumentException e) {
            // a template whose variable has no value, a node pick naming no node: nothing was sent
            return Completion.fail("not sent: " + e.getMessage());
        }
    }

    private Completion http(OpSpec op, Transport.Http h, String node, JsonNode key, JsonNode value, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        h.headers().forEach((k, v) -> headers.put(k, substitute(v, node, key, value)));
        String path = substitute(h.path(), node, key, value);
        String body = h.body() == null ? null : substitute(h.body(), node, key, value);
        InetSocketAddress to = target.address(node, h.port());
        return overSocket(to, timeout, h.method() + " " + path + " on " + node, (s, d) -> {
            HttpExchange.send(s, to, h.method(), path, headers, body);
            HttpExchange.Response r = HttpExchange.receive(s, d);
            OpType type = op.expect().classify("http", r.status(), r.body());
            return finish(op, type, r.body(), value, "HTTP " + r.status() + ": " + abbreviate(r.body()));
        });
    }

    private Completion tcp(OpSpec op, Transport.Tcp t, String node, JsonNode key, JsonNode value, Duration timeout) {
        String payload = substitute(t.payload(), node, key, value);
        String until = t.until() == null ? null : substitute(t.until(), node, key, value);
        InetSocketAddress to = target.address(node, t.port());
        return overSocket(to, timeout, "tcp " + to + " on " + node, (s, d) -> {
            s.getOutputStream().write(payload.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            if (until == null) {
                s.shutdownOutput(); // the peer reads to end of stream and answers
            }
            byte[] reply = new Wire(s, d).upTo(until == null ? null : until.getBytes(StandardCharsets.UTF_8));
            String output = new String(reply, StandardCharsets.UTF_8);
            return finish(op, op.expect().classify("tcp", 0, output), output, value, "reply: " + abbreviate(output));
        });
    }

    /** One request and its answer on a fresh connection. */
    private interface Exchange {
        Completion run(Socket socket, Deadline deadline) throws IOException;
    }

    /**
     * Connects (a failure is {@code fail}: nothing was sent), runs the exchange under one deadline,
     * and makes every later failure {@code info}: the request may have arrived.
     */
    private Completion overSocket(InetSocketAddress to, Duration timeout, String what, Exchange exchange) {
        Deadline d = Deadline.after(timing.scale(timeout));
        SocketChannel ch;
        try {
            ch = connect(to, timeout);
        } catch (NotConnected e) {
            return e.completion;
        }
        try (ch) {
            try {
                return exchange.run(ch.socket(), d);
            } catch (SocketTimeoutException e) {
                return Completion.info("timeout after " + Durations.format(timeout) + " (" + what + ")");
            } catch (IOException e) {
                return Completion.info(exception(e) + " (" + what + ")");
            }
        } catch (IOException e) {
            return Completion.info("closing the connection: " + exception(e));
        }
    }

    private Completion guest(
            OpSpec op, Transport.Guest g, String node, JsonNode key, JsonNode value, Duration timeout) {
        String cmd = substitute(g.command(), node, key, value);
        var down = target.unavailable(node);
        if (down.isPresent()) {
            return Completion.fail(down.get() + ": `" + abbreviate(cmd) + "` not sent");
        }
        CommandResult r;
        try {
            r = target.exec(node, cmd, timeout);
        } catch (CommandTimeoutException e) {
            return Completion.info(
                    "timeout after " + Durations.format(timeout) + " (`" + abbreviate(cmd) + "` on " + node + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Completion.info("interrupted");
        } catch (Exception e) {
            return Completion.info(exception(e) + " (`" + abbreviate(cmd) + "` on " + node + ")");
        }
        String stdout = r.stdoutText();
        String both = r.stderrText().isEmpty() ? stdout : stdout + "\n" + r.stderrText();
        OpType type = op.expect().classify("command", r.exitCode(), both);
        String err = "exit " + r.exitCode() + ": " + abbreviate(r.stderrText().isBlank() ? stdout : r.stderrText());
        return finish(op, type, stdout, value, err);
    }

    /** A connect that did not happen: nothing was sent, so the operation certainly failed. */
    private static final class NotConnected extends Exception {
        final Completion completion;

        NotConnected(Completion completion) {
            super(completion.error(), null, false, false);
            this.completion = completion;
        }
    }

    private SocketChannel connect(InetSocketAddress to, Duration timeout) throws NotConnected {
        try {
            return target.connect(to, timeout);
        } catch (ConnectException e) {
            throw new NotConnected(Completion.fail("connection refused by " + to));
        } catch (SocketTimeoutException e) {
            throw new NotConnected(Completion.fail("no connection to " + to + " within " + Durations.format(timeout)));
        } catch (IOException e) {
            throw new NotConnected(Completion.fail("cannot connect to " + to + ": " + exception(e)));
        }
    }

    private static Completion finish(OpSpec op, OpType type, String output, JsonNode input, String error) {
        return switch (type) {
            case OK -> {
                try {
                    yield Completion.ok(op.parse().parse(output, input));
                } catch (IllegalArgumentException e) {
                    yield Completion.info(
                            "ok, but its value could not be read (" + op.parse() + "): " + e.getMessage());
                }
            }
            case FAIL -> Completion.fail(error);
            default -> Completion.info(error);
        };
    }

    static String exception(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > ERROR_CHARS ? t.substring(0, ERROR_CHARS) + "…" : t;
    }
}
