package io.vmcluster.cli;

import picocli.CommandLine;

/**
 * {@code -v} / {@code -vv} / {@code -vvv} on every command, after picocli's logging-mixin example:
 * the count sets slf4j-simple's level (warn, info, debug, trace) before any logger exists.
 */
public final class Verbosity {
    /** The option itself, mixed into every command. */
    public static final class Mixin {
        @CommandLine.Option(
                names = {"-v", "--verbose"},
                description = "More log output on stderr: -v info, -vv debug, -vvv trace.")
        boolean[] verbose = new boolean[0];
    }

    private int level;

    /** 0 = warnings only, 1 = info, 2 = debug, 3 = trace. */
    public int level() {
        return level;
    }

    /** The slf4j-simple level name for a verbosity count. */
    public static String logLevel(int count) {
        return switch (Math.min(count, 3)) {
            case 0 -> "warn";
            case 1 -> "info";
            case 2 -> "debug";
            default -> "trace";
        };
    }

    /**
     * Counts {@code -v} over the command and every subcommand parsed and configures slf4j-simple
     * (unless the user already set {@code org.slf4j.simpleLogger.defaultLogLevel}).
     */
    public void configure(CommandLine.ParseResult parseResult) {
        level = count(parseResult);
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel(level));
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static int count(CommandLine.ParseResult pr) {
        int n = 0;
        CommandLine.Model.OptionSpec v = pr.commandSpec().findOption("-v");
        if (v != null && pr.hasMatchedOption(v)) {
            boolean[] values = pr.matchedOptionValue("-v", new boolean[0]);
            n += values.length;
            if (n == 0) {
                n = 1;
            }
        }
        for (CommandLine.ParseResult sub : pr.subcommands()) {
            n += count(sub);
        }
        return n;
    }
}
