package io.vmcluster.scenario.parse;

import io.vmcluster.cluster.BackupName;
import io.vmcluster.cluster.SnapshotName;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.Template;
import io.vmcluster.scenario.step.BackupStep;
import io.vmcluster.scenario.step.CommandStep;
import io.vmcluster.scenario.step.CopyStep;
import io.vmcluster.scenario.step.FaultStep;
import io.vmcluster.scenario.step.FindNodeStep;
import io.vmcluster.scenario.step.HealStep;
import io.vmcluster.scenario.step.LifecycleStep;
import io.vmcluster.scenario.step.LogStep;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.scenario.step.ParallelStep;
import io.vmcluster.scenario.step.RepeatStep;
import io.vmcluster.scenario.step.ServiceStep;
import io.vmcluster.scenario.step.SleepStep;
import io.vmcluster.scenario.step.SnapshotStep;
import io.vmcluster.scenario.step.Step;
import io.vmcluster.scenario.step.UpgradeStep;
import io.vmcluster.scenario.step.WaitForStep;
import io.vmcluster.scenario.step.WaitUntilStep;
import io.vmcluster.scenario.step.WanStep;
import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Substitution;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads steps: a step is a mapping with exactly one verb ({@code succeed: CMD}) and the options
 * that verb accepts ({@code on:}, {@code timeout:} …). See {@link Vocabulary}.
 */
final class StepParser {
    /** Every option any verb accepts: a step made only of these lacks its verb. */
    private static final java.util.Set<String> OPTIONS = java.util.stream.Stream.concat(
                    Vocabulary.STEPS.values().stream().flatMap(List::stream), Vocabulary.EVERY_STEP.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final Problems problems;
    private final List<String> nodes;
    /** The cluster's regions (none: a {@code wan} step has nothing to set). */
    private final List<String> regions;

    private final ChecksParser checks;

    private final Substitution params;

    /** @param params substitutes params into numbers, durations and switches before they are checked */
    /** A parser for a cluster without regions (a {@code wan} step is then refused). */
    StepParser(Problems problems, List<String> nodes, Substitution params) {
        this(problems, nodes, List.of(), params);
    }

    StepParser(Problems problems, List<String> nodes, List<String> regions, Substitution params) {
        this.problems = problems;
        this.nodes = nodes;
        this.regions = regions;
        this.params = params;
        this.checks = new ChecksParser(problems, params);
    }

    Substitution params() {
        return params;
    }

    /** A list of steps; {@code what} names the owner for messages. */
    List<Step> steps(YamlNode list, Scope scope, String what) {
        List<Step> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isList()) {
            problems.add(
                    list.location(),
                    what + " must be a list of steps (lines starting with '- '), found " + list.describe());
            return out;
        }
        for (YamlNode item : list.items()) {
            Step s = stepOrProblem(item, scope);
            if (s != null) out.add(s);
        }
        return out;
    }

    /** A step, or null with at least one problem recorded: no step is ever dropped silently. */
    Step stepOrProblem(YamlNode node, Scope scope) {
        int before = problems.size();
        Step s = step(node, scope);
        if (s == null && problems.size() == before) {
            problems.add(node.location(), "this step could not be read (it has nothing to run); check its fields");
        }
        return s;
    }

