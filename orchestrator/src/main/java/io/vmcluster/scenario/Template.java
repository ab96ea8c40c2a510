package io.vmcluster.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Variable references in scenario strings: {@code ${name}} is replaced by the variable's value;
 * {@code $${} writes a literal {@code ${}. A lone {@code $} (shell's {@code $HOME}, {@code $1})
 * is left alone. Names: letters, digits, {@code _ . -}, starting with a letter or {@code _}.
 */
public final class Template {
    /** The syntax of a variable name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

    private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");

    private Template() {}

    /** The names referenced by {@code text}, in order (malformed names included, for the validator). */
    public static List<String> references(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = REF.matcher(text);
        while (m.find()) {
            if (m.group(1) != null) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /**
     * The first {@code ${} that is never closed by a {@code }}, with what follows it (shortened),
     * or null when every reference is closed.
     */
    public static String unclosed(String text) {
        String rest = REF.matcher(text).replaceAll("");
        int at = rest.indexOf("${");
        if (at < 0) {
            return null;
        }
        String tail = rest.substring(at);
        int cut = tail.indexOf('\n');
        tail = cut < 0 ? tail : tail.substring(0, cut);
        return tail.length() <= 30 ? tail : tail.substring(0, 30) + "...";
    }

    /** Whether {@code text} contains any {@code ${...}}. */
    public static boolean hasReferences(String text) {
        return !references(text).isEmpty();
    }

    /**
     * Replaces every {@code ${name}} by {@code lookup(name)}.
     *
     * @throws IllegalArgumentException when lookup returns null (naming the variable)
     */
    public static String substitute(String text, Function<String, String> lookup) {
        Matcher m = REF.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = "${";
            } else {
                replacement = lookup.apply(m.group(1));
                if (replacement == null) {
                    throw new IllegalArgumentException("variable ${" + m.group(1) + "} has no value");
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
