package io.vmcluster.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's bad input through the commands a user types ({@code image build}, {@code image
 * check}): a definition with an unknown field, a service without a command, a port clash, a file
 * source that does not exist, a package apt does not know, a {@code --file} that is not there —
 * each exit 2 with the file:line:column (or the option) at fault, before anything is locked,
 * downloaded or booted; a host that lacks a builder tool is exit 3 naming it.
 */
class ImageBadInputTest {
    private static final Path IMAGES = Path.of("..", "images").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Vmcluster.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path definition(String name, String yaml) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("image.yaml"), yaml);
        return d;
    }

    private static void assertInvalid(Result r, String located) {
        assertThat(r.code()).as("exit code; stderr:%n%s", r.err()).isEqualTo(2);
        assertThat(r.err()).contains(located).doesNotContain("Exception", "\tat ", "downloading");
    }

    @Test
    void anUnknownFieldIsLocatedWithWhatIsValid() throws IOException {
        Path d = definition("unknown", "description: x\npakages: [socat]\n");
        assertInvalid(
                run("image", "build", d.toString()),
                d.resolve("image.yaml") + ":2:1: unknown field 'pakages' in the image definition; did you mean"
                        + " 'packages'?");
        assertThat(d.resolve("packages.lock")).as("nothing locked").doesNotExist();
    }

    @Test
    void aServiceWithoutACommandIsLocated() throws IOException {
        Path d = definition("nocmd", "description: x\nservices:\n  kvd:\n    port: 7000\n");
        assertInvalid(
                run("image", "build", d.toString()), d.resolve("image.yaml") + ":3:3: service 'kvd' needs 'command'");
    }

    @Test
    void aPortClashNamesBothServicesAlsoTheRuntimes() throws IOException {
        Path d = definition(
                "clash",
                "services:\n  a: {command: exec sleep 9, port: 7000}\n  b: {command: exec sleep 9, port: 7000}\n"
                        + "  c: {command: exec sleep 9, port: 22}\n");
        Result r = run("image", "build", d.toString());
        assertInvalid(r, d.resolve("image.yaml") + ":3:3: service 'b' uses port 7000/tcp, as does service 'a'");
        assertThat(r.err()).contains(":4:3: service 'c' uses port 22/tcp, as does service 'sshd' (");
    }

    @Test
    void aFileSourceThatDoesNotExistIsLocated() throws IOException {
        Path d = definition("nofile", "files:\n  /etc/kvd.conf: kvd.conf\n");
        assertInvalid(
                run("image", "build", d.toString()),
                d.resolve("image.yaml") + ":2:18: files: the source of /etc/kvd.conf 'kvd.conf' does not exist");
    }

    @Test
    void aFileGivenAtBuildThatIsNotThereIsTheOptionsFault() throws IOException {
        Path d = definition("atbuild", "files:\n  /usr/bin/myd: {at_build: true, mode: \"0755\"}\n");
        assertInvalid(
                run("image", "build", d.toString()), ":2:3: the file /usr/bin/myd is given at build time: add --file");
        assertInvalid(
                run("image", "build", d.toString(), "--file", "/usr/bin/myd=" + dir.resolve("no-such-binary")),
                "--file /usr/bin/myd=" + dir.resolve("no-such-binary") + ": no such host file");
        Result r = run("image", "build", d.toString(), "--file", "usr/bin/myd");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--file wants DEST=SRC");
    }

    @Test
    void aPackageAptDoesNotKnowIsLocatedBeforeAnythingIsLockedOrDownloaded() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-cache")), "asks the host's apt-cache");
        Path d = definition("nopkg", "description: x\npackages: [busybox-static, vmc-no-such-package]\n");
        assertInvalid(
                run("image", "build", d.toString()),
                d.resolve("image.yaml") + ":2:28: apt knows no package 'vmc-no-such-package'");
        assertThat(d.resolve("packages.lock")).as("nothing locked").doesNotExist();
    }

    /** The builder's tools are checked before its cache is even made (so before any download). */
    @Test
    void aHostLackingABuilderToolIsExit3NamingIt() throws Exception {
        // a PATH of the host's programs but cpio (links, removed here: @TempDir warns of each)
        Path bin = Files.createDirectories(dir.resolve("bin"));
        try (Stream<Path> tools = Files.list(Path.of("/usr/bin"))) {
            for (Path t : (Iterable<Path>) tools::iterator) {
                if (!t.getFileName().toString().equals("cpio")) {
                    Files.createSymbolicLink(bin.resolve(t.getFileName()), t);
                }
            }
        }
        try {
            lacksCpio(bin);
        } finally {
            try (Stream<Path> links = Files.list(bin)) {
                for (Path l : (Iterable<Path>) links::iterator) Files.delete(l);
            }
        }
    }

    private void lacksCpio(Path bin) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path cache = dir.resolve("cache");
        ProcessBuilder pb = new ProcessBuilder(
                        "/bin/bash", IMAGES.resolve("lib/build-image").toString(), tree.toString(), "x")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("the host lacks 'cpio' (Debian: apt-get install");
        assertThat(cache).as("nothing cached or downloaded").doesNotExist();
    }

    @Test
    void imageCheckOfADefinitionDirectoryChecksTheDefinitionFirst() throws IOException {
        Path d = definition("unknown", "description: x\npakages: [socat]\n");
        assertInvalid(run("image", "check", d.toString()), d.resolve("image.yaml") + ":2:1: unknown field 'pakages'");
        Path kvd = IMAGES.resolveSibling("examples").resolve("kvd");
        assertInvalid(
                run("image", "check", kvd.toString()),
                ":7:3: the file /usr/bin/kvd is given at build time: add --file /usr/bin/kvd=PATH");
    }

    @Test
    void imageCheckOfSomethingElseSaysWhatItWants() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertInvalid(
                run("image", "check", empty.toString()),
                " is neither a built image (it has no image.json) nor an image definition (no image.yaml)");
        assertInvalid(run("image", "check", "vmc-no-such-image"), "no image named 'vmc-no-such-image'");
    }
}
