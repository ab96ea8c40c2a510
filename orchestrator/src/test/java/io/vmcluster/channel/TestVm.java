package io.vmcluster.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One TCG guest of the test image, booted with a minimal QEMU command line for the channel ITs
 * (the cluster runtime is not needed to test a channel). SSH is forwarded from a loopback port by
 * QEMU's user-mode network; the console and the agent are unix sockets in a temp dir. Closing
 * kills this QEMU (by its own pid) and removes the temp dir.
 */
final class TestVm implements AutoCloseable {
    static final String IMAGE = "etcd-test";

    final String name;
    final Path dir;
    final Path consoleSocket;
    final Path agentSocket;
    final Path serialLog;
    final int sshPort;
    private final Process qemu;
    private final Thread hook;

    private TestVm(String name, Path dir, Process qemu, int sshPort) {
        this.name = name;
        this.dir = dir;
        this.qemu = qemu;
        this.sshPort = sshPort;
        this.consoleSocket = dir.resolve("console.sock");
        this.agentSocket = dir.resolve("agent.sock");
        this.serialLog = dir.resolve("serial.log");
        this.hook = new Thread(this::kill, "kill-test-vm-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The built test image directory, if there is one. */
    static Optional<Path> image() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank()
                ? Paths.get(cache)
                : Paths.get(System.getProperty("user.home"), ".cache");
        Path link = base.resolve("vmcluster/images/" + IMAGE);
        return Files.isRegularFile(link.resolve("image.json")) ? Optional.of(link) : Optional.empty();
    }

    static boolean imageAvailable() {
        return image().isPresent();
    }

    static TestVm boot(String name, SshKeys keys) throws IOException {
        Path image = image().orElseThrow(() -> new IllegalStateException("no built image " + IMAGE));
        JsonNode manifest =
                new ObjectMapper().readTree(image.resolve("image.json").toFile());
        Path dir = Files.createTempDirectory("vmc-channel-it-");
        Path data = dir.resolve("data.img");
        try (var f = new java.io.RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(256L << 20);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int memory = Math.max(512, manifest.path("minMemoryMiB").asInt(512));
        String cmdline = manifest.path("cmdline").asText("") + " vmc.name=" + name + " vmc.id=1 vmc.ip=10.0.2.15/24"
                + " vmc.hosts=" + name + "=10.0.2.15 vmc.ssh_key=" + keys.kernelParamValue();
        List<String> argv = new ArrayList<>(List.of(
                "qemu-system-x86_64",
                "-name",
                name,
                "-accel",
                "tcg",
                "-machine",
                "q35",
                "-m",
                Integer.toString(memory),
                "-smp",
                "1",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-kernel",
                image.resolve(manifest.path("kernel").asText()).toString(),
                "-initrd",
                image.resolve(manifest.path("initrd").asText()).toString(),
                "-append",
                cmdline,
                "-chardev",
                "file,id=serial0,path=" + dir.resolve("serial.log"),
                "-serial",
                "chardev:serial0",
                "-device",
                "virtio-serial-pci,id=vser0",
                "-chardev",
                "socket,id=console,path=" + dir.resolve("console.sock") + ",server=on,wait=off",
                "-device",
                "virtconsole,chardev=console,id=console0",
                "-chardev",
                "socket,id=agent,path=" + dir.resolve("agent.sock") + ",server=on,wait=off",
                "-device",
                "virtserialport,chardev=agent,id=agent0,name=org.qemu.guest_agent.0",
                "-netdev",
                "user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:22",
                "-device",
                "virtio-net-pci,netdev=n0,mac=52:54:00:12:34:01",
                "-drive",
                "file=" + data + ",if=none,id=data,format=raw",
                "-device",
                "virtio-blk-pci,drive=data,serial=vmc-data"));
        Files.write(dir.resolve("argv"), argv);
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.out").toFile())
                .start();
        return new TestVm(name, dir, p, port);
    }

    boolean alive() {
        return qemu.isAlive();
    }

    String serialTail() {
        try {
            List<String> lines = Files.readAllLines(serialLog, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no serial log: " + e + ")";
        }
    }

    private void kill() {
        qemu.destroy();
        try {
            if (!qemu.waitFor(5, TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            qemu.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
