package io.vmcluster.cluster;

import io.vmcluster.channel.SshKeys;
import io.vmcluster.cluster.spec.ClusterSpec;
import io.vmcluster.events.EventSink;
import io.vmcluster.network.NetworkNamespace;
import io.vmcluster.process.ProcessLauncher;
import io.vmcluster.qemu.AcceleratorChoice;
import java.nio.file.Path;

/** What every node of one running cluster shares. */
record ClusterContext(
        ClusterSpec spec,
        RunOptions options,
        AcceleratorChoice accelerators,
        ProcessLauncher launcher,
        NetworkNamespace namespace,
        EventSink events,
        SshKeys sshKeys,
        Path tempDir,
        Path resultsDir) {}
