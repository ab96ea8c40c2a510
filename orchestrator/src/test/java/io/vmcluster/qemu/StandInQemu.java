package io.vmcluster.qemu;

import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.time.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * QEMU stand-ins for tests of how the runtime meets a failing QEMU, without depending on the
 * host's quirks: shell scripts that run the real {@code /usr/bin/qemu-system-x86_64} except in the
 * one case they fake, and log every invocation (one line of arguments) so a test can count them.
 */
public final class StandInQemu {
    private static final String REAL = "/usr/bin/qemu-system-x86_64";

    private final Path script;
    private final Path invocations;

    private StandInQemu(Path script, Path invocations) {
        this.script = script;
        this.invocations = invocations;
    }

    /**
     * Under KVM ({@code -enable-kvm}, {@code -accel kvm}) it says what QEMU 7.2 says on the AMD hosts
     * of issue 10 and aborts (exit 134) half a second after its start; under TCG it is the real QEMU.
     */
    public static StandInQemu abortingUnderKvm(Path dir) throws IOException {
        return write(dir, "qemu-aborting-under-kvm", """
                if [ "$kvm" = 1 ]; then
                  sleep 0.5
                  echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2
                  echo "qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion \\`ret == cpu->kvm_msr_buf->nmsrs' failed." >&2
                  kill -ABRT $$
                fi
                exec %s "$@"
                """.formatted(REAL));
    }

    /**
     * The real QEMU with one more device that does not exist, so it refuses its command line at
     * once as a QEMU too old for the image's devices would; {@code --version} still answers.
     */
    public static StandInQemu refusingItsArguments(Path dir) throws IOException {
        return write(dir, "qemu-refusing-arguments", """
                if [ "$1" = --version ]; then exec %1$s "$@"; fi
                exec %1$s "$@" -device vmc-no-such-device
                """.formatted(REAL));
    }

    private static StandInQemu write(Path dir, String name, String body) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve(name);
        Path log = dir.resolve(name + ".invocations");
        Files.writeString(script, """
                #!/bin/sh
                # A QEMU stand-in written by vmcluster's tests (StandInQemu).
                echo "$*" >> '%s'
                kvm=0
                prev=
                for a in "$@"; do
                  case "$prev $a" in
                    "-accel kvm"|"-accel kvm,"*) kvm=1 ;;
                  esac
                  [ "$a" = -enable-kvm ] && kvm=1
                  prev=$a
                done
                %s""".formatted(log, body));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new StandInQemu(script, log);
    }

    /** The executable to hand the runtime as its QEMU. */
    public Path path() {
        return script;
    }

    /** Every invocation so far, one line of arguments each. */
    public List<String> invocations() throws IOException {
        return Files.exists(invocations) ? Files.readAllLines(invocations) : List.of();
    }

    /** How many invocations asked for KVM. */
    public long kvmInvocations() throws IOException {
        return invocations().stream()
                .filter(l -> l.contains("-accel kvm") || l.contains("-enable-kvm"))
                .count();
    }

    /**
     * A "QEMU" that is only {@code script} (sh), started exactly as the runtime starts QEMU (the
     * same launcher, argv file and stderr file), with its sockets and serial log in {@code dir}:
     * for what a QEMU says and how it exits, without a guest.
     */
    public static QemuProcess startScript(Path dir, String script, Accelerator accel) throws IOException {
        Files.createDirectories(dir);
        Path fake = dir.resolve("fake-qemu");
        Files.writeString(fake, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        QemuCommandLine line = QemuCommandLine.builder(fake, "node1")
                .accelerator(accel)
                .kernel(dir.resolve("vmlinuz"))
                .initrd(dir.resolve("initrd.img"))
                .qmpSocket(dir.resolve("qmp.sock"))
                .consoleSocket(dir.resolve("console.sock"))
                .serialLog(dir.resolve("serial.log"))
                .build();
        return QemuProcess.start(
                ProcessLauncher.create(Timing.standard()),
                line,
                Optional.empty(),
                dir.resolve("qemu.argv"),
                dir.resolve("qemu.stderr"));
    }

    /** Whether the real QEMU exists (the stand-ins exec it). */
    public static boolean realQemuExists() {
        return Files.isExecutable(Path.of(REAL));
    }
}
