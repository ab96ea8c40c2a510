package io.vmcluster.report;

import java.util.Map;

/**
 * ANSI colour, only when a person is watching: on a terminal and without {@code NO_COLOR}
 * (https://no-color.org: set and not empty turns colour off).
 *
 * @param colour whether to emit escape sequences
 */
public record Style(boolean colour) {
    public static final Style PLAIN = new Style(false);

    /** Colour when stdout is a terminal and {@code NO_COLOR} is unset or empty. */
    public static Style detect() {
        return detect(System.console() != null, System.getenv());
    }

    static Style detect(boolean terminal, Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return new Style(terminal && (noColor == null || noColor.isEmpty()));
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
