package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.suite.Shard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The Kubernetes indexed Job and the GitHub Actions matrix of docs/scale-out.md, checked without a
 * cluster or a runner: their structure (one shard per index, results on a shared volume,
 * privileged, /dev/kvm; a matrix whose jobs are --shard K/N and a merge job after them), and the
 * very commands they run: each shard's shell line is run by {@code sh} with a {@code vmcluster}
 * that prints its arguments, and those arguments are parsed by vmcluster's own command line.
 */
class DeployExamplesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SHARDS_JOB = REPO.resolve("deploy/kubernetes/vmcluster-shards.yaml");
    private static final Path MERGE_JOB = REPO.resolve("deploy/kubernetes/vmcluster-merge.yaml");
    private static final Path WORKFLOW = REPO.resolve("docs/examples/github-actions-shards.yml");
    private static final Path DOCKERFILE = REPO.resolve("deploy/container/Dockerfile");

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml().loadAll(Files.readString(file))) docs.add((Map<String, Object>) o);
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            n = n instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) n).get(p);
            if (n == null) throw new AssertionError("no " + String.join(".", path) + " (missing at " + p + ")");
        }
        return (T) n;
    }

    /** Runs {@code script} with sh in {@code cwd}, a printing {@code vmcluster} (and sudo) first on PATH. */
    private List<String> argsOf(String script, Path cwd, Map<String, String> env) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String print = "#!/bin/sh\nprintf '%s\\n' \"$@\"\n";
        for (Path p : List.of(bin.resolve("vmcluster"), cwd.resolve("scripts/vmcluster"))) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, print);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // sudo OPTIONS... COMMAND ARGS: runs COMMAND, as sudo would
        Path sudo = Files.writeString(
                bin.resolve("sudo"), "#!/bin/sh\nwhile [ \"${1#-}\" != \"$1\" ]; do shift; done\nexec \"$@\"\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("sh ran the line").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    /** vmcluster's own parse of {@code args}: the subcommand's object with its options set. */
    private static Object parsed(List<String> args) {
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        CommandLine.ParseResult r = Vmcluster.configure(new CommandLine(new Vmcluster()), sink, sink)
                .parseArgs(args.toArray(String[]::new));
        assertThat(r.subcommand()).as("a subcommand in " + args).isNotNull();
        return r.subcommand().commandSpec().userObject();
    }

    /** Each scenario file the image is given must be in the repository and copied into the image. */
    private static void inTheImage(List<Path> scenarioFiles) throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        for (Path f : scenarioFiles) {
            assertThat(f.startsWith("/opt/vmcluster/scenarios"))
                    .as(f + " is under the image's scenarios")
                    .isTrue();
            Path rel = Path.of("/opt/vmcluster/scenarios").relativize(f);
            assertThat(REPO.resolve("scenarios").resolve(rel))
                    .as("in the repository")
                    .isRegularFile();
            String copy = rel.getNameCount() == 1
                    ? "COPY scenarios/*.yaml /opt/vmcluster/scenarios/"
                    : "COPY scenarios/" + rel.getName(0) + " /opt/vmcluster/scenarios/" + rel.getName(0);
            assertThat(dockerfile).as("the Dockerfile copies " + rel).contains(copy);
        }
    }

    @Nested
    class KubernetesIndexedJob {
        @Test
        void everyIndexRunsItsOwnShardIntoItsOwnDirectoryOfOneSharedVolume() throws Exception {
            List<Map<String, Object>> docs = documents(SHARDS_JOB);
            Map<String, Object> claim = docs.stream()
                    .filter(d -> "PersistentVolumeClaim".equals(d.get("kind")))
                    .findFirst()
                    .orElseThrow();
            assertThat(at(claim, "spec", "accessModes").toString())
                    .as("every pod writes to it at once")
                    .contains("ReadWriteMany");
            Map<String, Object> job = docs.stream()
                    .filter(d -> "Job".equals(d.get("kind")))
                    .findFirst()
                    .orElseThrow();
            assertThat((String) at(job, "spec", "completionMode")).isEqualTo("Indexed");
            int n = at(job, "spec", "completions");
            assertThat((int) at(job, "spec", "parallelism")).isEqualTo(n);
            assertThat((int) at(job, "spec", "backoffLimitPerIndex"))
                    .as("a failed test is a verdict, not retried")
                    .isZero();
            Map<String, Object> pod = at(job, "spec", "template", "spec");
            assertThat((String) at(pod, "restartPolicy")).isEqualTo("Never");
            List<Map<String, Object>> containers = at(pod, "containers");
            assertThat(containers).hasSize(1);
            Map<String, Object> c = containers.get(0);
            assertThat((boolean) at(c, "securityContext", "privileged"))
                    .as("namespaces, taps, nftables")
                    .isTrue();
            List<Map<String, Object>> volumes = at(pod, "volumes");
            Map<String, String> mounts = new java.util.HashMap<>();
            for (Map<String, Object> m : List.<Map<String, Object>>copyOf(at(c, "volumeMounts"))) {
                mounts.put((String) m.get("mountPath"), (String) m.get("name"));
            }
            Map<String, Object> kvm = volumes.stream()
                    .filter(v -> v.get("name").equals(mounts.get("/dev/kvm")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("/dev/kvm is not mounted"));
            assertThat((String) at(kvm, "hostPath", "path")).isEqualTo("/dev/kvm");
            assertThat((String) at(kvm, "hostPath", "type")).isEqualTo("CharDevice");
            Map<String, Object> results = volumes.stream()
                    .filter(v -> v.get("name").equals(mounts.get("/results")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("/results is not mounted"));
            assertThat((String) at(results, "persistentVolumeClaim", "claimName"))
                    .isEqualTo(at(claim, "metadata", "name"));

            Map<String, String> env = new java.util.HashMap<>();
            for (Map<String, Object> e : List.<Map<String, Object>>copyOf(at(c, "env"))) {
                env.put((String) e.get("name"), (String) e.get("value"));
            }
            List<String> command = at(c, "command");
            List<String> args = at(c, "args");
            assertThat(command).containsExactly("sh", "-c");
            Set<Shard> shards = new HashSet<>();
            Set<Path> dirs = new HashSet<>();
            List<Path> files = null;
            for (int index = 0; index < n; index++) {
                Map<String, String> podEnv = new java.util.HashMap<>(env);
                podEnv.put("JOB_COMPLETION_INDEX", String.valueOf(index)); // what Kubernetes sets in pod K-1
                RunCommand run = (RunCommand) parsed(argsOf(args.get(0), tmp, podEnv));
                assertThat(run.shard).as("index " + index).isEqualTo(new Shard(index + 1, n));
                assertThat(run.seed).as("one seed on every pod").isNotNull();
                assertThat(run.results.startsWith("/results"))
                        .as("on the volume")
                        .isTrue();
                shards.add(run.shard);
                dirs.add(run.results);
                if (files == null) files = run.scenarioFiles;
                assertThat(run.scenarioFiles).as("the same files on every pod").isEqualTo(files);
            }
            assertThat(shards).as("one shard per index, all of them").hasSize(n);
            assertThat(dirs).as("a directory per shard").hasSize(n);
            inTheImage(files);

            List<Map<String, Object>> merge = documents(MERGE_JOB);
            Map<String, Object> mergePod = at(merge.get(0), "spec", "template", "spec");
            MergeCommand m = (MergeCommand) parsed(at(mergePod, "containers", "0", "args"));
            assertThat(new HashSet<>(m.dirs))
                    .as("the merge takes every shard's directory")
                    .isEqualTo(dirs);
            assertThat(m.allowMissing)
                    .as("a pod that died leaves a report naming its shard")
                    .isTrue();
            assertThat((String) at(mergePod, "volumes", "0", "persistentVolumeClaim", "claimName"))
                    .isEqualTo(at(claim, "metadata", "name"));
        }
    }

    @Nested
    class GitHubActionsMatrix {
        private static final Pattern EXPR = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

        /** GitHub's expression substitution for the few expressions the workflow uses. */
        private static String expand(String text, Map<String, String> values) {
            Matcher m = EXPR.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = values.get(m.group(1));
                if (v == null) throw new AssertionError("the test does not know ${{ " + m.group(1) + " }}");
                m.appendReplacement(out, Matcher.quoteReplacement(v));
            }
            return m.appendTail(out).toString();
        }

        private static Map<String, Object> step(List<Map<String, Object>> steps, String uses) {
            return steps.stream()
                    .filter(s -> String.valueOf(s.get("uses")).startsWith(uses))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no step uses " + uses));
        }

        @Test
        void eachMatrixJobRunsShardKOfNAndTheMergeJobJoinsTheirArtifacts() throws Exception {
            Map<String, Object> wf = documents(WORKFLOW).get(0);
            Map<String, Object> shard = at(wf, "jobs", "shard");
            assertThat((boolean) at(shard, "strategy", "fail-fast"))
                    .as("every shard runs to its end")
                    .isFalse();
            List<Integer> matrix = at(shard, "strategy", "matrix", "shard");
            int n = matrix.size();
            assertThat(matrix)
                    .as("1..N")
                    .containsExactlyElementsOf(
                            IntStream.rangeClosed(1, n).boxed().toList());
            List<Map<String, Object>> steps = at(shard, "steps");
            Map<String, Object> runStep = steps.stream()
                    .filter(s -> String.valueOf(s.get("run")).contains("vmcluster run"))
                    .findFirst()
                    .orElseThrow();
            Map<String, Object> upload = step(steps, "actions/upload-artifact");
            Set<String> artifacts = new HashSet<>();
            List<Path> files = null;
            for (int k : matrix) {
                Map<String, String> values = Map.of(
                        "matrix.shard", String.valueOf(k),
                        "strategy.job-total", String.valueOf(n),
                        "github.run_id", "7654321");
                Path ws = Files.createDirectories(tmp.resolve("runner-" + k));
                RunCommand run = (RunCommand) parsed(argsOf(expand((String) runStep.get("run"), values), ws, Map.of()));
                assertThat(run.shard).isEqualTo(new Shard(k, n));
                assertThat(run.seed).as("the run's id, the same on every shard").isEqualTo(7654321L);
                assertThat(expand((String) at(upload, "with", "path"), values))
                        .as("the shard's results are what it uploads")
                        .isEqualTo(run.results.toString());
                assertThat(at(upload, "if").toString())
                        .as("a failed shard uploads too")
                        .contains("always()");
                artifacts.add(expand((String) at(upload, "with", "name"), values));
                if (files == null) files = run.scenarioFiles;
                assertThat(run.scenarioFiles).isEqualTo(files);
            }
            assertThat(artifacts).as("an artifact per shard").hasSize(n);
            for (Path f : files) assertThat(REPO.resolve(f)).isRegularFile();

            Map<String, Object> merge = at(wf, "jobs", "merge");
            assertThat(String.valueOf(merge.get("needs"))).contains("shard");
            assertThat(at(merge, "if").toString())
                    .as("merges after failed shards too")
                    .contains("always()");
            List<Map<String, Object>> msteps = at(merge, "steps");
            Map<String, Object> download = step(msteps, "actions/download-artifact");
            // download-artifact@v4 with a pattern matching several: each artifact in PATH/NAME
            Path ws = Files.createDirectories(tmp.resolve("merge-runner"));
            String into = at(download, "with", "path");
            String pattern = at(download, "with", "pattern");
            for (String a : artifacts) {
                assertThat(java.nio.file.FileSystems.getDefault()
                                .getPathMatcher("glob:" + pattern)
                                .matches(Path.of(a)))
                        .as(a + " is downloaded")
                        .isTrue();
                Files.createDirectories(ws.resolve(into).resolve(a));
            }
            Map<String, Object> mergeStep = msteps.stream()
                    .filter(s -> String.valueOf(s.get("run")).contains("vmcluster merge"))
                    .findFirst()
                    .orElseThrow();
            MergeCommand m = (MergeCommand) parsed(argsOf((String) mergeStep.get("run"), ws, Map.of()));
            assertThat(m.dirs)
                    .as("the shell's glob gives merge every shard's artifact")
                    .containsExactlyInAnyOrderElementsOf(
                            artifacts.stream().map(a -> Path.of(into, a)).toList());
            assertThat(m.allowMissing)
                    .as("a shard whose runner died leaves a report naming it")
                    .isTrue();
            Map<String, Object> junit = step(msteps, "mikepenz/action-junit-report");
            assertThat((String) at(junit, "with", "report_paths")).isEqualTo(m.results + "/test-output.xml");
        }
    }
}
