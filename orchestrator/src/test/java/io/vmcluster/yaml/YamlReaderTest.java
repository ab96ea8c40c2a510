package io.vmcluster.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {
    static final Path FILE = Path.of("f.yaml");

    static YamlNode read(String text) {
        Problems p = new Problems();
        YamlNode root = YamlReader.read(text, FILE, p);
        assertThat(p.list()).as("problems").isEmpty();
        return root;
    }

    static Problem onlyProblem(String text) {
        Problems p = new Problems();
        YamlNode root = YamlReader.read(text, FILE, p);
        assertThat(p.list()).as("problems of %s", text).hasSize(1);
        assertThat(root).as("no tree for bad input").isNull();
        return p.list().get(0);
    }

    @Nested
    class TheTree {
        @Test
        void remembersWhereEachValueAndKeyIsWritten() {
            YamlNode root = read("a: 1\nb:\n  - x\n  - {c: 'q'}\n");
            assertThat(root.location()).isEqualTo(new Location(FILE, 1, 1));
            YamlNode.Entry b = root.entries().get("b");
            assertThat(b.keyLocation()).isEqualTo(new Location(FILE, 2, 1));
            assertThat(b.value().items().get(1).location()).isEqualTo(new Location(FILE, 4, 5));
            YamlNode c = b.value().items().get(1).entries().get("c").value();
            assertThat(c.location()).isEqualTo(new Location(FILE, 4, 9));
            assertThat(c.text()).isEqualTo("q");
        }

        @Test
        void tellsNumbersFromQuotedText() {
            YamlNode root = read("n: 3\ns: '3'\nb: true\nz:\nf: 1.5\n");
            assertThat(root.entries().get("n").value().describe()).isEqualTo("the number 3");
            assertThat(root.entries().get("s").value().describe()).isEqualTo("the text '3'");
            assertThat(root.entries().get("b").value().describe()).isEqualTo("the boolean true");
            assertThat(root.entries().get("z").value().isNull()).isTrue();
            assertThat(root.entries().get("z").value().text()).isNull();
            assertThat(root.entries().get("f").value().describe()).isEqualTo("the number 1.5");
        }

        @Test
        void anAliasIsTheAnchoredValueItself() {
            YamlNode root = read("a: &x {k: v}\nb: *x\n");
            assertThat(root.entries().get("b").value())
                    .isSameAs(root.entries().get("a").value());
        }

        @Test
        void mergeKeysAddTheFieldsTheMappingDoesNotSetItself() {
            YamlNode root = read("""
                    base: &base {succeed: 'true', on: node1, timeout: 5s}
                    step:
                      <<: *base
                      timeout: 9s
                    two:
                      <<: [{a: 1, b: 1}, {b: 2, c: 2}]
                    """);
            YamlNode step = root.entries().get("step").value();
            assertThat(step.entries().keySet()).containsExactly("succeed", "on", "timeout");
            assertThat(step.entries().get("timeout").value().text())
                    .as("explicit wins")
                    .isEqualTo("9s");
            assertThat(step.entries().get("on").value().location())
                    .as("a merged value is located where it is written")
                    .isEqualTo(new Location(FILE, 1, 35));
            YamlNode two = root.entries().get("two").value();
            assertThat(two.entries().get("b").value().text())
                    .as("earlier sources win")
                    .isEqualTo("1");
            assertThat(two.entries().keySet()).containsExactly("a", "b", "c");
        }
    }

    @Nested
    class BadYaml {
        @Test
        void aSyntaxErrorIsLocated() {
            Problem p = onlyProblem("a: [1, 2\nb: 3\n");
            assertThat(p.message()).startsWith("YAML syntax error").contains("not valid YAML");
            assertThat(p.location().line()).isPositive();
        }

        @Test
        void aDuplicateKeyPointsAtBoth() {
            Problems p = new Problems();
            YamlReader.read("a: 1\nb: 2\na: 3\n", FILE, p);
            assertThat(p.list())
                    .singleElement()
                    .hasToString("f.yaml:3:1: 'a' is given twice (first at f.yaml:1:1); keep one");
        }

        @Test
        void aMergeOfSomethingElseIsRejectedWhereItIsWritten() {
            Problems p = new Problems();
            YamlReader.read("a:\n  <<: 3\n  b: 1\n", FILE, p);
            assertThat(p.list()).singleElement().satisfies(x -> {
                assertThat(x.location()).isEqualTo(new Location(FILE, 2, 7));
                assertThat(x.message()).contains("merge key '<<' takes a mapping");
            });
        }

        @Test
        void unknownAndRecursiveAliasesAreLocated() {
            Problem unknown = onlyProblem("a: *nowhere\n");
            assertThat(unknown)
                    .hasToString("f.yaml:1:4: alias '*nowhere' names no anchor '&nowhere' written before it");
            Problem recursive = onlyProblem("a: &r [1, *r]\n");
            assertThat(recursive.message()).contains("recursive alias");
            assertThat(recursive.location()).isEqualTo(new Location(FILE, 1, 11));
        }

        @Test
        void anAliasBombIsStoppedAtTheAliasThatCrossesTheBoundQuickly() {
            // 16 levels of 3 aliases each: 3^16 = 43 million values if expanded
            StringBuilder sb = new StringBuilder("b0: &b0 [x, x, x]\n");
            for (int i = 1; i < 16; i++) {
                sb.append("b")
                        .append(i)
                        .append(": &b")
                        .append(i)
                        .append(" [*b")
                        .append(i - 1)
                        .append(", *b")
                        .append(i - 1)
                        .append(", *b")
                        .append(i - 1)
                        .append("]\n");
            }
            sb.append("cluster: {lans: *b15}\n");
            long start = System.nanoTime();
            Problem p = onlyProblem(sb.toString());
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms").isLessThan(2_000);
            assertThat(p.message()).contains("alias bomb").contains("100000");
            assertThat(p.location().line()).as("the alias that crossed it").isBetween(10, 12);
        }

        @Test
        void deepNestingIsStoppedWithItsLine() {
            Problem flow = onlyProblem("a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");
            assertThat(flow.message()).contains("nest more than 64 levels");
            assertThat(flow.location()).isEqualTo(new Location(FILE, 1, 67));
            StringBuilder block = new StringBuilder();
            for (int i = 0; i < 70; i++)
                block.append("  ".repeat(i)).append("k").append(i).append(":\n");
            assertThat(onlyProblem(block.toString()).location().line())
                    .as("the 65th mapping starts on line 65")
                    .isEqualTo(65);
        }

        @Test
        void deepNestingThroughAnAliasIsStoppedToo() {
            String deep = "[".repeat(40) + "]".repeat(40);
            Problem p =
                    onlyProblem("a: &d " + deep + "\nb: " + deep.substring(0, 30) + "*d" + deep.substring(70) + "\n");
            assertThat(p.message()).contains("through alias '*d'");
        }

        @Test
        void oneDocumentPerFile() {
            Problem p = onlyProblem("a: 1\n---\nb: 2\n");
            assertThat(p.message()).contains("second YAML document");
            assertThat(p.location().line()).isEqualTo(2);
        }

        @Test
        void foreignTagsAreRejected() {
            Problems p = new Problems();
            YamlReader.read("a: !!python/object:os.system x\nb: !!str 3\n", FILE, p);
            assertThat(p.list())
                    .singleElement()
                    .satisfies(x -> assertThat(x.message())
                            .contains("tag 'tag:yaml.org,2002:python/object:os.system' is not used here"));
        }

        @Test
        void anEmptyDocumentIsNamed() {
            assertThat(onlyProblem("# nothing\n")).hasToString("f.yaml: the file is empty");
        }

        @Test
        void tooLargeATextIsRefusedBeforeParsing() {
            Problems p = new Problems();
            YamlReader.read("a: 1\n", FILE, new YamlLimits(3, 64, 10), p);
            assertThat(p.list())
                    .singleElement()
                    .satisfies(x -> assertThat(x.message()).contains("up to 3 bytes"));
        }
    }

    @Nested
    class Files_ {
        @TempDir
        Path dir;

        Problem problemOf(Path file) {
            Problems p = new Problems();
            assertThat(YamlReader.read(file, p)).isNull();
            assertThat(p.list()).hasSize(1);
            return p.list().get(0);
        }

        @Test
        void latin1SaysWhichByteIsNotUtf8() throws IOException {
            Path f = Files.write(
                    dir.resolve("l.yaml"), "name: x\nlog: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
            Problem p = problemOf(f);
            assertThat(p.message()).startsWith("not UTF-8 text at byte 16 (0xe9)");
            assertThat(p.location()).isEqualTo(new Location(f, 2, 9));
        }

        @Test
        void utf16AndBinaryFilesAreNamedAsSuch() throws IOException {
            Path bom = Files.write(dir.resolve("u.yaml"), "a: 1".getBytes(StandardCharsets.UTF_16));
            assertThat(problemOf(bom).message())
                    .contains("not UTF-8 text at byte 0")
                    .contains("UTF-16");
            Path le = Files.write(dir.resolve("le.yaml"), "a: 1".getBytes(StandardCharsets.UTF_16LE));
            assertThat(problemOf(le).message())
                    .contains("not UTF-8 text at byte 1")
                    .contains("NUL");
            Path bin = Files.write(dir.resolve("b.yaml"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0});
            assertThat(problemOf(bin).message()).contains("not UTF-8 text at byte 7");
        }

        @Test
        void aDirectoryAMissingFileAndADeviceAreNamed() {
            assertThat(problemOf(dir).message()).isEqualTo("is a directory, not a YAML file");
            assertThat(problemOf(dir.resolve("none.yaml")).message()).isEqualTo("no such file");
            assertThat(problemOf(Path.of("/dev/zero")).message()).contains("not a regular file");
        }

        @Test
        void aFileTooLargeIsRefusedWithoutReadingItWhole() throws IOException {
            Path big = Files.write(dir.resolve("big.yaml"), new byte[11 << 20]);
            assertThat(problemOf(big).message()).contains("11534336 bytes").contains("10 MiB");
        }

        @Test
        void aFileReadsLikeItsText() throws IOException {
            Path f = Files.writeString(dir.resolve("ok.yaml"), "\uFEFFa: [1, 2]\n");
            Problems p = new Problems();
            YamlNode root = YamlReader.read(f, p);
            assertThat(p.list()).isEmpty();
            assertThat(root.entries().get("a").value().items())
                    .extracting(YamlNode::text)
                    .isEqualTo(List.of("1", "2"));
        }
    }
}
