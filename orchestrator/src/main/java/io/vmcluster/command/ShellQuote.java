package io.vmcluster.command;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX sh quoting. Every value that goes into a guest command line passes through here:
 * {@code "cat > " + ShellQuote.quote(path)}, never {@code "cat > " + path}.
 */
public final class ShellQuote {
    private ShellQuote() {}

    /**
     * One word, single-quoted: {@code it's} becomes {@code 'it'\''s'}. Safe for any string,
     * including empty, spaces, quotes, {@code $}, backquotes and newlines. NUL cannot be passed
     * to a shell at all and is rejected.
     */
    public static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain NUL: " + word.replace("\0", "\\0"));
        }
        if (!word.isEmpty() && word.chars().allMatch(ShellQuote::plain)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Several words, each quoted, joined by spaces: {@code command("ls", "-l", "my dir")}. */
    public static String command(String... words) {
        return command(List.of(words));
    }

    /** Several words, each quoted, joined by spaces. */
    public static String command(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "@%+=:,./_-".indexOf(c) >= 0;
    }
}
