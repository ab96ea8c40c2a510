package io.vmcluster.scenario.parse;

import io.vmcluster.scenario.ScenarioException;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import io.vmcluster.yaml.YamlReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One step of the scenario language written on a command line ({@code vmcluster fault isolate
 * node1}, {@code vmcluster fault impair node1 delay=100ms to=node2}): the verb, its argument (the
 * other words, as written after the verb in a scenario file) and {@code KEY=VALUE} options, read by
 * the scenario's own step parser. One vocabulary, one set of checks and messages: whatever a
 * scenario file accepts for these verbs, the command line accepts, and nothing else.
 */
public final class CommandLineStep {
    /** Verbs {@code vmcluster fault} takes: faults, heal, VM lifecycle, service control. */
    public static final Set<String> FAULT_VERBS = Set.of(
            "partition",
            "isolate",
            "cut_nic",
            "cut_one_way",
            "impair",
            "packet_capture",
            "slow_disk",
            "disk_errors",
            "wipe_disk",
            "skew_clock",
            "heal",
            "crash",
            "restart",
            "pause",
            "resume",
            "reset",
            "shutdown",
            "start",
            "start_service",
            "stop_service",
            "restart_service",
            "kill_process");

    private static final Pattern OPTION = Pattern.compile("([a-z_]+)=(.*)", Pattern.DOTALL);

    private CommandLineStep() {}

    /**
     * Reads {@code words} as one step.
     *
     * @param words the verb first, then its argument words and {@code KEY=VALUE} options
     * @param nodes the cluster's node names (selectors are checked against them)
     * @param verbs the verbs allowed here
     * @throws ScenarioException every problem, located as {@code command line:1:COL}
     */
    public static Step parse(List<String> words, List<String> nodes, Set<String> verbs) {
        Path source = Path.of("command line");
        Problems problems = new Problems();
        if (words.isEmpty()) {
            throw new ScenarioException(
                    new io.vmcluster.yaml.Problem(Location.of(source), "say what to do: one of " + sortedVerbs(verbs)));
        }
        String verb = words.get(0);
        if (!verbs.contains(verb)) {
            String hint = Suggest.didYouMean(verb, verbs);
            String why = Vocabulary.STEPS.containsKey(verb)
                    ? "'" + verb + "' is a scenario step but not a fault or lifecycle verb"
                            + (List.of("succeed", "fail", "exec", "show").contains(verb)
                                    ? " (run commands with vmcluster exec NODE -- CMD)"
                                    : "")
                    : "unknown verb '" + verb + "'" + hint;
            throw new ScenarioException(
                    new io.vmcluster.yaml.Problem(Location.of(source), why + "; verbs: " + sortedVerbs(verbs)));
        }
        StringBuilder argument = new StringBuilder();
        StringBuilder options = new StringBuilder();
        List<String> optionWords = new java.util.ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            var m = OPTION.matcher(w);
            if (m.matches() && !w.startsWith("[") && !w.startsWith("{")) {
                options.append(m.group(1)).append(": ").append(m.group(2)).append('\n');
                optionWords.add(w);
            } else {
                argument.append(argument.length() == 0 ? "" : " ").append(w);
            }
        }
        String text = verb + ":" + (argument.length() == 0 ? "" : " " + argument) + "\n" + options;
        String first = verb + (argument.length() == 0 ? "" : " " + argument);
        YamlNode root = YamlReader.read(text, source, problems);
        if (!problems.isEmpty() || root == null) {
            throw located(problems, first, optionWords);
        }
        if (!root.isMap()) {
            throw new ScenarioException(new io.vmcluster.yaml.Problem(
                    root.location(), "write the verb, its nodes and KEY=VALUE options, e.g. impair node1 delay=100ms"));
        }
        Scope scope = Scope.of(List.of(), problems);
        Step step = new StepParser(problems, nodes, io.vmcluster.yaml.Substitution.NONE).stepOrProblem(root, scope);
        if (!problems.isEmpty() || step == null) {
            throw located(problems, first, optionWords);
        }
        return step;
    }

    /** Each problem blamed on the words it is about: line 1 is the verb and its argument, line n option n-1. */
    private static ScenarioException located(Problems problems, String first, List<String> optionWords) {
        return new ScenarioException(problems.sorted().stream()
                .map(p -> {
                    int line = p.location().line();
                    String where = line >= 2 && line - 2 < optionWords.size() ? optionWords.get(line - 2) : first;
                    return new io.vmcluster.yaml.Problem(Location.option("'" + where + "'"), p.message());
                })
                .toList());
    }

    private static String sortedVerbs(Set<String> verbs) {
        return String.join(", ", verbs.stream().sorted().toList());
    }
}
