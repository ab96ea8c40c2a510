package io.vmcluster.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One value of a YAML document that remembers where it was written, so every error can say
 * {@code file:line:column}. Read one with {@link YamlReader}; it has already resolved aliases
 * and merge keys ({@code <<}), rejected duplicate keys, and bounded the document's size, depth
 * and alias expansion. An aliased value is the same object at each place it is used, with the
 * location of its anchor.
 *
 * <p>The accessors never throw: {@link #text()} of a mapping is null, {@link #items()} of a
 * scalar is empty, so a reader can test the shape once and report what it found with
 * {@link #describe()}.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {
    /** Where the value starts (for a block mapping: its first key). */
    Location location();

    /** What the value is, for messages: "a mapping", "a list", "the text 'x'", "the number 3", "nothing (null)". */
    String describe();

    default boolean isMap() {
        return this instanceof Mapping;
    }

    default boolean isList() {
        return this instanceof Sequence;
    }

    /** A scalar that is not null. */
    default boolean isScalar() {
        return this instanceof Scalar s && s.kind() != Scalar.Kind.NULL;
    }

    /** A YAML null ({@code ~}, {@code null}, or nothing after the colon). */
    default boolean isNull() {
        return this instanceof Scalar s && s.kind() == Scalar.Kind.NULL;
    }

    /** The scalar's text as written (quotes removed), or null for a null or a collection. */
    default String text() {
        return this instanceof Scalar s && s.kind() != Scalar.Kind.NULL ? s.value() : null;
    }

    /** A list's items; empty for anything else. */
    default List<YamlNode> items() {
        return this instanceof Sequence s ? s.values() : List.of();
    }

    /** A mapping's entries by key, in file order (merged entries where the {@code <<} was); empty for anything else. */
    default Map<String, Entry> entries() {
        if (!(this instanceof Mapping m)) {
            return Map.of();
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : m.list()) {
            out.put(e.key(), e);
        }
        return out;
    }

    /**
     * A scalar.
     *
     * @param value the text as written, quotes and escapes resolved ({@code ""} for a null)
     * @param kind how YAML reads it: a plain {@code 3} is an int, {@code "3"} is a string
     * @param location where it is written
     */
    record Scalar(String value, Kind kind, Location location) implements YamlNode {
        /** The YAML 1.1 core types a scalar can resolve to. */
        public enum Kind {
            STRING,
            INT,
            FLOAT,
            BOOL,
            NULL
        }

        /** A scalar as if written plain (unquoted) at {@code location}: {@code 3} is an int, {@code x} a string. */
        public static Scalar plain(String value, Location location) {
            return new Scalar(value, Composer.plainKind(value), location);
        }

        public Scalar {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String describe() {
            return switch (kind) {
                case INT, FLOAT -> "the number " + shorten(value);
                case BOOL -> "the boolean " + value;
                case NULL -> "nothing (null)";
                case STRING -> "the text '" + shorten(value) + "'";
            };
        }

        private static String shorten(String s) {
            String oneLine = s.replace("\n", "\\n");
            return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
        }
    }

    /**
     * A key and its value.
     *
     * @param key the key's text
     * @param keyLocation where the key is written (unknown-field errors point here)
     * @param value the value
     */
    record Entry(String key, Location keyLocation, YamlNode value) {}

    /** A mapping; keys are unique scalars. */
    record Mapping(List<Entry> list, Location location) implements YamlNode {
        public Mapping {
            list = List.copyOf(list);
        }

        /** The value of {@code key}, or null. */
        public YamlNode get(String key) {
            for (Entry e : list) {
                if (e.key().equals(key)) {
                    return e.value();
                }
            }
            return null;
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** A list. */
    record Sequence(List<YamlNode> values, Location location) implements YamlNode {
        public Sequence {
            values = List.copyOf(values);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
