package io.vmcluster.reaper;

import io.vmcluster.network.InterfaceName;
import io.vmcluster.network.IpPrefix;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ChildProcess;
import io.vmcluster.process.ProcessSpec;
import io.vmcluster.time.Timing;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for {@link RunIT}: starts a run under {@code args[0]} with a namespace (a
 * bridge and a tap) and a child inside it, prints {@code READY <run-id> <namespace> <child pid>
 * <child start time>}, then holds until killed (at most 10 minutes).
 */
public final class RunHolderMain {
    public static void main(String[] args) throws InterruptedException {
        Run run = Run.start(Path.of(args[0]), Timing.standard());
        NetworkNamespace ns = run.createNamespace();
        ns.addTap(
                InterfaceName.tap("node1", 0),
                ns.addBridge(InterfaceName.bridge("lan"), IpPrefix.parse("192.168.1.254/24")));
        ChildProcess child =
                run.launcher().start(ProcessSpec.of("busybox", "sleep", "600").inNetworkNamespace(ns.name()));
        System.out.println("READY " + run.id() + " " + ns.name() + " " + child.identity());
        System.out.flush();
        new CountDownLatch(1).await(10, TimeUnit.MINUTES);
    }
}
