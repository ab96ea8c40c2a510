package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A battery of bad input, realistic mistakes and hostile files (issue 11): each must be rejected
 * by {@code vmcluster validate} with exit 2, the file:line of the value at fault, a message
 * saying what would be valid, no stack trace or exception class, within seconds. The cases are in
 * {@code bad-input/cases.txt}; hostile files are generated here.
 */
class BadInputBatteryTest {
    private static final Pattern EXPECT = Pattern.compile("# expect: (?:(\\S+\\.yaml):)?(\\+?\\d+) (.+)");
    private static final String HEAD = """
            name: t
            cluster: {defaults: {image: etcd-test}, nodes: 3}
            params: {jobq.mode: replicated, writes: "5"}
            tests:
              - name: one
                steps:
            """;
    private static final int HEAD_LINES = 6;
    /** Far above a clean validate (well under a second), far below a hang. */
    private static final long BOUND_MS = 10_000;

    @TempDir
    Path dir;

    record Case(String name, String expectFile, int line, String fragment, String text, Map<String, String> files) {}

    static Stream<Arguments> cases() throws IOException {
        String all;
        try (InputStream in = BadInputBatteryTest.class.getResourceAsStream("/bad-input/cases.txt")) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Arguments> out = new ArrayList<>();
        for (String block : all.split("(?m)^### ")) {
            if (block.isBlank()) continue;
            String name = block.substring(0, block.indexOf('\n')).strip();
            String rest = block.substring(block.indexOf('\n') + 1);
            String expectLine = rest.substring(0, rest.indexOf('\n'));
            Matcher m = EXPECT.matcher(expectLine);
            if (!m.matches()) throw new IllegalStateException("case '" + name + "' has no # expect: line");
            String body = rest.substring(rest.indexOf('\n') + 1);
            Map<String, String> files = new LinkedHashMap<>();
            String[] parts = body.split("(?m)^--- file ");
            body = parts[0];
            for (int i = 1; i < parts.length; i++) {
                String fname = parts[i].substring(0, parts[i].indexOf('\n')).strip();
                files.put(fname, parts[i].substring(parts[i].indexOf('\n') + 1));
            }
            int line;
            if (m.group(2).startsWith("+")) {
                line = HEAD_LINES + Integer.parseInt(m.group(2).substring(1));
                body = HEAD + body.stripTrailing().indent(6);
            } else {
                line = Integer.parseInt(m.group(2));
            }
            out.add(Arguments.of(
                    Named.of(name, new Case(name, m.group(1), line, m.group(3).strip(), body, files))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedAtItsLineWithWhatWouldBeValid(Case c) throws IOException {
        Path scenario = Files.writeString(dir.resolve("s.yaml"), c.text());
        for (var f : c.files().entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
        Path located = c.expectFile() == null ? scenario : dir.resolve(c.expectFile());
        String where = c.line() == 0 ? located + ": " : located + ":" + c.line() + ":";
        assertRejected(
                scenario,
                err -> assertThat(err)
                        .as("a problem at %s mentioning '%s'", where, c.fragment())
                        .containsPattern("(?m)^" + Pattern.quote(where) + ".*" + Pattern.quote(c.fragment())));
    }

    @Test
    void theBatteryHoldsOverAHundredCases() throws IOException {
        assertThat(cases().count()).isGreaterThan(100);
    }

    @Nested
    class Hostile {
        @Test
        void anAliasBombJustUnderSnakeYamlsAliasLimitIsBoundedAndLocated() throws IOException {
            // issue 11's exact bomb: 16 levels of 3 aliases (48 aliases), 3^16 values expanded
            StringBuilder sb = new StringBuilder("x-b0: &b0 [x, x, x]\n");
            for (int i = 1; i < 16; i++) {
                String a = "*b" + (i - 1);
                sb.append("x-b")
                        .append(i)
                        .append(": &b")
                        .append(i)
                        .append(" [")
                        .append(a)
                        .append(", ")
                        .append(a)
                        .append(", ")
                        .append(a)
                        .append("]\n");
            }
            sb.append("name: t\ncluster: {defaults: {image: etcd-test}, nodes: 3, lans: *b15}\n");
            sb.append("tests: [{name: a, steps: [{log: x}]}]\n");
            Path f = Files.writeString(dir.resolve("bomb.yaml"), sb.toString());
            assertRejected(
                    f, err -> assertThat(err).containsPattern(Pattern.quote(f + ":1") + "\\d:\\d+: .*alias bomb"));
        }

        @Test
        void deepNestingIsRejectedAtItsLine() throws IOException {
            Path f = Files.writeString(
                    dir.resolve("deep.yaml"), "name: t\nx-deep: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n");
            assertRejected(f, err -> assertThat(err).contains(f + ":2:").contains("nest more than 64 levels"));
        }

        @Test
        void aFileOverTheSizeLimitIsRefusedWithoutParsing() throws IOException {
            Path f = dir.resolve("huge.yaml");
            Files.writeString(f, "name: t\nx-pad: '" + "a".repeat(11 << 20) + "'\n");
            assertRejected(
                    f, err -> assertThat(err).contains(f + ": the file is").contains("10 MiB"));
        }

        @Test
        void binaryLatin1AndUtf16FilesSayWhichByteIsNotUtf8() throws IOException {
            Path bin = Files.write(dir.resolve("bin.yaml"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
            assertRejected(bin, err -> assertThat(err).contains(bin + ":1:8: not UTF-8 text at byte 7"));
            Path latin1 =
                    Files.write(dir.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
            assertRejected(latin1, err -> assertThat(err).contains(latin1 + ":1:10: not UTF-8 text at byte 9"));
            Path utf16 = Files.write(dir.resolve("utf16.yaml"), "name: t\n".getBytes(StandardCharsets.UTF_16));
            assertRejected(
                    utf16,
                    err -> assertThat(err).contains("not UTF-8 text at byte 0").contains("UTF-16"));
        }

        @Test
        void aDirectoryAndAMissingFileAreNamed() {
            assertRejected(dir, err -> assertThat(err).contains(dir + ": is a directory"));
            assertRejected(dir.resolve("none.yaml"), err -> assertThat(err).contains("none.yaml: no such file"));
        }
    }

    @Nested
    class CommandLineInput {
        @Test
        void anEmptyParamValueIsBlamedOnTheOption() throws IOException {
            Path f = Files.writeString(dir.resolve("s.yaml"), HEAD + "      - log: hi\n");
            StringWriter err = new StringWriter();
            int exit = Vmcluster.execute(
                    new String[] {"validate", f.toString(), "--param", "jobq.mode="},
                    new PrintWriter(new StringWriter()),
                    new PrintWriter(err, true));
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString())
                    .startsWith("--param jobq.mode=: param 'jobq.mode': parameter value ''")
                    .doesNotContain(f + ":");
        }

        @Test
        void aTimingMultiplierThatIsNotANumberIsBadInputNotAStackTrace() throws Exception {
            for (String[] command : new String[][] {{"doctor"}, {"run", "x.yaml"}}) {
                ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Vmcluster.class.getName());
                pb.command().addAll(List.of(command));
                pb.environment().put("VMC_TIMING_MULTIPLIER", "2x");
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                Process p = pb.start();
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("%s; stderr: %s", command[0], err).isEqualTo(2);
                assertThat(err)
                        .contains("invalid input: VMC_TIMING_MULTIPLIER")
                        .contains("found '2x'")
                        .doesNotContain("Exception")
                        .doesNotContain("\tat ");
            }
        }

        @Test
        void aResultsPathThatCannotBeADirectoryIsBlamedOnTheOption() throws IOException {
            Path f = Files.writeString(dir.resolve("s.yaml"), HEAD + "      - log: hi\n");
            Path notADir = Files.writeString(dir.resolve("file"), "x");
            RunCommand cmd = new RunCommand();
            cmd.preflight = () -> {};
            StringWriter err = new StringWriter();
            CommandLine cl = Vmcluster.configure(
                    new CommandLine(cmd), new PrintWriter(new StringWriter()), new PrintWriter(err));
            int exit = cl.execute(
                    f.toString(), "--results", notADir.resolve("results").toString());
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString())
                    .contains("invalid input: --results " + notADir.resolve("results") + ": Not a directory")
                    .doesNotContain("Exception");
        }
    }

    private static void assertRejected(Path file, Consumer<String> check) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = Vmcluster.execute(
                new String[] {"validate", file.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        long ms = (System.nanoTime() - start) / 1_000_000;
        String e = err.toString();
        assertThat(exit).as("exit code; stderr:%n%s", e).isEqualTo(2);
        assertThat(ms).as("validate took %d ms", ms).isLessThan(BOUND_MS);
        assertThat(e)
                .as("no stack trace or exception class")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("java.");
        check.accept(e);
    }
}