    private Step step(YamlNode node, Scope scope) {
        if (!node.isMap()) {
            String hint = node.isScalar() ? Suggest.didYouMean(node.text(), Vocabulary.STEPS.keySet()) : "";
            problems.add(
                    node.location(),
                    "a step must be a mapping like 'succeed: CMD' with 'on: NODE', found " + node.describe() + hint);
            return null;
        }
        var entries = node.entries();
        List<String> verbs =
                entries.keySet().stream().filter(Vocabulary.STEPS::containsKey).toList();
        if (verbs.isEmpty() && !entries.isEmpty() && OPTIONS.containsAll(entries.keySet())) {
            problems.add(
                    node.location(),
                    "this step has options (" + String.join(", ", entries.keySet()) + ") but no verb; start it with"
                            + " one, e.g. '- succeed: CMD' (steps: " + String.join(", ", Vocabulary.STEPS.keySet())
                            + ")");
            return null;
        }
        if (verbs.isEmpty()) {
            String first = entries.isEmpty() ? "" : entries.keySet().iterator().next();
            String hint = Suggest.didYouMean(first, Vocabulary.STEPS.keySet());
            problems.add(
                    node.location(),
                    (first.isEmpty() ? "empty step" : "unknown step '" + first + "'") + hint + " (steps: "
                            + String.join(", ", Vocabulary.STEPS.keySet()) + ")");
            return null;
        }
        if (verbs.size() > 1) {
            problems.add(
                    node.location(),
                    "a step has exactly one verb, found " + String.join(" and ", verbs) + "; split it into two steps");
            return null;
        }
        String verb = verbs.get(0);
        List<String> allowed = new ArrayList<>(Vocabulary.STEPS.get(verb));
        allowed.add(0, verb);
        allowed.addAll(Vocabulary.EVERY_STEP);
        Fields f = new Fields(node, "a " + verb + " step", problems, allowed).substituting(params);
        YamlNode value = f.get(verb);
        Location at = node.location();
        Duration timeout = f.duration("timeout");
        String label = label(f, scope);
        return switch (verb) {
            case "succeed", "fail", "exec", "show" -> command(f, verb, value, scope, timeout, label);
            case "wait_until" -> waitUntil(f, value, scope, timeout, label);
            case "wait_for_service", "wait_for_port" -> waitFor(f, verb, value, scope, timeout, label);
            case "find_node" -> findNode(f, value, scope, timeout, label);
            case "copy_in", "copy_out" -> copy(f, verb, value, scope, label);
            case "start_service", "stop_service", "restart_service", "kill_process" -> {
                String name = scalar(value, verb, "the service name, e.g. " + verb + ": jobq", scope);
                NodeSelector on = requiredOn(f, scope);
                yield name == null || on == null
                        ? null
                        : new ServiceStep(
                                at,
                                ServiceStep.Action.valueOf(verb.toUpperCase(Locale.ROOT)),
                                name,
                                on,
                                timeout,
                                label);
            }
            case "crash", "restart", "pause", "resume", "reset", "shutdown", "start" -> {
                NodeSelector sel = selector(value, verb, scope);
                yield sel == null
                        ? null
                        : new LifecycleStep(
                                at, LifecycleStep.Action.valueOf(verb.toUpperCase(Locale.ROOT)), sel, timeout, label);
            }
            case "partition",
                    "isolate",
                    "cut_nic",
                    "cut_one_way",
                    "impair",
                    "packet_capture",
                    "slow_disk",
                    "disk_errors",
                    "wipe_disk",
                    "skew_clock" -> {
                FaultSpec<NodeSelector> fault = new FaultParser(problems, this).fault(f, verb, value, scope);
                yield fault == null ? null : new FaultStep(at, fault, timeout, label);
            }
            case "heal" -> {
                if (value != null && !value.isNull() && !"all".equals(value.text())) {
                    problems.add(
                            value.location(),
                            "heal takes no argument (it undoes every fault); write '- heal:' or 'heal: all'");
                }
                yield new HealStep(at, label);
            }
            case "workload" -> new WorkloadParser(problems, this).workload(f, value, scope, label);
            case "workload_end" -> new WorkloadParser(problems, this).end(f, value, scope, timeout, label);
            case "nemesis" -> new NemesisParser(problems, scope).nemesis(f, value, label);
            case "repeat" -> repeat(f, value, scope, label);
            case "parallel" -> parallel(value, scope, at, label);
            case "sleep" -> {
                Duration d = f.duration(value, "sleep");
                if (d == null && (value == null || value.isNull())) {
                    problems.add(at, "sleep needs a duration, like 'sleep: 2s'");
                }
                yield d == null ? null : new SleepStep(at, d, label);
            }
            case "log" -> {
                String msg = scalar(value, "log", "the message", scope);
                yield msg == null ? null : new LogStep(at, msg, label);
            }
            case "snapshot", "restore" -> snapshot(f, verb, value, scope, at, label);
            case "backup", "restore_backup" -> backup(f, verb, value, scope, at, label);
            case "wan" -> wan(f, value, at, label);
            case "upgrade" -> upgrade(f, value, scope, at, timeout, label);
            default -> throw new AssertionError(verb);
        };
    }

