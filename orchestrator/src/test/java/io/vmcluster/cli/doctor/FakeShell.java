package io.vmcluster.cli.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers commands by their first words; records what was run. Unknown commands are "not found". */
final class FakeShell implements Shell {
    final Map<String, Result> answers = new LinkedHashMap<>();
    final List<String> ran = new ArrayList<>();

    FakeShell answer(String commandPrefix, int exit, String stdout, String stderr) {
        answers.put(commandPrefix, new Result(exit, stdout, stderr));
        return this;
    }

    @Override
    public Result run(Duration timeout, List<String> argv) {
        String line = String.join(" ", argv);
        ran.add(line);
        return answers.entrySet().stream()
                .filter(e -> line.startsWith(e.getKey()) || line.contains(" " + e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(new Result(127, "", "cannot run " + argv.get(0) + ": No such file or directory"));
    }
}
