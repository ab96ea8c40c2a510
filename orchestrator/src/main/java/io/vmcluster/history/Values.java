package io.vmcluster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Operation values and keys are JSON values ({@link JsonNode}), kept in one canonical form so that
 * equal values are {@code equals}: every integer that fits a long is a long node, every other number
 * a double or big integer, containers are fresh copies, and "no value" is {@link NullNode}, never
 * Java null. Everything that builds an {@link Op} or a {@link Probe} passes through {@link
 * #canonical}; do not mutate a value after handing it over.
 */
public final class Values {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The null value: a read's invocation, an empty dequeue. */
    public static final JsonNode NULL = NullNode.getInstance();

    private Values() {}

    public static JsonNode of(long value) {
        return F.numberNode(value);
    }

    public static JsonNode of(String value) {
        return value == null ? NULL : F.textNode(value);
    }

    /** A list of integers, e.g. a set read {@code [1, 2, 3]}. */
    public static JsonNode list(long... values) {
        ArrayNode a = F.arrayNode();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    /** A list of integers, e.g. a set read {@code [1, 2, 3]}. */
    public static JsonNode list(Collection<? extends Number> values) {
        ArrayNode a = F.arrayNode();
        for (Number v : values) {
            a.add(v.longValue());
        }
        return a;
    }

    /** A compare-and-set's value {@code [old, new]}. */
    public static JsonNode cas(JsonNode expected, JsonNode replacement) {
        ArrayNode a = F.arrayNode();
        a.add(canonical(expected));
        a.add(canonical(replacement));
        return a;
    }

    /** A compare-and-set's value {@code [old, new]}. */
    public static JsonNode cas(long expected, long replacement) {
        return cas(of(expected), of(replacement));
    }

    /** An object from alternating names and values (values: long, String, Boolean, null or JsonNode). */
    public static JsonNode object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("object(...) takes names and values in pairs");
        }
        ObjectNode o = F.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            o.set(String.valueOf(namesAndValues[i]), fromJava(namesAndValues[i + 1]));
        }
        return o;
    }

    /** A Java value (null, Number, String, Boolean, List, Map, JsonNode) as a canonical JSON value. */
    public static JsonNode fromJava(Object v) {
        if (v == null) {
            return NULL;
        }
        if (v instanceof JsonNode n) {
            return canonical(n);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return F.numberNode(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return canonical(F.numberNode(n.doubleValue()));
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            l.forEach(x -> a.add(fromJava(x)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), fromJava(x)));
            return o;
        }
        return F.textNode(v.toString());
    }

    /** The canonical form of a JSON value (see the class comment); null becomes {@link #NULL}. */
    public static JsonNode canonical(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return NULL;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? F.numberNode(n.longValue()) : F.numberNode(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return F.numberNode((long) d); // 3.0 and 3 are the same value
            }
            return F.numberNode(d);
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            n.forEach(x -> a.add(canonical(x)));
            return a;
        }
        if (n.isObject()) {
            ObjectNode o = F.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), canonical(e.getValue()));
            }
            return o;
        }
        if (n.isBinary()) {
            return F.textNode(n.asText());
        }
        return n; // text and boolean nodes are immutable
    }

    /** The value as a long, if it is an integer that fits one. */
    public static OptionalLong asLong(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong()
                ? OptionalLong.of(n.longValue())
                : OptionalLong.empty();
    }

    /** The elements of a list value; a non-list is an empty list. */
    public static List<JsonNode> elements(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(out::add);
        }
        return out;
    }

    /** Compact JSON text for messages: {@code 3}, {@code "k1"}, {@code [1,2]}, {@code null}. */
    public static String show(JsonNode n) {
        return n == null ? "null" : n.toString();
    }
}