    /**
     * {@code upgrade: NODE} with {@code image: NAME[@VERSION]}: one node (a rolling upgrade is one
     * step per node); the image is text with params substituted (it is checked before the run).
     */
    private Step upgrade(Fields f, YamlNode value, Scope scope, Location at, Duration timeout, String label) {
        NodeSelector node = selector(value, "upgrade", scope);
        if (node != null && !node.single()) {
            problems.add(
                    value.location(),
                    "upgrade takes one node, found '" + node + "': a rolling upgrade is one upgrade step per node,"
                            + " one after the other");
            node = null;
        }
        if (!f.has("image")) {
            f.missing("image", "the image to boot the node on, NAME or NAME@VERSION (e.g. image: etcd-test-v2@2)");
            return null;
        }
        String text = f.value(f.get("image"), "image", "an image NAME or NAME@VERSION");
        if (text == null || node == null) return null;
        try {
            return new UpgradeStep(
                    at, node, io.vmcluster.image.ImageRef.parse(text), f.locationOf("image"), timeout, label);
        } catch (IllegalArgumentException e) {
            problems.add(f.locationOf("image"), e.getMessage());
            return null;
        }
    }

    private Step wan(Fields f, YamlNode value, Location at, String label) {
        String example = "wan: [eu, us] with delay: 40ms (or clear: true)";
        if (regions.isEmpty()) {
            problems.add(at, "wan sets a link between regions, but the cluster has none (docs/clusters.md: regions:)");
            return null;
        }
        if (value == null || !value.isList() || value.items().size() != 2) {
            problems.add(
                    value == null ? at : value.location(),
                    "wan takes the two regions it joins, e.g. " + example + "; the regions are "
                            + String.join(", ", regions));
            return null;
        }
        List<String> two = new ArrayList<>();
        for (YamlNode item : value.items()) {
            String r = item.isScalar() ? f.value(item, "wan", "a region name") : null;
            if (r == null || !regions.contains(r)) {
                problems.add(
                        item.location(),
                        "unknown region '" + (r == null ? item.describe() : r) + "'"
                                + (r == null ? "" : io.vmcluster.yaml.Suggest.didYouMean(r, regions))
                                + " (the regions are " + String.join(", ", regions) + ")");
            } else {
                two.add(r);
            }
        }
        if (two.size() != 2) return null;
        if (two.get(0).equals(two.get(1))) {
            problems.add(value.location(), "wan joins two different regions, not " + two.get(0) + " to itself");
            return null;
        }
        Boolean clear = f.bool("clear");
        boolean anyImpairment =
                io.vmcluster.fault.ImpairmentYaml.FIELDS.stream().anyMatch(f::has);
        if (Boolean.TRUE.equals(clear)) {
            if (anyImpairment) {
                problems.add(f.locationOf("clear"), "clear: true removes the link; drop it or the impairment fields");
                return null;
            }
            return new WanStep(at, two.get(0), two.get(1), java.util.Optional.empty(), label);
        }
        io.vmcluster.fault.Impairment imp = io.vmcluster.fault.ImpairmentYaml.read(f, "wan");
        return imp == null ? null : new WanStep(at, two.get(0), two.get(1), java.util.Optional.of(imp), label);
    }

