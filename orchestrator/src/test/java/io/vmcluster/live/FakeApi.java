package io.vmcluster.live;

import io.vmcluster.command.CommandResult;
import io.vmcluster.fault.FaultSpec;
import io.vmcluster.scenario.run.ClusterApi;
import io.vmcluster.scenario.step.LifecycleStep;
import java.time.Duration;
import java.util.List;

/** Two nodes that log what is done to them; {@code start} fails (the nodes run). */
class FakeApi implements ClusterApi {
    final List<String> done;
    volatile boolean closed;

    FakeApi(List<String> done) {
        this.done = done;
    }

    @Override
    public List<String> nodes() {
        return List.of("node1", "node2");
    }

    @Override
    public CommandResult exec(String node, String command, Duration timeout) {
        done.add(node + "$ " + command);
        return new CommandResult(node, command, 3, new byte[] {'o', 0, (byte) 0xff}, "e".getBytes(), Duration.ZERO);
    }

    @Override
    public void waitForService(String node, String service, Duration timeout) {}

    @Override
    public void waitForPort(String node, int port, Duration timeout) {}

    @Override
    public void controlService(String node, String service, ServiceAction action, Duration timeout) {}

    @Override
    public void killProcess(String node, String process, Duration timeout) {}

    @Override
    public void lifecycle(String node, LifecycleStep.Action action, Duration timeout) {
        if (action == LifecycleStep.Action.START) throw new IllegalStateException(node + " is not stopped");
        done.add(action + " " + node);
    }

    @Override
    public void applyFault(FaultSpec<List<String>> fault, Duration timeout) {
        done.add("fault " + fault);
    }

    @Override
    public void healAll() {
        done.add("heal");
    }

    @Override
    public void close() {
        closed = true;
        done.add("close");
    }
}
