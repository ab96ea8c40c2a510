package io.vmcluster.scenario.parse;

import io.vmcluster.checker.Checkers;
import io.vmcluster.history.OpFunction;
import io.vmcluster.scenario.Template;
import io.vmcluster.scenario.step.NodeSelector;
import io.vmcluster.scenario.step.WorkloadEndStep;
import io.vmcluster.scenario.step.WorkloadStep;
import io.vmcluster.workload.Expect;
import io.vmcluster.workload.FinalReads;
import io.vmcluster.workload.OpSpec;
import io.vmcluster.workload.ProbeSpec;
import io.vmcluster.workload.Transport;
import io.vmcluster.workload.ValueKind;
import io.vmcluster.workload.ValueParser;
import io.vmcluster.workload.WorkloadSpec;
import io.vmcluster.yaml.Fields;
import io.vmcluster.yaml.Location;
import io.vmcluster.yaml.Problems;
import io.vmcluster.yaml.Suggest;
import io.vmcluster.yaml.YamlNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the {@code workload} and {@code workload_end} steps (docs/workloads.md). Every problem is
 * located: the field, what was found, what would be valid.
 */
final class WorkloadParser {
    static final List<String> OP =
            List.of("f", "weight", "http", "tcp", "command", "on", "pick", "value", "parse", "expect");
    static final List<String> FINAL_READ = List.of("f", "http", "tcp", "command", "parse", "expect", "quiescence");
    static final List<String> PROBE = List.of("f", "command", "every", "on", "parse");
    static final List<String> HTTP = List.of("method", "port", "path", "headers", "body");
    static final List<String> TCP = List.of("port", "send", "until");
    static final List<String> EXPECT = List.of("ok", "fail", "ok_matches", "fail_matches");
    static final List<String> PARSE_KINDS = List.of("input", "text", "lines", "json", "regex", "regex_all");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Problems problems;
    private final StepParser steps;

    WorkloadParser(Problems problems, StepParser steps) {
        this.problems = problems;
        this.steps = steps;
    }