    private Step snapshot(Fields f, String verb, YamlNode value, Scope scope, Location at, String label) {
        String name = scalar(value, verb, "the snapshot's name, e.g. " + verb + ": formed", scope);
        if (name == null) {
            return null;
        }
        String problem = SnapshotName.problem(name);
        if (problem != null) {
            problems.add(value.location(), problem);
            return null;
        }
        var kind = verb.equals("snapshot") ? SnapshotStep.Kind.SNAPSHOT : SnapshotStep.Kind.RESTORE;
        if (kind == SnapshotStep.Kind.SNAPSHOT) {
            scope.takeSnapshot(name, value.location());
        } else {
            scope.restoreSnapshot(name, value.location(), "restore");
        }
        Boolean cache = kind == SnapshotStep.Kind.SNAPSHOT ? f.bool("cache") : null;
        return new SnapshotStep(at, kind, new SnapshotName(name), label, Boolean.TRUE.equals(cache));
    }

    private Step backup(Fields f, String verb, YamlNode value, Scope scope, Location at, String label) {
        String name = scalar(value, verb, "the backup's name, e.g. " + verb + ": before-wipe", scope);
        if (name == null) {
            return null;
        }
        String problem = BackupName.problem(name);
        if (problem != null) {
            problems.add(value.location(), problem);
            return null;
        }
        NodeSelector on = null;
        if (f.has("on")) {
            on = selector(f.get("on"), "on", scope);
            if (on == null) return null;
        }
        var kind = verb.equals("backup") ? BackupStep.Kind.BACKUP : BackupStep.Kind.RESTORE;
        if (kind == BackupStep.Kind.BACKUP) {
            scope.takeBackup(name, value.location());
        } else {
            scope.restoreBackup(name, value.location());
        }
        return new BackupStep(at, kind, new BackupName(name), on, label);
    }

    private Step command(Fields f, String verb, YamlNode value, Scope scope, Duration timeout, String label) {
        String cmd =
                scalar(value, verb, "the shell command, e.g. " + verb + ": curl -sf http://localhost:3020/", scope);
        NodeSelector on = requiredOn(f, scope);
        var kind = CommandStep.Kind.valueOf(verb.toUpperCase(Locale.ROOT));
        var expect = f.has("expect")
                ? checks.parse(f.get("expect"), "expect", scope)
                : io.vmcluster.scenario.step.Checks.NONE;
        if (expect == null) return null;
        switch (kind) {
            case SUCCEED -> {
                if (expect.exitCode() != null && expect.exitCode() != 0) {
                    problems.add(
                            f.locationOf("expect"),
                            "succeed requires exit code 0; use 'exec' to expect exit code " + expect.exitCode());
                }
                expect = expect.withExitCode(0);
            }
            case FAIL -> {
                if (expect.exitCode() != null && expect.exitCode() == 0) {
                    problems.add(
                            f.locationOf("expect"), "fail requires a non-zero exit code; use 'succeed' to expect 0");
                }
                if (expect.exitCode() == null) expect = expect.withNonZeroExit();
            }
            default -> {}
        }
        String capture = capture(f, on, scope);
        if (cmd == null || on == null) return null;
        Boolean show = f.bool("show_output");
        return new CommandStep(f.location(), kind, cmd, on, expect, capture, timeout, show != null && show, label);
    }

    private Step waitUntil(Fields f, YamlNode value, Scope scope, Duration timeout, String label) {
        String cmd =
                scalar(value, "wait_until", "the command to retry, e.g. wait_until: curl -sf localhost:3020/", scope);
        NodeSelector on = requiredOn(f, scope);
        var expect = f.has("expect")
                ? checks.parse(f.get("expect"), "expect", scope)
                : io.vmcluster.scenario.step.Checks.EXIT_ZERO;
        Duration interval = f.duration("interval");
        String capture = capture(f, on, scope);
        if (cmd == null || on == null || expect == null) return null;
        Boolean show = f.bool("show_output");
        return new WaitUntilStep(
                f.location(),
                cmd,
                on,
                expect,
                timeout,
                interval == null ? Duration.ofSeconds(1) : interval,
                capture,
                show != null && show,
                label);
    }

