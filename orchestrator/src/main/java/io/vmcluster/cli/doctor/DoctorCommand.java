package io.vmcluster.cli.doctor;

import io.vmcluster.cli.ExitCode;
import io.vmcluster.cli.Verbosity;
import io.vmcluster.command.CommandResult;
import io.vmcluster.process.Commands;
import io.vmcluster.report.Style;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code vmcluster doctor}: tries what a run needs on this host and prints a table with the fix for
 * each missing piece. Exit 0 when runs can work (perhaps degraded: TCG, guest-side netem), 3 when
 * something they need is missing.
 */
@CommandLine.Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Checks what this host offers, with the fix for each missing piece:",
            "QEMU, KVM, network namespaces, tap/bridge, nftables bridge filtering,",
            "host tc netem, free memory for N nodes, the test image.",
            "Probes by trying, inside a scratch network namespace removed afterwards.",
            "KVM: /dev/kvm can exist and still hang guests (nested virtualisation",
            "without vmx/svm); only a boot tells: --probe-kvm boots the test image's",
            "kernel under KVM and waits for it to print, with a deadline.",
            "Exit 0 when runs can work (perhaps degraded), 3 when something is missing."
        })
public final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Verbosity.Mixin verbosity;

    @CommandLine.Option(
            names = "--nodes",
            defaultValue = "3",
            description = "Cluster size to check memory for (default: ${DEFAULT-VALUE}).")
    int nodes;

    @CommandLine.Option(
            names = "--memory",
            defaultValue = "512",
            paramLabel = "MiB",
            description = "Guest memory per node in MiB (default: ${DEFAULT-VALUE}).")
    long memoryMiB;

    @CommandLine.Option(
            names = "--image",
            defaultValue = "etcd-test",
            description = "The image to look for (default: ${DEFAULT-VALUE}).")
    String image;

    @CommandLine.Option(
            names = "--probe-kvm",
            description = "Boot the test image's kernel under KVM (up to 30 s, scaled) to tell usable from hanging.")
    boolean probeKvm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (nodes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be at least 1, got " + nodes);
        }
        Timing timing = Timing.standard();
        Commands commands = Commands.with(timing);
        List<CheckResult> results = new ArrayList<>();
        ScratchNamespace.Created created = ScratchNamespace.create(commands);
        try {
            HostContext host = new HostContext(
                    commands, Path.of("/"), System.getenv(), Optional.ofNullable(created.namespace()), nodes);
            Optional<KvmBootProbe.Verdict> probe = probeKvm
                    ? Optional.of(KvmBootProbe.run(host.imageCache().resolve(image), timing))
                    : Optional.empty();
            for (HostCheck check : checks(created.result(), probe)) {
                results.add(check.run(host));
            }
        } finally {
            if (created.namespace() != null) {
                created.namespace().close();
            }
        }
        DoctorTable.render(results, Style.detect()).forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().flush();
        boolean missing = results.stream().anyMatch(r -> r.status() == CheckResult.Status.MISSING);
        return (missing ? ExitCode.HOST_LACKS : ExitCode.PASSED).code();
    }

    private List<HostCheck> checks(CommandResult namespaceCreation, Optional<KvmBootProbe.Verdict> probe) {
        return List.of(
                new QemuCheck(),
                new QemuImgCheck(),
                new KvmCheck(probe),
                new NamespaceCheck(namespaceCreation),
                new BridgeTapCheck(),
                new NftBridgeCheck(),
                new NetemCheck(),
                new MemoryCheck(memoryMiB),
                new ImageCheck(image));
    }
}
