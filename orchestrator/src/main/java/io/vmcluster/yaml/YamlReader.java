package io.vmcluster.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one YAML document into a located {@link YamlNode} tree. Every failure becomes a
 * {@link Problem} with {@code file:line:column} (or the file alone when the file as a whole is at
 * fault): a missing, unreadable or non-regular file, a file too large, text that is not UTF-8
 * ("not UTF-8 text at byte N"), YAML syntax errors, more than one document, unknown or recursive
 * aliases, duplicate keys, bad merge keys, and input past the {@link YamlLimits} (nesting depth,
 * alias expansion). Nothing here throws on bad input, and nothing reads more than the limits allow.
 *
 * <pre>{@code
 * Problems problems = new Problems();
 * YamlNode root = YamlReader.read(Path.of("image.yaml"), problems);
 * if (root == null) { ... problems.sorted() says why ... }
 * }</pre>
 */
public final class YamlReader {
    private YamlReader() {}

    /** Reads {@code file} with the default limits; null (with a problem recorded) when it cannot be read or parsed. */
    public static YamlNode read(Path file, Problems problems) {
        return read(file, YamlLimits.DEFAULTS, problems);
    }

    /** Reads {@code file}; null (with a problem recorded) when it cannot be read or parsed. */
    public static YamlNode read(Path file, YamlLimits limits, Problems problems) {
        String text = readText(file, limits, problems);
        return text == null ? null : read(text, file, limits, problems);
    }

    /** Parses {@code text} as if it were the content of {@code file}, with the default limits. */
    public static YamlNode read(String text, Path file, Problems problems) {
        return read(text, file, YamlLimits.DEFAULTS, problems);
    }

    /** Parses {@code text} as if it were the content of {@code file}; null (with a problem) when it is not valid. */
    public static YamlNode read(String text, Path file, YamlLimits limits, Problems problems) {
        if (text.length() > limits.maxBytes()) {
            problems.add(Location.of(file), tooLarge(text.length(), limits));
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxBytes()));
        Composer composer = new Composer(file, limits, problems);
        try {
            return composer.compose(new Yaml(options).parse(new StringReader(text)));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Location at =
                    mark == null ? Location.of(file) : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
            String what = e.getProblem() != null ? e.getProblem() : "the text is not valid YAML";
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            problems.add(at, "YAML syntax error (not valid YAML): " + what + context);
            return null;
        } catch (YAMLException e) {
            problems.add(Location.of(file), "YAML error: " + e.getMessage());
            return null;
        }
    }

    /** The file's text, or null with a problem saying why it cannot be had. */
    static String readText(Path file, YamlLimits limits, Problems problems) {
        Location whole = Location.of(file);
        if (Files.isDirectory(file)) {
            problems.add(whole, "is a directory, not a YAML file");
            return null;
        }
        if (!Files.exists(file)) {
            problems.add(whole, "no such file");
            return null;
        }
        if (!Files.isRegularFile(file)) {
            problems.add(whole, "is not a regular file (a device, pipe or socket); name a YAML file");
            return null;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes() + 1));
        } catch (NoSuchFileException e) {
            problems.add(whole, "no such file");
            return null;
        } catch (AccessDeniedException e) {
            problems.add(whole, "cannot read the file: permission denied");
            return null;
        } catch (FileSystemException e) {
            problems.add(whole, "cannot read the file: " + (e.getReason() != null ? e.getReason() : "I/O error"));
            return null;
        } catch (IOException e) {
            problems.add(whole, "cannot read the file: " + e.getMessage());
            return null;
        }
        if (bytes.length > limits.maxBytes()) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                size = bytes.length;
            }
            problems.add(whole, tooLarge(size, limits));
            return null;
        }
        return decode(bytes, file, problems);
    }

    /** Strict UTF-8: the first byte that is not part of UTF-8 text is named, with its line. */
    static String decode(byte[] bytes, Path file, Problems problems) {
        if (bytes.length >= 2
                && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                        || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            problems.add(
                    at(bytes, 0, file),
                    "not UTF-8 text at byte 0: the file starts with a UTF-16 byte-order mark; save it as UTF-8");
            return null;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                problems.add(
                        at(bytes, i, file),
                        "not UTF-8 text at byte " + i + ": a NUL byte (a binary file, or UTF-16?); save it as UTF-8"
                                + " text");
                return null;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int offset = in.position();
            problems.add(
                    at(bytes, offset, file),
                    String.format(
                            "not UTF-8 text at byte %d (0x%02x); save the file as UTF-8 (Latin-1 or another"
                                    + " encoding?)",
                            offset, bytes[offset] & 0xff));
            return null;
        }
        out.flip();
        return out.toString();
    }

    private static Location at(byte[] bytes, int offset, Path file) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Location(file, line, offset - lineStart + 1);
    }

    private static String tooLarge(long size, YamlLimits limits) {
        return "the file is " + size + " bytes; files up to " + limits.maxBytes() + " bytes ("
                + (limits.maxBytes() >> 20) + " MiB) are read";
    }
}
