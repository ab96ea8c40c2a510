package io.vmcluster.cluster.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that remembers where each value was written, so errors can
 * say {@code file:line:column}. Jackson's own tree forgets positions.
 */
final class YamlTree {
    private YamlTree() {}

    /** Line and column, 1-based. */
    record Pos(int line, int column) {
        static Pos of(JsonLocation l) {
            return new Pos(l.getLineNr(), l.getColumnNr());
        }

        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    sealed interface Node permits Scalar, Mapping, Sequence {
        Pos pos();

        /** "a number", "a list"... for error messages. */
        String describe();
    }

    /** A scalar; {@code text} is null for YAML null; {@code token} tells numbers from strings. */
    record Scalar(String text, JsonToken token, Pos pos) implements Node {
        boolean isInteger() {
            return token == JsonToken.VALUE_NUMBER_INT;
        }

        @Override
        public String describe() {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
                case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
                case VALUE_NULL -> "nothing (null)";
                default -> "the text '" + text + "'";
            };
        }
    }

    record Entry(String key, Pos keyPos, Node value) {}

    record Mapping(Map<String, Entry> entries, Pos pos) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(List<Node> items, Pos pos) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** Reads one document; null for an empty document. */
    static Node read(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == null ? null : readValue(p, t);
    }

    private static Node readValue(JsonParser p, JsonToken t) throws IOException {
        Pos pos = Pos.of(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Pos keyPos = Pos.of(p.currentTokenLocation());
                    Node value = readValue(p, p.nextToken());
                    entries.put(key, new Entry(key, keyPos, value));
                }
                return new Mapping(entries, pos);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(readValue(p, i));
                }
                return new Sequence(items, pos);
            }
            case VALUE_NULL -> {
                return new Scalar(null, t, pos);
            }
            default -> {
                return new Scalar(p.getText(), t, pos);
            }
        }
    }
}
