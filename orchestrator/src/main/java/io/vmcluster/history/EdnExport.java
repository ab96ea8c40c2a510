package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Exports a history as Jepsen's {@code history.edn}: one operation map per line, in order, e.g.
 * {@code {:index 0, :time 123, :type :invoke, :process 0, :f :write, :value 3}}, so that Knossos,
 * Elle or any Jepsen checker can read it. An operation with an independent key gets Jepsen's
 * independent tuple as its value ({@code :value [key value]}); {@code node} and {@code error}
 * become {@code :node} and {@code :error} strings. Probe samples are not exported (they are not
 * client operations, and Jepsen's checkers would take them for some); the indexes stay those of
 * {@code history.jsonl}.
 */
public final class EdnExport {
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.-]*");

    private EdnExport() {}

    /** Writes {@code history.edn}. */
    public static void write(History history, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(history, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes one line per operation line of the history. */
    public static void write(History history, Writer out) throws IOException {
        for (Op op : history.ops()) {
            out.write(toEdn(op));
            out.write('\n');
        }
    }

    /** One operation as an EDN map. */
    public static String toEdn(Op op) {
        StringBuilder s = new StringBuilder("{:index ").append(op.index());
        s.append(", :time ").append(op.time());
        s.append(", :type :").append(op.type().wireName());
        s.append(", :process ").append(op.process());
        s.append(", :f :").append(op.f().name());
        s.append(", :value ");
        if (op.key() != null) {
            s.append('[');
            value(op.key(), s);
            s.append(' ');
            value(op.value(), s);
            s.append(']');
        } else {
            value(op.value(), s);
        }
        if (op.node() != null) {
            s.append(", :node ");
            string(op.node(), s);
        }
        if (op.error() != null) {
            s.append(", :error ");
            string(op.error(), s);
        }
        return s.append('}').toString();
    }

    /** A JSON value as EDN: null is nil, arrays vectors, objects maps with keyword keys where possible. */
    static void value(JsonNode v, StringBuilder s) {
        if (v == null || v.isNull()) {
            s.append("nil");
        } else if (v.isIntegralNumber()) {
            s.append(v.bigIntegerValue());
            if (!v.canConvertToLong()) {
                s.append('N');
            }
        } else if (v.isNumber()) {
            double d = v.doubleValue();
            s.append(Double.isFinite(d) ? Double.toString(d) : d > 0 ? "##Inf" : d < 0 ? "##-Inf" : "##NaN");
        } else if (v.isBoolean()) {
            s.append(v.booleanValue());
        } else if (v.isTextual()) {
            string(v.textValue(), s);
        } else if (v.isArray()) {
            s.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    s.append(' ');
                }
                value(v.get(i), s);
            }
            s.append(']');
        } else if (v.isObject()) {
            s.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    s.append(", ");
                }
                first = false;
                if (KEYWORD.matcher(e.getKey()).matches()) {
                    s.append(':').append(e.getKey());
                } else {
                    string(e.getKey(), s);
                }
                s.append(' ');
                value(e.getValue(), s);
            }
            s.append('}');
        } else {
            string(v.asText(), s);
        }
    }

    static void string(String text, StringBuilder s) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