    WorkloadStep workload(Fields f, YamlNode value, Scope scope, String label) {
        String name = steps.scalar(value, "workload", "the workload's name, e.g. workload: jobs", scope);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(
                    value.location(),
                    "a workload's name is lower-case letters, digits and dashes (it names"
                            + " its history file), found '" + name + "'");
            name = null;
        }
        Long clients = f.integer("clients", 1, 1000);
        Duration duration = f.duration("duration");
        Long ops = f.integer("ops", 1, 100_000_000);
        if (!f.has("duration") && !f.has("ops")) {
            f.missing("duration", "how long the clients run, e.g. duration: 30s (or 'ops:', a count of operations)");
        }
        Double rate = null;
        if (f.has("rate")) {
            String t = f.value(f.get("rate"), "rate", "operations per second, e.g. rate: 20");
            try {
                rate = t == null ? null : Double.parseDouble(t.strip());
                if (rate != null && !(rate > 0 && rate <= 1e6)) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                problems.add(
                        f.locationOf("rate"),
                        "'rate' must be operations per second over all clients, more"
                                + " than 0, e.g. rate: 20; found '" + t + "'");
                rate = null;
            }
        }
        Long seed = f.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        Long keys = f.integer("keys", 0, 1_000_000);
        Duration opTimeout = f.duration("op_timeout");
        Scope opScope = scope.child();
        opScope.define("value", "the operation's value");
        opScope.define("key", "the operation's key");
        List<OpSpec> mix = new ArrayList<>();
        List<WorkloadStep.Target> targets = new ArrayList<>();
        YamlNode m = f.get("mix");
        if ((m == null || m.isNull()) && f.has("probes")) {
            // a workload of probes only
        } else if (m == null || m.isNull()) {
            f.missing(
                    "mix",
                    "the operations, e.g. mix: [{f: add, http: {method: POST, port: 3020, path: /new-job,"
                            + " body: 'url=${value}'}}]");
        } else if (!m.isList() || m.items().isEmpty()) {
            problems.add(
                    m.location(),
                    "'mix' must be a list of operations (each with 'f' and one of http, tcp," + " command), found "
                            + m.describe());
        } else {
            for (YamlNode item : m.items()) {
                Fields of = mapping(item, "an operation of the mix", OP);
                if (of == null) continue;
                OpSpec op = op(of, opScope, true);
                WorkloadStep.Target t = target(of, opScope);
                if (op != null && t != null) {
                    mix.add(op);
                    targets.add(t);
                }
            }
        }
        FinalReads finalReads = null;
        if (f.has("final_read")) {
            Fields rf = mapping(f.get("final_read"), "final_read", FINAL_READ);
            if (rf != null) {
                OpSpec read = op(rf, opScope, false);
                Duration q =
                        rf.has("quiescence") ? rf.duration(rf.get("quiescence"), "quiescence") : Duration.ofSeconds(30);
                if (read != null && q != null) finalReads = new FinalReads(read, q);
            }
        }
        List<ProbeSpec> probes = new ArrayList<>();
        List<NodeSelector> probeNodes = new ArrayList<>();
        YamlNode p = f.get("probes");
        if (p != null && !p.isNull()) {
            if (!p.isList()) {
                problems.add(p.location(), "'probes' must be a list of {f, command, every}, found " + p.describe());
            } else {
                for (YamlNode item : p.items()) {
                    Fields pf = mapping(item, "a probe", PROBE);
                    if (pf == null) continue;
                    ProbeSpec probe = probe(pf, scope);
                    NodeSelector on =
                            pf.has("on") ? steps.selector(pf.get("on"), "on", scope) : NodeSelector.allNodes();
                    if (probe != null && on != null) {
                        probes.add(probe);
                        probeNodes.add(on);
                    }
                }
            }
        }
        List<String> checkers = new ArrayList<>();
        for (String written : f.strings("checkers")) {
            String spec = steps.params().apply(written, f.locationOf("checkers"), problems);
            if (spec == null) continue;
            Path dir = f.locationOf("checkers").file().toAbsolutePath().getParent();
            spec = Checkers.resolvePaths(spec, dir == null ? Path.of("") : dir);
            try {
                Checkers.parse(spec);
                checkers.add(spec.strip());
            } catch (IllegalArgumentException e) {
                problems.add(f.locationOf("checkers"), e.getMessage());
            }
        }
        if (name != null) scope.startWorkload(name, f.location());
        if (name == null
                || clients == null && f.has("clients")
                || mix.isEmpty() && probes.isEmpty()
                || mix.size() != targets.size()
                || (!f.has("duration") && !f.has("ops"))
                || duration == null && ops == null) {
            return null;
        }
        try {
            WorkloadSpec spec = new WorkloadSpec(
                    name,
                    clients == null ? 1 : clients.intValue(),
                    duration,
                    ops,
                    rate,
                    mix,
                    keys == null ? 0 : keys.intValue(),
                    seed == null ? 0 : seed,
                    opTimeout == null ? Duration.ofSeconds(10) : opTimeout,
                    finalReads,
                    probes);
            return new WorkloadStep(f.location(), spec, targets, probeNodes, checkers, label);
        } catch (IllegalArgumentException e) {
            problems.add(f.location(), "workload " + name + ": " + e.getMessage());
            return null;
        }
    }

    WorkloadEndStep end(Fields f, YamlNode value, Scope scope, Duration timeout, String label) {
        String name =
                steps.scalar(value, "workload_end", "the name of the workload to end, e.g. workload_end: jobs", scope);
        if (name == null) return null;
        scope.endWorkload(name, value.location());
        Boolean stop = f.bool("stop");
        return new WorkloadEndStep(f.location(), name, Boolean.TRUE.equals(stop), timeout, label);
    }

    private Fields mapping(YamlNode n, String what, List<String> allowed) {
        if (n == null || !n.isMap()) {
            problems.add(
                    n == null ? Location.of(java.nio.file.Path.of("?")) : n.location(),
                    what + " must be a mapping (fields: " + String.join(", ", allowed) + "), found "
                            + (n == null ? "nothing" : n.describe()));
            return null;
        }
        return new Fields(n, what, problems, allowed).substituting(steps.params());
    }

    /** An operation: f, one transport, value, parse, expect (and weight in a mix). */
    private OpSpec op(Fields f, Scope scope, boolean inMix) {
        String fname =
                f.string("f", !inMix ? false : true, "the history's function, e.g. f: add (or read, write, cas)");
        if (!inMix && fname == null) fname = "read";
        OpFunction function = null;
        if (fname != null) {
            try {
                function = OpFunction.of(fname.strip());
            } catch (IllegalArgumentException e) {
                problems.add(f.locationOf("f"), e.getMessage());
            }
        }
        if (OpFunction.CAS.equals(function)) {
            // a cas's value is [old, new]: its templates may name either half
            scope = scope.child();
            scope.define("old", "the cas's expected value");
            scope.define("new", "the cas's new value");
        }
        List<String> given = new ArrayList<>();
        for (String t : List.of("http", "tcp", "command")) if (f.has(t)) given.add(t);
        if (given.size() != 1) {
            problems.add(
                    f.location(),
                    (given.isEmpty()
                                    ? "an operation needs one of http, tcp or command"
                                    : "an operation has exactly one of http, tcp or command, found "
                                            + String.join(" and ", given))
                            + ", e.g. command: etcdctl put k ${value}");
            return null;
        }
        Transport transport = switch (given.get(0)) {
            case "http" -> http(f.get("http"), scope);
            case "tcp" -> tcp(f.get("tcp"), scope);
            default -> {
                String cmd = f.string("command", true, "the guest command");
                if (cmd != null) scope.check(cmd, f.locationOf("command"));
                yield cmd == null ? null : new Transport.Guest(cmd);
            }
        };
        Long weight = inMix ? f.integer("weight", 1, 1_000_000) : null;
        ValueKind value = null;
        if (inMix && f.has("value") && OpFunction.CAS.equals(function)) {
            problems.add(
                    f.locationOf("value"),
                    "a cas's value is always [old, new] (old: what the key was last seen to hold, new: a"
                            + " unique integer); drop 'value' and use ${old} and ${new} in the command");
        } else if (inMix && f.has("value")) {
            String v = f.string("value", false, "unique or none");
            if ("unique".equals(v)) value = ValueKind.UNIQUE;
            else if ("none".equals(v)) value = ValueKind.NONE;
            else
                problems.add(
                        f.locationOf("value"),
                        "'value' is unique (a new integer per operation) or none (a" + " read), found "
                                + f.get("value").describe()
                                + Suggest.didYouMean(v == null ? "" : v, List.of("unique", "none")));
        }
        ValueParser parse = f.has("parse") ? parse(f.get("parse")) : null;
        Expect expect = f.has("expect") ? expect(f.get("expect")) : Expect.DEFAULTS;
        if (function == null || transport == null || expect == null || (f.has("parse") && parse == null)) return null;
        OpSpec op = OpSpec.of(function, transport);
        if (weight != null) op = op.weight(weight.intValue());
        if (value != null) op = op.value(value);
        if (!inMix) op = op.value(ValueKind.NONE);
        if (parse != null) op = op.parse(parse);
        return op.expect(expect);
    }

    private WorkloadStep.Target target(Fields f, Scope scope) {
        NodeSelector on = f.has("on") ? steps.selector(f.get("on"), "on", scope) : NodeSelector.allNodes();
        String pick = f.string("pick", false, "round_robin or random");
        if (pick != null && !pick.equals("round_robin") && !pick.equals("random")) {
            problems.add(
                    f.locationOf("pick"),
                    "'pick' is round_robin (the default) or random (from the seed), found '" + pick + "'"
                            + Suggest.didYouMean(pick, List.of("round_robin", "random")));
            return null;
        }
        return on == null ? null : new WorkloadStep.Target(on, "random".equals(pick));
    }

    private Transport http(YamlNode n, Scope scope) {
        Fields h = mapping(n, "an http request", HTTP);
        if (h == null) return null;
        Long port = h.integer("port", 1, 65535);
        if (!h.has("port")) h.missing("port", "the node's TCP port, e.g. port: 3020");
        String path = h.string("path", false, "the request target, e.g. /new-job");
        if (path == null) path = "/";
        else if (!path.startsWith("/") && !Template.hasReferences(path)) {
            problems.add(
                    h.locationOf("path"),
                    "'path' is the request target on the node and starts with /, found '" + path
                            + "' (the host and port come from the node and 'port')");
        }
        scope.check(path, h.locationOf("path"));
        String body = h.string("body", false, "the request body");
        scope.check(body, h.locationOf("body"));
        String method = h.string("method", false, "GET, POST, PUT, DELETE ...");
        if (method == null) method = body == null ? "GET" : "POST";
        if (!method.matches("[A-Z]+")) {
            problems.add(
                    h.locationOf("method"),
                    "'method' is an HTTP method in capitals (GET, POST, PUT, DELETE)," + " found '" + method + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        YamlNode hs = h.get("headers");
        if (hs != null && !hs.isNull()) {
            if (!hs.isMap()) {
                problems.add(hs.location(), "'headers' must be a mapping NAME: VALUE, found " + hs.describe());
            } else {
                for (YamlNode.Entry e : hs.entries().values()) {
                    if (!e.value().isScalar()) {
                        problems.add(
                                e.value().location(),
                                "header " + e.key() + " must be text, found "
                                        + e.value().describe());
                        continue;
                    }
                    scope.check(e.value().text(), e.value().location());
                    headers.put(e.key(), e.value().text());
                }
            }
        }
        if (port == null) return null;
        return new Transport.Http(method, port.intValue(), path, headers, body);
    }

    private Transport tcp(YamlNode n, Scope scope) {
        Fields t = mapping(n, "a tcp request", TCP);
        if (t == null) return null;
        Long port = t.integer("port", 1, 65535);
        if (!t.has("port")) t.missing("port", "the node's TCP port");
        String send = t.string("send", true, "the bytes to send (text; \\n as a real line break in YAML \"...\")");
        scope.check(send, t.locationOf("send"));
        String until = t.string("until", false, "the text that ends the reply (default: the peer closes)");
        if (port == null || send == null) return null;
        return new Transport.Tcp(port.intValue(), send, until);
    }

    private ProbeSpec probe(Fields f, Scope scope) {
        String fname = f.string("f", false, "the sample's function");
        OpFunction function = OpFunction.LEADER_STATUS;
        if (fname != null) {
            try {
                function = OpFunction.of(fname.strip());
            } catch (IllegalArgumentException e) {
                problems.add(f.locationOf("f"), e.getMessage());
                return null;
            }
        }
        String cmd = f.string("command", true, "the guest command whose stdout is the sample");
        scope.check(cmd, f.locationOf("command"));
        Duration every = f.has("every") ? f.duration("every") : Duration.ofSeconds(1);
        ValueParser parse = f.has("parse") ? parse(f.get("parse")) : ValueParser.json("$");
        if (parse != null && parse.kind() == ValueParser.Kind.INPUT) {
            problems.add(
                    f.locationOf("parse"), "a probe has no input value; parse its output (json, text, lines, regex)");
            return null;
        }
        if (cmd == null || every == null || parse == null) return null;
        return new ProbeSpec(function, cmd, every, parse, List.of());
    }

    /** {@code text | lines | json | input} or {@code {json: PATH} | {regex: P} | {regex_all: P}}. */
    private ValueParser parse(YamlNode n) {
        if (n.isScalar()) {
            return switch (n.text().strip()) {
                case "input" -> ValueParser.INPUT;
                case "text" -> ValueParser.text();
                case "lines" -> ValueParser.lines();
                case "json" -> ValueParser.json("$");
                default -> {
                    problems.add(
                            n.location(),
                            "'parse' is one of text, lines, json, input, or {json: PATH},"
                                    + " {regex: PATTERN}, {regex_all: PATTERN}; found " + n.describe()
                                    + Suggest.didYouMean(n.text().strip(), PARSE_KINDS));
                    yield null;
                }
            };
        }
        if (!n.isMap() || n.entries().size() != 1) {
            problems.add(
                    n.location(),
                    "'parse' is one of text, lines, json, input, or a mapping with one of json,"
                            + " regex, regex_all; found " + n.describe());
            return null;
        }
        Fields p = new Fields(n, "parse", problems, List.of("json", "regex", "regex_all"));
        if (p.has("json")) {
            String path = p.string("json", true, "a JSON path like $[*].url");
            if (path == null) return null;
            String bad = io.vmcluster.json.JsonPath.check(path);
            if (bad != null) {
                problems.add(p.locationOf("json"), bad);
                return null;
            }
            return ValueParser.json(path);
        }
        String key = p.has("regex") ? "regex" : "regex_all";
        String pattern = p.string(key, true, "a regular expression; group 1 is the value when it has groups");
        if (pattern == null) return null;
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            problems.add(
                    p.locationOf(key), "bad regular expression: " + e.getDescription() + " near index " + e.getIndex());
            return null;
        }
        return key.equals("regex") ? ValueParser.regex(pattern) : ValueParser.regexAll(pattern);
    }

    private Expect expect(YamlNode n) {
        Fields e = mapping(n, "an operation's expect", EXPECT);
        if (e == null) return null;
        Expect out = Expect.DEFAULTS;
        Set<Integer> ok = codes(e, "ok");
        Set<Integer> fail = codes(e, "fail");
        if (ok == null || fail == null) return null;
        Set<Integer> both = new LinkedHashSet<>(ok);
        both.retainAll(fail);
        if (!both.isEmpty()) {
            problems.add(e.locationOf("fail"), "codes " + both + " are both ok and fail; give each code one meaning");
            return null;
        }
        out = out.withOk(ok).withFail(fail);
        for (String key : List.of("ok_matches", "fail_matches")) {
            String re = e.string(key, false, "a regular expression");
            if (re == null) continue;
            try {
                Pattern.compile(re);
            } catch (PatternSyntaxException x) {
                problems.add(e.locationOf(key), "bad regular expression: " + x.getDescription());
                return null;
            }
            out = key.equals("ok_matches") ? out.withOkMatches(re) : out.withFailMatches(re);
        }
        return out;
    }

    /** A code or list of codes (HTTP status or exit code); empty when absent, null after a problem. */
    private Set<Integer> codes(Fields f, String key) {
        Set<Integer> out = new LinkedHashSet<>();
        YamlNode v = f.get(key);
        if (v == null || v.isNull()) return out;
        List<YamlNode> items = v.isList() ? v.items() : List.of(v);
        for (YamlNode i : items) {
            Long c = f.integer(i, key, 0, 999);
            if (c == null) return null;
            out.add(c.intValue());
        }
        return out;
    }
}
