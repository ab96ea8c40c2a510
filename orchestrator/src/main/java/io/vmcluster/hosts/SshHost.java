package io.vmcluster.hosts;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.vmcluster.cluster.spec.HostSpec;
import io.vmcluster.command.ShellQuote;
import io.vmcluster.time.Timing;
import io.vmcluster.time.Wait;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One SSH connection (jsch) from the coordinator to a host: short commands, a file copied over,
 * and the agent started on an exec channel whose stdin/stdout are its connection. Closing it ends
 * the session, and with it the agent.
 */
final class SshHost implements AutoCloseable {
    private static final Duration CONNECT = Duration.ofSeconds(20);

    private final HostSpec host;
    private final Session session;
    private final Timing timing;
    private volatile ChannelExec agentChannel;

    private SshHost(HostSpec host, Session session, Timing timing) {
        this.host = host;
        this.session = session;
        this.timing = timing;
    }

    /**
     * Logs in to {@code host}.
     *
     * @throws HostException the host does not answer, its key is unknown or differs, or the login is refused
     */
    static SshHost connect(HostSpec host, HostLogin login, Timing timing) {
        if (!Files.isReadable(login.identity())) {
            throw new HostException(
                    host,
                    "no SSH key to log in with: " + login.identity() + " is not readable (set VMC_SSH_IDENTITY)",
                    null);
        }
        try {
            JSch jsch = new JSch();
            jsch.addIdentity(login.identity().toString());
            if (Files.exists(login.knownHosts())) {
                jsch.setKnownHosts(login.knownHosts().toString());
            }
            Session s = jsch.getSession(
                    host.ssh().user(), host.ssh().address(), host.ssh().port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setServerAliveInterval(5_000);
            s.setServerAliveCountMax(3);
            login.socketFactory().ifPresent(s::setSocketFactory);
            s.connect((int) timing.scale(CONNECT).toMillis());
            return new SshHost(host, s, timing);
        } catch (JSchException e) {
            String why = String.valueOf(e.getMessage());
            String fix = why.contains("UnknownHostKey") || why.contains("HostKey")
                    ? "add the host's key to " + login.knownHosts() + " (ssh-keyscan -p "
                            + host.ssh().port() + " " + host.ssh().address() + " >> " + login.knownHosts() + ")"
                    : why.contains("Auth")
                            ? "put the public half of " + login.identity() + " in ~"
                                    + host.ssh().user() + "/.ssh/authorized_keys there"
                            : "check that sshd runs there and " + host.ssh().address() + ":"
                                    + host.ssh().port() + " is reachable from here";
            throw new HostException(host, "cannot log in over SSH: " + why + "; " + fix, e);
        }
    }

    /** Runs {@code argv} there (quoted for the remote shell) with {@code stdin}; returns its exit code and output. */
    Result run(List<String> argv, InputStream stdin, Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Result r = run(argv, stdin, out, timeout);
        return new Result(r.exit(), out.toString(StandardCharsets.UTF_8), r.stderr());
    }

    /** Runs {@code argv} there with its stdout written to {@code file}. */
    Result runTo(List<String> argv, Path file, Duration timeout) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return run(argv, null, out, timeout);
        }
    }

    private Result run(List<String> argv, InputStream stdin, OutputStream stdoutTo, Duration timeout) {
        String command = ShellQuote.command(argv);
        ChannelExec ch = null;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setErrStream(err);
            InputStream out = ch.getInputStream();
            OutputStream in = ch.getOutputStream();
            ch.connect((int) timing.scale(CONNECT).toMillis());
            if (stdin != null) {
                stdin.transferTo(in);
            }
            in.close();
            out.transferTo(stdoutTo);
            ChannelExec c = ch;
            Wait.forCondition("'" + command + "' on host " + host.name() + " to exit")
                    .timing(timing)
                    .atMost(timeout)
                    .every(Duration.ofMillis(10), Duration.ofMillis(200))
                    .untilTrue(c::isClosed);
            return new Result(ch.getExitStatus(), "", err.toString(StandardCharsets.UTF_8));
        } catch (JSchException | IOException e) {
            throw new HostException(host, "cannot run '" + command + "' over SSH: " + e.getMessage(), e);
        } finally {
            if (ch != null) ch.disconnect();
        }
    }

    /** Copies {@code local} to {@code remote} there. */
    void upload(Path local, String remote, Duration timeout) {
        try (InputStream in = Files.newInputStream(local)) {
            Result r = run(List.of("sh", "-c", "cat > " + ShellQuote.quote(remote)), in, timeout);
            if (r.exit() != 0) {
                throw new HostException(
                        host,
                        "cannot copy " + local + " to " + remote + ": "
                                + r.stderr().strip(),
                        null);
            }
        } catch (IOException e) {
            throw new HostException(host, "cannot read " + local + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@code command} on an exec channel of its own and hands its stdin/stdout to an
     * {@link AgentClient}; what it writes on stderr goes to {@code log}.
     */
    AgentClient startAgent(String command, Path log) {
        try {
            ChannelExec ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(command);
            OutputStream logOut = Files.newOutputStream(log);
            ch.setErrStream(logOut, false);
            InputStream fromAgent = ch.getInputStream();
            OutputStream toAgent = ch.getOutputStream();
            ch.connect((int) timing.scale(CONNECT).toMillis());
            agentChannel = ch;
            return new AgentClient(
                    host.name(),
                    fromAgent,
                    toAgent,
                    () -> "exit status " + ch.getExitStatus() + "; its log: " + log + tail(log));
        } catch (JSchException | IOException e) {
            throw new HostException(host, "cannot start the agent over SSH: " + e.getMessage(), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            return last.isEmpty() ? "" : " (" + String.join(" / ", last) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits until the agent's command has exited (its stdin closed first: {@link AgentClient#close}),
     * so that its wrapper has removed the agent's directory; false if it did not in time.
     */
    boolean awaitAgentExit(Duration timeout) {
        ChannelExec ch = agentChannel;
        if (ch == null) return true;
        try {
            Wait.forCondition("the agent on host " + host.name() + " to exit")
                    .timing(timing)
                    .atMost(timeout)
                    .every(Duration.ofMillis(20), Duration.ofMillis(200))
                    .untilTrue(ch::isClosed);
            return true;
        } catch (io.vmcluster.time.WaitTimeoutException e) {
            return false;
        }
    }

    HostSpec host() {
        return host;
    }

    @Override
    public void close() {
        session.disconnect();
    }

    /** What a short command did there. */
    record Result(int exit, String stdout, String stderr) {}
}
