package io.vmcluster.process;

import io.vmcluster.time.Timing;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM program for {@link ProcessLauncherIT}: starts {@code busybox sleep 600} through the
 * launcher, prints {@code CHILD <pid> <starttime>}, then holds until killed (at most 10 minutes).
 */
public final class LaunchAndHoldMain {
    public static void main(String[] args) throws InterruptedException {
        ChildProcess child = ProcessLauncher.create(Timing.standard()).start(ProcessSpec.of("busybox", "sleep", "600"));
        System.out.println("CHILD " + child.identity());
        System.out.flush();
        new CountDownLatch(1).await(10, TimeUnit.MINUTES);
    }
}
