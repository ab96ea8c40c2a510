package io.vmcluster.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one QEMU process is started with, as a value built by {@link #builder(Path, String)};
 * {@link #argv()} is the exact command. Machine q35 (PCI, so devices can be hot-plugged later and
 * every driver is the ordinary virtio-pci one), direct kernel boot, no default devices, no display
 * (unless a VGA screen served over VNC on a unix socket is asked for: {@code vncSocket}).
 *
 * <p>Device ids and block node names are part of the API other parts use: NICs are
 * {@code nic<i>} on netdev {@code net<i>}; the data disk is device {@code data-disk} on a {@code raw}
 * node {@code data} over the qcow2 node {@code data-qcow2} over the file node {@code data-file}.
 * The raw node passes requests through unchanged; it is there so faults can insert a blkdebug node
 * between it and the qcow2 node ({@code blockdev-add} + {@code blockdev-reopen}): errors injected
 * <em>above</em> qcow2 fail the guest's reads and writes while qcow2's own metadata I/O still
 * reaches the file, so the fault can always be undone. The root overlay is {@code root-disk} /
 * {@code root}.
 */
public final class QemuCommandLine {
    public static final String DATA_DEVICE = "data-disk";
    /** The raw node the data disk device is attached to. */
    public static final String DATA_NODE = "data";
    /** The qcow2 node under {@link #DATA_NODE}. */
    public static final String DATA_IMAGE_NODE = "data-qcow2";

    public static final String DATA_FILE_NODE = "data-file";
    public static final String ROOT_DEVICE = "root-disk";

    private final Builder b;

    private QemuCommandLine(Builder b) {
        this.b = b;
    }

    /**
     * A command line for QEMU executable {@code binary} and VM {@code name} (the node name); the
     * accelerator, kernel, initrd, serial log and the QMP and console sockets must be set.
     */
    public static Builder builder(Path binary, String name) {
        return new Builder(binary, name);
    }

    /** A builder holding everything this command line has, to derive a variant from. */
    public Builder toBuilder() {
        return new Builder(b);
    }

    /**
     * A data disk: a qcow2 file, virtio-blk with a serial the guest finds it by.
     *
     * @param file the qcow2 file
     * @param serial serial number the guest sees ({@code vmc-data})
     */
    public record DataDisk(Path file, String serial) {}

    /**
     * A virtserialport named {@code name} whose every byte QEMU appends to {@code file} as the
     * guest writes it (a file chardev: nothing is lost when QEMU is killed after the write).
     */
    public record LogPort(String name, Path file) {}

    /** The service-log port, if there is one. */
    public Optional<LogPort> logPort() {
        return b.logPort;
    }

    /**
     * One virtio-net NIC on a tap.
     *
     * @param deviceId QEMU device id ({@code set_link} takes it)
     * @param netdevId QEMU netdev id
     * @param tapName the tap interface (exists before QEMU starts, in QEMU's namespace)
     * @param mac guest MAC
     * @param capture a pcap file every frame of this NIC is written to from QEMU's start on
     *     ({@code filter-dump} object {@code capture-<netdev>}), if any
     */
    public record Nic(String deviceId, String netdevId, String tapName, String mac, Optional<Path> capture) {
        public Nic {
            Objects.requireNonNull(capture, "capture");
        }

        /** A NIC without capture. */
        public Nic(String deviceId, String netdevId, String tapName, String mac) {
            this(deviceId, netdevId, tapName, mac, Optional.empty());
        }
    }

    /** The QEMU executable. */
    public Path binary() {
        return b.binary;
    }

    /** The VM name (the node name). */
    public String name() {
        return b.name;
    }

    /** KVM or TCG. */
    public Accelerator accelerator() {
        return b.accelerator;
    }

    /** The {@code -cpu} value: as set, else {@code host} under KVM and {@code max} under TCG. */
    public String cpu() {
        return b.cpu.orElse(b.accelerator == Accelerator.KVM ? "host" : "max");
    }

    public int memoryMiB() {
        return b.memoryMiB;
    }

    public int cpus() {
        return b.cpus;
    }

    public Path kernel() {
        return b.kernel;
    }

    public Path initrd() {
        return b.initrd;
    }

    /** The kernel command line. */
    public String append() {
        return b.append;
    }

    /** The per-node qcow2 overlay of the image's root disk, if it has one. */
    public Optional<Path> rootOverlay() {
        return b.rootOverlay;
    }

    /** The per-node data disk, if any. */
    public Optional<DataDisk> dataDisk() {
        return b.dataDisk;
    }

    /** NICs in guest order. */
    public List<Nic> nics() {
        return List.copyOf(b.nics);
    }

    /** The QMP unix socket (QEMU listens). */
    public Path qmpSocket() {
        return b.qmpSocket;
    }

    /** The hvc0 unix socket (QEMU listens). */
    public Path consoleSocket() {
        return b.consoleSocket;
    }

    /** The guest-agent unix socket (QEMU listens), if the image has an agent. */
    public Optional<Path> agentSocket() {
        return b.agentSocket;
    }

    /** The VNC unix socket of the node's VGA screen (QEMU listens), if it has one. */
    public Optional<Path> vncSocket() {
        return b.vncSocket;
    }

    /** The file ttyS0 is written to. */
    public Path serialLog() {
        return b.serialLog;
    }

    /** Whether a guest reset ends QEMU ({@code -no-reboot}) instead of rebooting the guest. */
    /** Whether QEMU waits, paused, for its state over QMP ({@code -S -incoming defer}) instead of booting. */
    public boolean incoming() {
        return b.incoming;
    }

    public boolean noReboot() {
        return b.noReboot;
    }

    /** Further {@code -device} values the image asks for (e.g. {@code virtio-rng-pci}). */
    public List<String> devices() {
        return List.copyOf(b.devices);
    }

    /** The exact argument vector, binary first. */
    public List<String> argv() {
        List<String> a = new ArrayList<>();
        a.add(b.binary.toString());
        add(a, "-name", "guest=" + b.name);
        a.add("-nodefaults");
        a.add("-no-user-config");
        add(a, "-display", "none");
        add(a, "-machine", "q35");
        add(a, "-accel", b.accelerator.qemuName());
        add(a, "-cpu", cpu());
        add(a, "-m", Integer.toString(b.memoryMiB));
        add(a, "-smp", Integer.toString(b.cpus));
        add(a, "-kernel", b.kernel.toString());
        add(a, "-initrd", b.initrd.toString());
        add(a, "-append", b.append);
        if (b.noReboot) {
            a.add("-no-reboot");
        }
        if (b.incoming) {
            a.add("-S");
            add(a, "-incoming", "defer");
        }

        add(a, "-chardev", "socket,id=qmp,path=" + opt(b.qmpSocket) + ",server=on,wait=off");
        add(a, "-mon", "chardev=qmp,mode=control");
        add(a, "-chardev", "file,id=serial0,path=" + opt(b.serialLog) + ",append=on");
        add(a, "-serial", "chardev:serial0");

        add(a, "-device", "virtio-serial-pci,id=vser0");
        add(a, "-chardev", "socket,id=console,path=" + opt(b.consoleSocket) + ",server=on,wait=off");
        add(a, "-device", "virtconsole,chardev=console,id=console0");
        b.agentSocket.ifPresent(s -> {
            add(a, "-chardev", "socket,id=agent,path=" + opt(s) + ",server=on,wait=off");
            add(a, "-device", "virtserialport,chardev=agent,id=agent0,name=org.qemu.guest_agent.0");
        });
        b.logPort.ifPresent(p -> {
            add(a, "-chardev", "file,id=svclog,path=" + opt(p.file()) + ",append=on");
            add(a, "-device", "virtserialport,chardev=svclog,id=svclog0,name=" + p.name());
        });

        b.vncSocket.ifPresent(s -> {
            // a standard VGA card; its screen served over VNC on a unix socket only (no TCP port)
            add(a, "-device", "VGA,id=vga0");
            add(a, "-vnc", "unix:" + opt(s));
        });

        b.rootOverlay.ifPresent(root -> {
            add(a, "-blockdev", "driver=file,filename=" + opt(root) + ",node-name=root-file");
            add(a, "-blockdev", "driver=qcow2,file=root-file,node-name=root");
            add(a, "-device", "virtio-blk-pci,drive=root,id=" + ROOT_DEVICE);
        });
        b.dataDisk.ifPresent(d -> {
            add(a, "-blockdev", "driver=file,filename=" + opt(d.file()) + ",node-name=" + DATA_FILE_NODE);
            add(a, "-blockdev", "driver=qcow2,file=" + DATA_FILE_NODE + ",node-name=" + DATA_IMAGE_NODE);
            add(a, "-blockdev", "driver=raw,file=" + DATA_IMAGE_NODE + ",node-name=" + DATA_NODE);
            add(a, "-device", "virtio-blk-pci,drive=" + DATA_NODE + ",id=" + DATA_DEVICE + ",serial=" + d.serial());
        });
        for (Nic n : b.nics) {
            add(
                    a,
                    "-netdev",
                    "tap,id=" + n.netdevId() + ",ifname=" + n.tapName() + ",script=no,downscript=no,vnet_hdr=off");
            add(a, "-device", "virtio-net-pci,netdev=" + n.netdevId() + ",id=" + n.deviceId() + ",mac=" + n.mac());
            n.capture()
                    .ifPresent(file -> add(
                            a,
                            "-object",
                            "filter-dump,id=capture-" + n.netdevId() + ",netdev=" + n.netdevId() + ",file="
                                    + opt(file)));
        }
        for (String device : b.devices) {
            add(a, "-device", device);
        }
        return List.copyOf(a);
    }

    @Override
    public String toString() {
        return String.join(" ", argv());
    }

    private static void add(List<String> a, String option, String value) {
        a.add(option);
        a.add(value);
    }

    /** QEMU option values escape a comma by doubling it. */
    static String opt(Path p) {
        return p.toString().replace(",", ",,");
    }

    /** Collects a {@link QemuCommandLine}; {@link #build()} checks that nothing required is missing. */
    public static final class Builder {
        private final Path binary;
        private final String name;
        private Accelerator accelerator;
        private Optional<String> cpu = Optional.empty();
        private int memoryMiB = 512;
        private int cpus = 1;
        private Path kernel;
        private Path initrd;
        private String append = "";
        private Optional<Path> rootOverlay = Optional.empty();
        private Optional<DataDisk> dataDisk = Optional.empty();
        private final List<Nic> nics = new ArrayList<>();
        private Path qmpSocket;
        private Path consoleSocket;
        private Optional<Path> agentSocket = Optional.empty();
        private Optional<Path> vncSocket = Optional.empty();
        private Optional<LogPort> logPort = Optional.empty();
        private Path serialLog;
        private boolean noReboot;
        private boolean incoming;
        private final List<String> devices = new ArrayList<>();

        private Builder(Path binary, String name) {
            this.binary = Objects.requireNonNull(binary, "binary");
            this.name = Objects.requireNonNull(name, "name");
        }

        private Builder(Builder o) {
            binary = o.binary;
            name = o.name;
            accelerator = o.accelerator;
            cpu = o.cpu;
            memoryMiB = o.memoryMiB;
            cpus = o.cpus;
            kernel = o.kernel;
            initrd = o.initrd;
            append = o.append;
            rootOverlay = o.rootOverlay;
            dataDisk = o.dataDisk;
            nics.addAll(o.nics);
            qmpSocket = o.qmpSocket;
            consoleSocket = o.consoleSocket;
            agentSocket = o.agentSocket;
            vncSocket = o.vncSocket;
            logPort = o.logPort;
            serialLog = o.serialLog;
            noReboot = o.noReboot;
            incoming = o.incoming;
            devices.addAll(o.devices);
        }

        /** KVM or TCG (AUTO is resolved before a command line is built). */
        public Builder accelerator(Accelerator value) {
            this.accelerator = Objects.requireNonNull(value, "accelerator");
            return this;
        }

        /** The {@code -cpu} value instead of the accelerator's default ({@code host} / {@code max}). */
        public Builder cpu(String value) {
            this.cpu = Optional.of(value);
            return this;
        }

        /** Guest RAM (default 512 MiB). */
        public Builder memoryMiB(int value) {
            this.memoryMiB = value;
            return this;
        }

        /** vCPUs (default 1). */
        public Builder cpus(int value) {
            this.cpus = value;
            return this;
        }

        public Builder kernel(Path value) {
            this.kernel = value;
            return this;
        }

        public Builder initrd(Path value) {
            this.initrd = value;
            return this;
        }

        /** The kernel command line (one argument, however many words). */
        public Builder append(String value) {
            this.append = Objects.requireNonNull(value, "append");
            return this;
        }

        /** The per-node qcow2 overlay of the image's root disk. */
        public Builder rootOverlay(Optional<Path> value) {
            this.rootOverlay = Objects.requireNonNull(value, "rootOverlay");
            return this;
        }

        public Builder dataDisk(Optional<DataDisk> value) {
            this.dataDisk = Objects.requireNonNull(value, "dataDisk");
            return this;
        }

        /** Appends a NIC (guest order: eth0 first). */
        public Builder nic(Nic value) {
            this.nics.add(Objects.requireNonNull(value, "nic"));
            return this;
        }

        /** Replaces the NICs. */
        public Builder nics(List<Nic> value) {
            this.nics.clear();
            value.forEach(this::nic);
            return this;
        }

        public Builder qmpSocket(Path value) {
            this.qmpSocket = value;
            return this;
        }

        public Builder consoleSocket(Path value) {
            this.consoleSocket = value;
            return this;
        }

        /** A virtserialport whose output QEMU appends to a host file (the guest's streamed service logs). */
        public Builder logPort(Optional<LogPort> value) {
            this.logPort = Objects.requireNonNull(value, "logPort");
            return this;
        }

        public Builder agentSocket(Optional<Path> value) {
            this.agentSocket = Objects.requireNonNull(value, "agentSocket");
            return this;
        }

        /** A VGA screen served over VNC on this unix socket; empty for none (the default). */
        public Builder vncSocket(Optional<Path> value) {
            this.vncSocket = Objects.requireNonNull(value, "vncSocket");
            return this;
        }

        public Builder serialLog(Path value) {
            this.serialLog = value;
            return this;
        }

        /**
         * {@code -no-reboot}: a guest reset (a kernel panic with {@code panic=-1}) ends QEMU instead of
         * rebooting; for one-shot boots such as {@code doctor --probe-kvm}, never for cluster nodes.
         */
        /**
         * Starts QEMU paused and waiting for its state ({@code -S -incoming defer}): the guest is
         * not booted; QMP {@code migrate-incoming} loads a saved state (a warm start), {@code cont}
         * runs it. Every device must be as when the state was saved.
         */
        public Builder incoming(boolean value) {
            this.incoming = value;
            return this;
        }

        public Builder noReboot() {
            this.noReboot = true;
            return this;
        }

        /** Appends a {@code -device} value. */
        public Builder device(String value) {
            this.devices.add(Objects.requireNonNull(value, "device"));
            return this;
        }

        /** Appends {@code -device} values. */
        public Builder devices(List<String> value) {
            value.forEach(this::device);
            return this;
        }

        /**
         * @throws IllegalArgumentException for AUTO (resolve it first), or a missing kernel,
         *     initrd, serial log, QMP or console socket
         */
        public QemuCommandLine build() {
            Objects.requireNonNull(accelerator, "accelerator");
            if (accelerator == Accelerator.AUTO) {
                throw new IllegalArgumentException("resolve AUTO to KVM or TCG before building a command line");
            }
            List<String> missing = new ArrayList<>();
            if (kernel == null) missing.add("kernel");
            if (initrd == null) missing.add("initrd");
            if (serialLog == null) missing.add("serialLog");
            if (qmpSocket == null) missing.add("qmpSocket");
            if (consoleSocket == null) missing.add("consoleSocket");
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("the QEMU command line of " + name + " lacks " + missing);
            }
            if (memoryMiB < 1 || cpus < 1) {
                throw new IllegalArgumentException("the QEMU command line of " + name
                        + " needs memory and cpus >= 1, got " + memoryMiB + " MiB, " + cpus + " cpus");
            }
            return new QemuCommandLine(new Builder(this));
        }
    }
}
