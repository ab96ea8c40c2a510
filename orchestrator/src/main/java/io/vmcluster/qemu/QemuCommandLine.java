package io.vmcluster.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one QEMU process is started with, as a value; {@link #argv()} is the exact command.
 * Machine q35 (PCI, so devices can be hot-plugged later and every driver is the ordinary
 * virtio-pci one), direct kernel boot, no default devices, no display.
 *
 * <p>Device ids and block node names are part of the API other parts use: NICs are
 * {@code nic<i>} on netdev {@code net<i>}; the data disk is device {@code data-disk} on a {@code raw}
 * node {@code data} over the qcow2 node {@code data-qcow2} over the file node {@code data-file}.
 * The raw node passes requests through unchanged; it is there so faults can insert a blkdebug node
 * between it and the qcow2 node ({@code blockdev-add} + {@code blockdev-reopen}): errors injected
 * <em>above</em> qcow2 fail the guest's reads and writes while qcow2's own metadata I/O still
 * reaches the file, so the fault can always be undone. The root overlay is {@code root-disk} /
 * {@code root}.
 *
 * @param binary the QEMU executable
 * @param name VM name (the node name)
 * @param accelerator KVM or TCG
 * @param memoryMiB guest RAM
 * @param cpus vCPUs
 * @param kernel kernel image
 * @param initrd initramfs
 * @param append kernel command line
 * @param rootOverlay per-node qcow2 overlay of the image's root disk, if it has one
 * @param dataDisk the per-node data disk, if any
 * @param nics NICs in guest order
 * @param qmpSocket QMP unix socket (QEMU listens)
 * @param consoleSocket hvc0 unix socket (QEMU listens)
 * @param agentSocket guest-agent unix socket (QEMU listens), if the image has an agent
 * @param serialLog file ttyS0 is written to
 * @param devices further {@code -device} values the image asks for (image.json {@code devices},
 *     e.g. {@code virtio-rng-pci} so the guest has entropy at boot)
 */
public record QemuCommandLine(
        Path binary,
        String name,
        Accelerator accelerator,
        int memoryMiB,
        int cpus,
        Path kernel,
        Path initrd,
        String append,
        Optional<Path> rootOverlay,
        Optional<DataDisk> dataDisk,
        List<Nic> nics,
        Path qmpSocket,
        Path consoleSocket,
        Optional<Path> agentSocket,
        Path serialLog,
        List<String> devices) {

    public static final String DATA_DEVICE = "data-disk";
    /** The raw node the data disk device is attached to. */
    public static final String DATA_NODE = "data";
    /** The qcow2 node under {@link #DATA_NODE}. */
    public static final String DATA_IMAGE_NODE = "data-qcow2";

    public static final String DATA_FILE_NODE = "data-file";
    public static final String ROOT_DEVICE = "root-disk";

    public QemuCommandLine {
        Objects.requireNonNull(accelerator, "accelerator");
        if (accelerator == Accelerator.AUTO) {
            throw new IllegalArgumentException("resolve AUTO to KVM or TCG before building a command line");
        }
        nics = List.copyOf(nics);
        devices = List.copyOf(devices);
    }

    /**
     * A data disk: a qcow2 file, virtio-blk with a serial the guest finds it by.
     *
     * @param file the qcow2 file
     * @param serial serial number the guest sees ({@code vmc-data})
     */
    public record DataDisk(Path file, String serial) {}

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

    /** The exact argument vector, binary first. */
    public List<String> argv() {
        List<String> a = new ArrayList<>();
        a.add(binary.toString());
        add(a, "-name", "guest=" + name);
        a.add("-nodefaults");
        a.add("-no-user-config");
        add(a, "-display", "none");
        add(a, "-machine", "q35");
        if (accelerator == Accelerator.KVM) {
            add(a, "-accel", "kvm");
            add(a, "-cpu", "host");
        } else {
            add(a, "-accel", "tcg");
            add(a, "-cpu", "max");
        }
        add(a, "-m", Integer.toString(memoryMiB));
        add(a, "-smp", Integer.toString(cpus));
        add(a, "-kernel", kernel.toString());
        add(a, "-initrd", initrd.toString());
        add(a, "-append", append);

        add(a, "-chardev", "socket,id=qmp,path=" + opt(qmpSocket) + ",server=on,wait=off");
        add(a, "-mon", "chardev=qmp,mode=control");
        add(a, "-chardev", "file,id=serial0,path=" + opt(serialLog) + ",append=on");
        add(a, "-serial", "chardev:serial0");

        add(a, "-device", "virtio-serial-pci,id=vser0");
        add(a, "-chardev", "socket,id=console,path=" + opt(consoleSocket) + ",server=on,wait=off");
        add(a, "-device", "virtconsole,chardev=console,id=console0");
        agentSocket.ifPresent(s -> {
            add(a, "-chardev", "socket,id=agent,path=" + opt(s) + ",server=on,wait=off");
            add(a, "-device", "virtserialport,chardev=agent,id=agent0,name=org.qemu.guest_agent.0");
        });

        rootOverlay.ifPresent(root -> {
            add(a, "-blockdev", "driver=file,filename=" + opt(root) + ",node-name=root-file");
            add(a, "-blockdev", "driver=qcow2,file=root-file,node-name=root");
            add(a, "-device", "virtio-blk-pci,drive=root,id=" + ROOT_DEVICE);
        });
        dataDisk.ifPresent(d -> {
            add(a, "-blockdev", "driver=file,filename=" + opt(d.file()) + ",node-name=" + DATA_FILE_NODE);
            add(a, "-blockdev", "driver=qcow2,file=" + DATA_FILE_NODE + ",node-name=" + DATA_IMAGE_NODE);
            add(a, "-blockdev", "driver=raw,file=" + DATA_IMAGE_NODE + ",node-name=" + DATA_NODE);
            add(a, "-device", "virtio-blk-pci,drive=" + DATA_NODE + ",id=" + DATA_DEVICE + ",serial=" + d.serial());
        });
        for (Nic n : nics) {
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
        for (String device : devices) {
            add(a, "-device", device);
        }
        return List.copyOf(a);
    }

    private static void add(List<String> a, String option, String value) {
        a.add(option);
        a.add(value);
    }

    /** QEMU option values escape a comma by doubling it. */
    static String opt(Path p) {
        return p.toString().replace(",", ",,");
    }
}