    private Step waitFor(Fields f, String verb, YamlNode value, Scope scope, Duration timeout, String label) {
        boolean port = verb.equals("wait_for_port");
        String target = scalar(
                value,
                verb,
                port ? "the TCP port, e.g. wait_for_port: 3020" : "the service name, e.g. wait_for_service: jobq",
                scope);
        if (port && target != null && !Template.hasReferences(target)) {
            try {
                int p = Integer.parseInt(target.strip());
                if (p < 1 || p > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                problems.add(value.location(), "wait_for_port needs a port number 1..65535, found '" + target + "'");
            }
        }
        NodeSelector on = requiredOn(f, scope);
        if (target == null || on == null) return null;
        return new WaitForStep(
                f.location(), port ? WaitForStep.Kind.PORT : WaitForStep.Kind.SERVICE, target, on, timeout, label);
    }

    private Step findNode(Fields outer, YamlNode value, Scope scope, Duration timeout, String label) {
        // Either "find_node: CMD" with options beside it, or "find_node: {run: CMD, on:, where:, capture:}".
        Fields f = outer;
        String cmd;
        if (value != null && value.isMap()) {
            for (String k : List.of("run", "on", "where", "capture", "unique")) {
                if (outer.has(k))
                    problems.add(
                            outer.locationOf(k), "'" + k + "' is given both inside and beside find_node; keep one");
            }
            f = new Fields(
                            value,
                            "a find_node step",
                            problems,
                            List.of("run", "on", "where", "capture", "unique", "timeout"))
                    .substituting(params);
            cmd = f.string("run", true, "the command to run on each candidate");
            if (cmd != null) scope.check(cmd, f.locationOf("run"));
            if (f.has("timeout")) timeout = f.duration("timeout");
        } else {
            cmd = value == null || value.isNull()
                    ? outer.string("run", true, "the command to run on each candidate")
                    : scalar(value, "find_node", "the command to run on each candidate", scope);
        }
        NodeSelector on = f.has("on") ? selector(f.get("on"), "on", scope) : NodeSelector.allNodes();
        var where = f.has("where") ? checks.parse(f.get("where"), "where", scope) : null;
        if (!f.has("where"))
            f.missing("where", "the checks the wanted node's answer passes, e.g. where: {stdout_contains: 'true'}");
        String capture = f.string("capture", true, "the variable receiving the node's name, e.g. capture: leader");
        if (capture != null) {
            checkVarName(capture, f.locationOf("capture"));
            scope.define(capture, "find_node at " + f.location());
            scope.defineProbe(capture, outer.location());
        }
        Boolean unique = f.bool("unique");
        if (cmd == null || on == null || where == null || capture == null) return null;
        if (where.exitUnchecked()) where = where.withExitCode(0);
        return new FindNodeStep(outer.location(), cmd, on, where, capture, unique == null || unique, timeout, label);
    }

    private Step repeat(Fields f, YamlNode value, Scope scope, String label) {
        Long times = value == null || value.isNull() ? null : f.integer(value, "repeat", 1, RepeatStep.MAX_TIMES);
        if (value == null || value.isNull())
            problems.add(f.location(), "repeat needs a count, like 'repeat: 3' with 'steps:'");
        String counter = f.string("as", false, "the round variable");
        if (counter == null) counter = "i";
        checkVarName(counter, f.locationOf("as"));
        Scope inner = scope.child();
        inner.define(counter, "repeat at " + f.location());
        if (!f.has("steps")) f.missing("steps", "the steps of one round");
        List<Step> body = steps(f.get("steps"), inner, "repeat's 'steps'");
        scope.absorb(inner);
        if (times == null || body.isEmpty()) return null;
        return new RepeatStep(f.location(), times.intValue(), counter, body, label);
    }

    private Step parallel(YamlNode value, Scope scope, Location at, String label) {
        if (value == null || !value.isList() || value.items().isEmpty()) {
            problems.add(at, "parallel needs a list of steps (each item a step, or a list of steps run in order)");
            return null;
        }
        List<List<Step>> branches = new ArrayList<>();
        List<Scope> scopes = new ArrayList<>();
        for (YamlNode item : value.items()) {
            Scope branch = scope.child();
            scopes.add(branch);
            if (item.isList()) {
                branches.add(steps(item, branch, "a parallel branch"));
            } else {
                Step s = stepOrProblem(item, branch);
                if (s != null) branches.add(List.of(s));
            }
        }
        scopes.forEach(scope::absorb);
        return new ParallelStep(at, branches, label);
    }

    /** The step's name for reports: {@code name:} or {@code label:} (one of them), text with variables checked. */
    private String label(Fields f, Scope scope) {
        if (f.has("name") && f.has("label")) {
            problems.add(f.locationOf("label"), "'name' and 'label' are the same thing; give one");
        }
        String key = f.has("label") ? "label" : "name";
        String label = f.string(key, false, "the step's name in the console, events and JUnit report");
        if (label == null) return null;
        if (label.isBlank()) {
            problems.add(f.locationOf(key), "'" + key + "' must not be empty");
            return null;
        }
        scope.check(label, f.locationOf(key));
        return label.strip();
    }

    /**
     * {@code copy_in: HOST_FILE} (relative to the scenario's directory; it must exist) with
     * {@code to: GUEST_PATH}; {@code copy_out: GUEST_PATH} with optional {@code to: NAME}, a file
     * name under each node's directory in the results (default: the guest file's name).
     */
    private Step copy(Fields f, String verb, YamlNode value, Scope scope, String label) {
        boolean in = verb.equals("copy_in");
        String first = scalar(
                value,
                verb,
                in
                        ? "the host file to copy, relative to the scenario, e.g. copy_in: files/client.sh"
                        : "the guest file to copy out, e.g. copy_out: /var/log/syslog",
                scope);
        NodeSelector on = requiredOn(f, scope);
        String to = f.string(
                "to",
                in,
                in ? "the absolute guest path, e.g. to: /usr/local/bin/client.sh" : "a file name in the results");
        if (first == null || on == null || (in && to == null)) return null;
        String guest = in ? to : first;
        scope.check(guest, f.locationOf(in ? "to" : verb));
        if (!Template.hasReferences(guest) && !guest.startsWith("/")) {
            problems.add(
                    f.locationOf(in ? "to" : verb),
                    "the guest path must be absolute (start with /), found '" + guest + "'");
            return null;
        }
        if (in) {
            if (Template.hasReferences(first)) {
                problems.add(
                        value.location(),
                        "the host file of copy_in is read before the run: write its path" + " without variables");
                return null;
            }
            java.nio.file.Path host = value.location()
                    .file()
                    .toAbsolutePath()
                    .getParent()
                    .resolve(first)
                    .normalize();
            if (!java.nio.file.Files.isRegularFile(host)) {
                problems.add(
                        value.location(),
                        "copy_in: no file '" + first + "' (looked for " + host + "; relative paths are relative to"
                                + " the scenario)");
                return null;
            }
            return new CopyStep(f.location(), CopyStep.Direction.IN, host, guest, on, label);
        }
        String name = to != null ? to : guest.substring(guest.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            problems.add(
                    f.locationOf(to != null ? "to" : verb),
                    "copy_out writes to <results>/<node>/NAME: 'to' must be a plain file name (no /)," + " found '"
                            + name + "'");
            return null;
        }
        return new CopyStep(f.location(), CopyStep.Direction.OUT, java.nio.file.Path.of(name), guest, on, label);
    }

    private String capture(Fields f, NodeSelector on, Scope scope) {
        String capture = f.string("capture", false, "a variable name");
        if (capture == null) return null;
        checkVarName(capture, f.locationOf("capture"));
        if (on != null && !on.single()) {
            problems.add(f.locationOf("capture"), "capture needs exactly one node in 'on', found '" + on + "'");
        }
        scope.define(capture, "capture at " + f.locationOf("capture"));
        return capture;
    }

    private void checkVarName(String name, Location at) {
        if (!Template.NAME.matcher(name).matches()) {
            problems.add(at, "'" + name + "' is not a variable name (letters, digits, _ . -, starting with a letter)");
        }
        if (Scope.BUILT_INS.containsKey(name)) {
            problems.add(at, "'" + name + "' is a built-in variable; choose another name");
        }
    }

    /** The verb's scalar argument, variables checked. */
    String scalar(YamlNode value, String verb, String explanation, Scope scope) {
        if (value == null || value.isNull() || !value.isScalar()) {
            problems.add(
                    value == null ? Location.of(java.nio.file.Path.of("?")) : value.location(),
                    verb + " needs " + explanation
                            + (value == null || value.isNull() ? "" : ", found " + value.describe()));
            return null;
        }
        scope.check(value.text(), value.location());
        return value.text();
    }

    NodeSelector requiredOn(Fields f, Scope scope) {
        if (!f.has("on")) {
            f.missing(
                    "on",
                    "the node(s) to run on: a name (" + String.join(", ", nodes) + "), a list, 'all', "
                            + "'${var}' or {all_except: NODE}");
            return null;
        }
        return selector(f.get("on"), "on", scope);
    }

    /** A node selector: all | NAME | ${var} | [NAME, ...] | {all_except: NAME | [NAME, ...]}. */
    NodeSelector selector(YamlNode v, String key, Scope scope) {
        if (v == null || v.isNull()) {
            problems.add(
                    v == null ? Location.of(java.nio.file.Path.of("?")) : v.location(),
                    "'" + key + "' needs node(s): a name (" + String.join(", ", nodes)
                            + "), a list, 'all', '${var}' or {all_except: NODE}");
            return null;
        }
        if (v.isScalar()) {
            if (v.text().strip().equals("all")) return NodeSelector.allNodes();
            String n = nodeName(v, scope);
            return n == null ? null : NodeSelector.of(n);
        }
        if (v.isList()) {
            List<String> names = new ArrayList<>();
            for (YamlNode i : v.items()) {
                if (!i.isScalar()) {
                    problems.add(i.location(), "a node list holds node names, found " + i.describe());
                    continue;
                }
                String n = nodeName(i, scope);
                if (n != null) names.add(n);
            }
            if (v.items().isEmpty()) problems.add(v.location(), "'" + key + "' names no node");
            return new NodeSelector(false, names, List.of());
        }
        Fields f = new Fields(v, "a node selector", problems, List.of("all_except"));
        YamlNode ex = f.get("all_except");
        if (ex == null) {
            problems.add(v.location(), "a node selector mapping is {all_except: NODE or [NODE, ...]}");
            return null;
        }
        NodeSelector inner = selector(ex, "all_except", scope);
        if (inner == null) return null;
        if (inner.all()) {
            problems.add(ex.location(), "{all_except: all} leaves no node; name the node(s) to leave out");
            return null;
        }
        if (inner.names().stream().noneMatch(Template::hasReferences)
                && inner.names().containsAll(nodes)) {
            problems.add(
                    ex.location(),
                    "all_except leaves out every node (" + String.join(", ", nodes) + "), so the step would act on"
                            + " none; leave out fewer");
            return null;
        }
        return new NodeSelector(true, List.of(), inner.names());
    }

    private String nodeName(YamlNode v, Scope scope) {
        String n = v.text().strip();
        if (Template.hasReferences(n)) {
            scope.check(n, v.location());
            return n;
        }
        if (!nodes.contains(n)) {
            problems.add(
                    v.location(),
                    "unknown node '" + n + "'" + Suggest.didYouMean(n, nodes) + "; the nodes are "
                            + String.join(", ", nodes) + " (or 'all')");
            return null;
        }
        return n;
    }
}
