package io.vmcluster.cli;

import io.vmcluster.image.ImageStore;
import io.vmcluster.scenario.Scenario;
import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.ScenarioParser;
import io.vmcluster.yaml.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster validate FILE...}: checks scenario files the way {@code run} does before it
 * boots anything, and boots nothing. Every problem of every file is printed as
 * {@code file:line:column: message}. Exit 0 when all are valid, 2 otherwise.
 */
@CommandLine.Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks scenario files without booting anything: YAML syntax, fields, steps, node names,"
                + " durations, fault parameters, variables, image names. Prints every problem as file:line:column.")
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files.")
    List<Path> files;

    @CommandLine.Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "Override a param the scenario declares (repeatable), as `run` would.")
    Map<String, String> params = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int invalid = 0;
        for (Path file : files) {
            try {
                Scenario s = ScenarioParser.parse(
                        file,
                        params,
                        ImageParamsLookup.standard(
                                ImageBuilder.standard(), ImageStore.standard().cacheDir()));
                ScenarioImages.check(
                        s, ImageBuilder.standard(), ImageStore.standard().cacheDir());
                out.printf(
                        "%s: ok (scenario %s, %d tests, nodes %s)%n",
                        file,
                        s.name(),
                        s.tests().size(),
                        String.join(", ", s.cluster().nodes()));
            } catch (ScenarioException e) {
                invalid++;
                for (Problem p : e.problems()) {
                    err.println(p);
                }
            }
        }
        out.flush();
        err.flush();
        if (invalid > 0) {
            err.printf("%d of %d file(s) invalid%n", invalid, files.size());
            err.flush();
            return ExitCode.INVALID_INPUT.code();
        }
        return ExitCode.PASSED.code();
    }
}
