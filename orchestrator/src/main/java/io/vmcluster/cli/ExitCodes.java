package io.vmcluster.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Maps what a command threw to an {@link ExitCode} and prints it for a person: the message only,
 * the stack trace with {@code -v}. Bad options are picocli's {@link CommandLine.ParameterException}
 * (usage error, exit 2).
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper, CommandLine.IExecutionExceptionHandler {
    private final Map<Class<? extends Throwable>, ExitCode> byType = new LinkedHashMap<>();
    private final Verbosity verbosity;

    public ExitCodes(Verbosity verbosity) {
        this.verbosity = verbosity;
        map(InvalidInputException.class, ExitCode.INVALID_INPUT);
        map(HostLacksException.class, ExitCode.HOST_LACKS);
        map(io.vmcluster.hosts.HostException.class, ExitCode.HOST_LACKS);
        map(CommandLine.ParameterException.class, ExitCode.INVALID_INPUT);
        map(io.vmcluster.scenario.ScenarioException.class, ExitCode.INVALID_INPUT);
        map(io.vmcluster.cluster.spec.InvalidClusterSpecException.class, ExitCode.INVALID_INPUT);
        map(io.vmcluster.image.definition.InvalidDefinitionException.class, ExitCode.INVALID_INPUT);
        map(io.vmcluster.image.InvalidImageException.class, ExitCode.HOST_LACKS);
        map(io.vmcluster.image.build.ImageBuildException.class, ExitCode.HOST_LACKS);
        map(io.vmcluster.cluster.NodeBootException.class, ExitCode.HOST_LACKS);
        map(io.vmcluster.nemesis.InvalidScheduleException.class, ExitCode.INVALID_INPUT);
        map(io.vmcluster.suite.InvalidSuiteException.class, ExitCode.INVALID_INPUT);
    }

    /** Registers an exception type (and its subtypes); the first registration that matches wins. */
    public ExitCodes map(Class<? extends Throwable> type, ExitCode code) {
        byType.putIfAbsent(type, code);
        return this;
    }

    /** The exit code for a throwable, looking through causes; unknown ones are internal errors. */
    public ExitCode exitCodeFor(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (Map.Entry<Class<? extends Throwable>, ExitCode> e : byType.entrySet()) {
                if (e.getKey().isInstance(c)) {
                    return e.getValue();
                }
            }
        }
        return ExitCode.INTERNAL_ERROR;
    }

    @Override
    public int getExitCode(Throwable exception) {
        return exitCodeFor(exception).code();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        ExitCode code = exitCodeFor(ex);
        PrintWriter err = commandLine.getErr();
        String message = ex.getMessage() == null ? ex.getClass().getName() : ex.getMessage();
        String prefix = switch (code) {
            case INVALID_INPUT -> "invalid input: ";
            case HOST_LACKS -> "this host lacks something: ";
            case INTERNAL_ERROR -> "vmcluster failed: " + ex.getClass().getSimpleName() + ": ";
            default -> "";
        };
        err.println(commandLine.getColorScheme().errorText(prefix + message));
        if (verbosity.level() > 0) {
            ex.printStackTrace(err);
        } else if (code == ExitCode.INTERNAL_ERROR) {
            err.println("(run with -v for the stack trace)");
        }
        err.flush();
        return code.code();
    }
}
