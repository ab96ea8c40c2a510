package io.vmcluster.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vmcluster.history.Values;
import io.vmcluster.json.JsonPath;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an ok answer's value is read from its output (an HTTP body, a TCP reply, a command's stdout).
 * Text that is an integer literal becomes an integer everywhere ({@code "17"} and {@code 17} are one
 * value to a checker). A value that cannot be parsed turns an ok into {@code info}: the operation
 * succeeded, but what it returned is unknown.
 *
 * @param kind how
 * @param argument the JSON path of {@link Kind#JSON}, the pattern of {@link Kind#REGEX} and {@link
 *     Kind#REGEX_ALL}, else null
 */
public record ValueParser(Kind kind, String argument) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

    /** The operation's own value (a write's, an add's): the output is not read. */
    public static final ValueParser INPUT = new ValueParser(Kind.INPUT, null);

    public enum Kind {
        /** Keep the invocation's value. */
        INPUT,
        /** The output, stripped; an integer when it is one; empty output is null. */
        TEXT,
        /** Every non-empty line as an integer: a list (a set read). */
        LINES,
        /** The output as JSON, and the value at the path ({@link JsonPath}, with {@code [*]}). */
        JSON,
        /** The first match of the pattern: its group 1 if it has groups, else the whole match. */
        REGEX,
        /** Every match of the pattern (group 1 or the whole match): a list. */
        REGEX_ALL
    }

    public ValueParser {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case JSON -> {
                String bad = JsonPath.check(argument == null ? "$" : argument);
                if (bad != null) throw new IllegalArgumentException(bad);
            }
            case REGEX, REGEX_ALL -> {
                Objects.requireNonNull(argument, "pattern");
                Pattern.compile(argument);
            }
            default -> {}
        }
    }

    public static ValueParser text() {
        return new ValueParser(Kind.TEXT, null);
    }

    public static ValueParser lines() {
        return new ValueParser(Kind.LINES, null);
    }

    public static ValueParser json(String path) {
        return new ValueParser(Kind.JSON, path == null ? "$" : path);
    }

    public static ValueParser regex(String pattern) {
        return new ValueParser(Kind.REGEX, pattern);
    }

    public static ValueParser regexAll(String pattern) {
        return new ValueParser(Kind.REGEX_ALL, pattern);
    }

    /**
     * The value in {@code output}; {@code input} for {@link Kind#INPUT}.
     *
     * @throws IllegalArgumentException saying why the output holds no such value
     */
    public JsonNode parse(String output, JsonNode input) {
        return switch (kind) {
            case INPUT -> input;
            case TEXT -> {
                String t = output.strip();
                yield t.isEmpty() ? Values.NULL : scalar(t);
            }
            case LINES -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (String line : output.split("\n")) {
                    String t = line.strip();
                    if (t.isEmpty()) continue;
                    if (!INTEGER.matcher(t).matches()) {
                        throw new IllegalArgumentException("line '" + abbreviate(t) + "' is not an integer");
                    }
                    a.add(Long.parseLong(t));
                }
                yield a;
            }
            case JSON -> {
                JsonNode root;
                try {
                    root = JSON.readTree(output);
                } catch (Exception e) {
                    throw new IllegalArgumentException("the output is not JSON: '" + abbreviate(output) + "'");
                }
                if (root == null) throw new IllegalArgumentException("the output is empty, not JSON");
                JsonNode v = JsonPath.select(root, argument);
                if (v == null) {
                    throw new IllegalArgumentException(argument + " selects nothing in '" + abbreviate(output) + "'");
                }
                yield integers(v);
            }
            case REGEX -> {
                Matcher m = Pattern.compile(argument).matcher(output);
                if (!m.find()) {
                    throw new IllegalArgumentException("/" + argument + "/ is not in '" + abbreviate(output) + "'");
                }
                yield scalar(m.groupCount() > 0 ? m.group(1) : m.group());
            }
            case REGEX_ALL -> {
                Matcher m = Pattern.compile(argument).matcher(output);
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                while (m.find()) {
                    a.add(scalar(m.groupCount() > 0 ? m.group(1) : m.group()));
                }
                yield a;
            }
        };
    }

    private static JsonNode scalar(String t) {
        return t != null && INTEGER.matcher(t).matches() ? Values.of(Long.parseLong(t)) : Values.of(t);
    }

    /** Integer literals in text nodes become integers, at any depth. */
    private static JsonNode integers(JsonNode v) {
        if (v.isTextual()) {
            return scalar(v.textValue());
        }
        if (v.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            v.forEach(x -> a.add(integers(x)));
            return a;
        }
        if (v.isObject()) {
            var o = JsonNodeFactory.instance.objectNode();
            v.fields().forEachRemaining(e -> o.set(e.getKey(), integers(e.getValue())));
            return o;
        }
        return Values.canonical(v);
    }

    private static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }

    @Override
    public String toString() {
        return argument == null ? kind.name().toLowerCase() : kind.name().toLowerCase() + " " + argument;
    }
}
