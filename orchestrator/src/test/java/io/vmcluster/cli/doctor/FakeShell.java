package io.vmcluster.cli.doctor;

import io.vmcluster.command.CommandResult;
import io.vmcluster.process.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers commands by their first words; records what was run. Unknown commands are "not found". */
final class FakeShell implements CommandRunner {
    final Map<String, CommandResult> answers = new LinkedHashMap<>();
    final List<String> ran = new ArrayList<>();

    FakeShell answer(String commandPrefix, int exit, String stdout, String stderr) {
        answers.put(commandPrefix, CommandResult.ofText("host", commandPrefix, exit, stdout, stderr, Duration.ZERO));
        return this;
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
        String line = String.join(" ", argv);
        ran.add(line);
        return answers.entrySet().stream()
                .filter(e -> line.startsWith(e.getKey()) || line.contains(" " + e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(CommandResult.ofText(
                        "host",
                        line,
                        127,
                        "",
                        "cannot run " + argv.get(0) + ": No such file or directory",
                        Duration.ZERO));
    }
}
