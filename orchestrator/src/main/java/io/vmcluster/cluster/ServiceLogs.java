package io.vmcluster.cluster;

import io.vmcluster.command.CommandResult;
import io.vmcluster.command.ShellQuote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings the logs of a guest's services home: one command per node prints the last {@link
 * #PER_FILE} bytes of each service log the image contract names ({@code serviceLogs} in
 * image.json), at most {@link #PER_NODE} in all, each behind a header line with its length; the
 * host splits that output into one file per service. Logs that do not exist (a service that never
 * started) are left out; what did not fit is recorded, not fetched.
 */
public final class ServiceLogs {
    /** The most copied of one log: its last 256 KiB. */
    public static final int PER_FILE = 256 * 1024;

    /** The most copied from one node. */
    public static final int PER_NODE = 1024 * 1024;

    /** The bound of the one command per node (nominal, scaled by the timing multiplier). */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern HEADER = Pattern.compile("VMC-LOG (\\S+) (\\d+) (\\d+)");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private ServiceLogs() {}

    /**
     * One log copied: {@code copied} bytes (the end of the log) of the {@code size} it had.
     *
     * @param file where it is on the host
     */
    public record Copied(String service, long copied, long size, Path file) {
        /** True when the start of the log was left in the guest. */
        public boolean truncated() {
            return copied < size;
        }
    }

    /**
     * The sh program that prints every log of {@code logs} (service name → guest path): for each
     * log that exists {@code VMC-LOG <service> <copied> <size>} on a line of its own, then exactly
     * {@code copied} bytes, the end of the log.
     */
    static String script(Map<String, String> logs, int perFile, int perNode) {
        StringBuilder s = new StringBuilder();
        s.append("t=$(mktemp) || exit 1\n");
        s.append("left=").append(perNode).append('\n');
        s.append("vmc_log() {\n");
        s.append("  [ -f \"$2\" ] || return 0\n");
        s.append("  size=$(wc -c <\"$2\"); size=$((size))\n");
        s.append("  n=").append(perFile).append("; [ \"$left\" -lt \"$n\" ] && n=$left\n");
        s.append("  if [ \"$n\" -gt 0 ]; then tail -c \"$n\" \"$2\" >\"$t\"; else : >\"$t\"; fi\n");
        s.append("  c=$(wc -c <\"$t\"); c=$((c))\n");
        s.append("  echo \"VMC-LOG $1 $c $size\"\n");
        s.append("  cat \"$t\"\n");
        s.append("  left=$((left - c))\n");
        s.append("}\n");
        for (Map.Entry<String, String> e : logs.entrySet()) {
            if (!SAFE_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("service name '" + e.getKey()
                        + "' cannot name a log file; valid names are letters, digits, '.', '_' and '-'");
            }
            s.append("vmc_log ")
                    .append(e.getKey())
                    .append(' ')
                    .append(ShellQuote.quote(e.getValue()))
                    .append('\n');
        }
        s.append("rm -f \"$t\"\n");
        return s.toString();
    }

    /** One log as {@link #script} printed it. */
    record Part(String service, byte[] bytes, long size) {}

    /** Splits the output of {@link #script} into its logs; a malformed output is named with its offset. */
    static List<Part> parse(byte[] out) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < out.length) {
            int nl = indexOf(out, (byte) '\n', at);
            if (nl < 0) {
                throw new IllegalStateException("service logs: a header line without its end at byte " + at);
            }
            String line = new String(out, at, nl - at, StandardCharsets.UTF_8);
            Matcher m = HEADER.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("service logs: expected 'VMC-LOG <service> <copied> <size>' at byte "
                        + at + ", got '" + abbreviate(line) + "'");
            }
            int copied = Integer.parseInt(m.group(2));
            int start = nl + 1;
            if (out.length - start < copied) {
                throw new IllegalStateException("service logs: " + m.group(1) + " announced " + copied + " bytes, only "
                        + (out.length - start) + " came");
            }
            byte[] bytes = java.util.Arrays.copyOfRange(out, start, start + copied);
            parts.add(new Part(m.group(1), bytes, Long.parseLong(m.group(3))));
            at = start + copied;
        }
        return parts;
    }

    /**
     * Copies the service logs of {@code node} into {@code dir} (one {@code SERVICE.log} each).
     *
     * @return what was copied; empty when the image names no service logs
     * @throws IllegalStateException the command failed or its output was not what the script prints
     */
    static List<Copied> copy(Node node, Path dir) {
        if (node.image().serviceLogStream().isPresent()) {
            Path stream = node.logDir().resolve(NodeLogs.STREAM);
            return Files.exists(stream) ? split(stream, dir) : List.of();
        }
        Map<String, String> logs = new java.util.TreeMap<>();
        for (String service : node.image().services().keySet()) {
            node.image().serviceLog(service).ifPresent(path -> logs.put(service, path));
        }
        if (logs.isEmpty()) {
            return List.of();
        }
        CommandResult r = node.exec(script(logs, PER_FILE, PER_NODE), TIMEOUT);
        if (!r.succeeded()) {
            throw new IllegalStateException("copying the service logs of " + node.name() + " failed with exit "
                    + r.exitCode() + ": " + r.firstComplaint());
        }
        return write(parse(r.stdout()), dir);
    }

    /**
     * Splits a streamed log ({@code SERVICE<TAB>line} per line, as the guest's supervisors write
     * it on the service-log port) into {@code dir/SERVICE.log}, each with the whole of what its
     * service wrote, in order. Lines without a valid service name before a tab are left out; a
     * last line without its newline (the node died while writing it) is kept as it is.
     */
    static List<Copied> split(Path stream, Path dir) {
        Map<String, java.io.ByteArrayOutputStream> out = new java.util.TreeMap<>();
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(stream), 1 << 16)) {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    route(line.toByteArray(), out);
                    line.reset();
                }
            }
            if (line.size() > 0) route(line.toByteArray(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service-log stream " + stream + ": " + e.getMessage(), e);
        }
        List<Part> parts = new ArrayList<>();
        out.forEach((service, bytes) -> parts.add(new Part(service, bytes.toByteArray(), bytes.size())));
        return write(parts, dir);
    }

    private static void route(byte[] line, Map<String, java.io.ByteArrayOutputStream> out) {
        int tab = indexOf(line, (byte) '\t', 0);
        if (tab <= 0) return;
        String service = new String(line, 0, tab, StandardCharsets.UTF_8);
        if (!SAFE_NAME.matcher(service).matches()) return;
        out.computeIfAbsent(service, s -> new java.io.ByteArrayOutputStream())
                .write(line, tab + 1, line.length - tab - 1);
    }

    static List<Copied> write(List<Part> parts, Path dir) {
        List<Copied> copied = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Part p : parts) {
                Path file = dir.resolve(p.service() + ".log");
                Files.write(file, p.bytes());
                copied.add(new Copied(p.service(), p.bytes().length, p.size(), file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write service logs into " + dir + ": " + e.getMessage(), e);
        }
        return copied;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) return i;
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
