package io.vmcluster.warm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cached formed cluster was made from, as one hash: the parts (QEMU's version, the
 * accelerator, each node's QEMU command line with the run's own paths and secrets taken out, the
 * images, the cluster definition, the steps that ran before the cached snapshot) in the order they
 * were given, written one per line into {@link #material()}, and {@link #id()}: the first 16 hex
 * digits of the SHA-256 of that text. Two runs with the same material share an entry; anything
 * that differs makes another. The material is kept in the entry's manifest, so that a user can see
 * (diff) why a run did not find the entry they expected.
 *
 * @param id 16 lowercase hex digits, the entry's directory name
 * @param material the parts, {@code name: value} one per line (a value's newlines written as
 *     {@code \n}, backslashes as {@code \\})
 */
public record WarmKey(String id, String material) {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]]+");

    public WarmKey {
        Objects.requireNonNull(material, "material");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a warm key's id is 16 lowercase hex digits, not '" + id + "'");
        }
    }

    /** Whether {@code name} could be an entry's directory (16 lowercase hex digits). */
    public static boolean isId(String name) {
        return ID.matcher(name).matches();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts in order; {@link #build()} hashes them. */
    public static final class Builder {
        private final List<String> lines = new ArrayList<>();

        private Builder() {}

        /**
         * Adds one part. Order matters (the same parts in another order are another key); a name
         * may be given once only.
         *
         * @param name letters, digits and {@code _ . - [ ]}
         * @param value anything (null is written as {@code <none>})
         */
        public Builder part(String name, Object value) {
            if (name == null || !PART_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "a warm key part's name is letters, digits and _ . - [ ], not '" + name + "'");
            }
            String prefix = name + ": ";
            if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                throw new IllegalArgumentException("warm key part '" + name + "' given twice");
            }
            lines.add(prefix + escape(value == null ? "<none>" : value.toString()));
            return this;
        }

        public WarmKey build() {
            if (lines.isEmpty()) {
                throw new IllegalStateException("a warm key needs at least one part");
            }
            String material = String.join("\n", lines) + "\n";
            return new WarmKey(sha256(material).substring(0, 16), material);
        }

        private static String escape(String value) {
            return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        }
    }

    static String sha256(String text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
