package io.vmcluster.cli;

import io.vmcluster.cli.doctor.CheckResult;
import io.vmcluster.cli.doctor.HostContext;
import io.vmcluster.cli.doctor.NamespaceCheck;
import io.vmcluster.cli.doctor.QemuCheck;
import io.vmcluster.cli.doctor.ScratchNamespace;
import io.vmcluster.process.Commands;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The part of {@code doctor} a run cannot do without, checked before anything boots: QEMU is there
 * and a network namespace can be made. Missing pieces are a {@link HostLacksException} (exit 3).
 */
final class HostPreflight {
    private HostPreflight() {}

    static void requireBootable(Timing timing) {
        Commands commands = Commands.with(timing);
        ScratchNamespace.Created ns = ScratchNamespace.create(commands);
        try {
            HostContext host =
                    new HostContext(commands, Path.of("/"), System.getenv(), Optional.ofNullable(ns.namespace()), 1);
            List<CheckResult> missing =
                    List.of(new QemuCheck().run(host), new NamespaceCheck(ns.result()).run(host)).stream()
                            .filter(r -> r.status() == CheckResult.Status.MISSING)
                            .toList();
            if (!missing.isEmpty()) {
                throw new HostLacksException(missing.stream()
                                .map(r -> r.check() + ": " + r.found() + "\n  fix: " + r.fix())
                                .collect(Collectors.joining("\n"))
                        + "\n(`vmcluster doctor` checks everything)");
            }
        } finally {
            if (ns.namespace() != null) {
                ns.namespace().close();
            }
        }
    }
}
