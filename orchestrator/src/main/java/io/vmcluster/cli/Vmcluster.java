package io.vmcluster.cli;

import io.vmcluster.cli.doctor.DoctorCommand;
import io.vmcluster.time.Timing;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * {@code vmcluster}: runs scenarios in QEMU VMs, checks scenario files, says what the host offers,
 * builds and lists images. The entry point of the launcher {@code scripts/vmcluster}.
 */
@CommandLine.Command(
        name = "vmcluster",
        mixinStandardHelpOptions = true,
        versionProvider = Vmcluster.Version.class,
        description = "Tests distributed systems inside real QEMU virtual machines.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            ReportCommand.class,
            MergeCommand.class,
            DoctorCommand.class,
            ImageCommand.class,
            AnalyzeCommand.class,
            ShrinkCommand.class,
            UpCommand.class,
            PsCommand.class,
            ExecCommand.class,
            FaultCommand.class,
            DownCommand.class,
            ShellCommand.class,
            ReplCommand.class,
            ConsoleCommand.class,
            AgentCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:all subtests passed (or the command succeeded)",
            "1:a subtest failed",
            "2:invalid input (scenario file, option, parameter); nothing was booted",
            "3:the host lacks something (see `vmcluster doctor`)",
            "4:vmcluster itself failed (run with -v for the stack trace)"
        })
public final class Vmcluster implements Runnable {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "say what to do: run, validate, report, merge, analyze, doctor, image, up, ps, exec, shell, console, repl,"
                        + " fault or down");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line: exit codes, verbosity, case-insensitive enums. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new Vmcluster()), out, err);
    }

    /** Applies vmcluster's streams, exit codes, error handling and verbosity to a command line. */
    static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        Verbosity verbosity = new Verbosity();
        ExitCodes exitCodes = new ExitCodes(verbosity);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(exitCodes);
        cl.setExecutionExceptionHandler(exitCodes);
        cl.setParameterExceptionHandler(Vmcluster::badUsage);
        cl.setExecutionStrategy(parseResult -> {
            verbosity.configure(parseResult);
            String bad = timingProblem(parseResult);
            if (bad != null) {
                CommandLine leaf = leaf(parseResult).commandSpec().commandLine();
                return exitCodes.handleExecutionException(new InvalidInputException(bad), leaf, parseResult);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cl;
    }

    /**
     * A multiplier that is set but not a number, checked before a command that waits on anything
     * runs (validate waits on nothing, help neither), so it is reported like any bad input.
     */
    private static String timingProblem(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult leaf = leaf(parseResult);
        if (leaf.isUsageHelpRequested()
                || leaf.isVersionHelpRequested()
                || leaf.commandSpec().userObject() instanceof ValidateCommand
                || leaf.commandSpec().userObject() instanceof CommandLine.HelpCommand) {
            return null;
        }
        try {
            Timing.standard();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static CommandLine.ParseResult leaf(CommandLine.ParseResult r) {
        while (r.subcommand() != null) {
            r = r.subcommand();
        }
        return r;
    }

    /** A bad option or argument: the error, suggestions, and where help is; not the whole usage text. */
    private static int badUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getColorScheme().errorText("invalid input: " + ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCode.INVALID_INPUT.code();
    }

    /** The version from the jar's manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Vmcluster.class.getPackage().getImplementationVersion();
            return new String[] {"vmcluster " + (v == null ? "(development build)" : v)};
        }
    }
}
