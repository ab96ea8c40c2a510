package io.vmcluster.workload;

import io.vmcluster.history.OpType;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How an answer is classified: {@code ok} (it happened), {@code fail} (it certainly did not) or
 * {@code info} (unknown). Checked in this order:
 *
 * <ol>
 *   <li>the output matches {@code failMatches}: {@code fail};
 *   <li>the code (HTTP status, exit code) is in {@code fail}: {@code fail};
 *   <li>the code is in {@code ok} and the output matches {@code okMatches} (when given): {@code ok};
 *   <li>anything else: {@code info}.
 * </ol>
 *
 * Empty code sets take the transport's defaults: HTTP ok 2xx, fail 4xx (so 5xx is info: a server
 * error without a guarantee); command ok exit 0, fail none (a non-zero exit says nothing of whether a
 * write took effect); raw TCP has no code, every reply is ok. What happens before an answer is the
 * same for all: a refused or timed-out connect is {@code fail} (no byte of the request left), a
 * timeout or reset after sending is {@code info}.
 *
 * @param ok codes that mean it happened; empty for the transport's default
 * @param fail codes that mean it certainly did not; empty for the transport's default
 * @param okMatches a regular expression an ok answer's output must contain, or null
 * @param failMatches a regular expression whose presence in the output means it did not happen, or null
 */
public record Expect(Set<Integer> ok, Set<Integer> fail, Pattern okMatches, Pattern failMatches) {
    /** The transport's defaults. */
    public static final Expect DEFAULTS = new Expect(Set.of(), Set.of(), null, null);

    public Expect {
        ok = Set.copyOf(ok);
        fail = Set.copyOf(fail);
    }

    public Expect withOk(Set<Integer> codes) {
        return new Expect(codes, fail, okMatches, failMatches);
    }

    public Expect withFail(Set<Integer> codes) {
        return new Expect(ok, codes, okMatches, failMatches);
    }

    public Expect withOkMatches(String regex) {
        return new Expect(ok, fail, regex == null ? null : Pattern.compile(regex), failMatches);
    }

    public Expect withFailMatches(String regex) {
        return new Expect(ok, fail, okMatches, regex == null ? null : Pattern.compile(regex));
    }

    /**
     * The class of an answer.
     *
     * @param transport the transport's {@link Transport#kind()}
     * @param code the HTTP status or exit code; ignored for tcp
     * @param output the body, reply or stdout and stderr
     */
    public OpType classify(String transport, int code, String output) {
        if (failMatches != null && failMatches.matcher(output).find()) {
            return OpType.FAIL;
        }
        boolean tcp = transport.equals("tcp");
        if (!tcp && (fail.isEmpty() ? defaultFail(transport, code) : fail.contains(code))) {
            return OpType.FAIL;
        }
        boolean okCode = tcp || (ok.isEmpty() ? defaultOk(transport, code) : ok.contains(code));
        if (okCode && (okMatches == null || okMatches.matcher(output).find())) {
            return OpType.OK;
        }
        return OpType.INFO;
    }

    private static boolean defaultOk(String transport, int code) {
        return transport.equals("http") ? code >= 200 && code < 300 : code == 0;
    }

    private static boolean defaultFail(String transport, int code) {
        return transport.equals("http") && code >= 400 && code < 500;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("ok ").append(ok.isEmpty() ? "default" : ok);
        s.append(", fail ").append(fail.isEmpty() ? "default" : fail);
        if (okMatches != null) s.append(", ok output /").append(okMatches).append('/');
        if (failMatches != null) s.append(", fail output /").append(failMatches).append('/');
        return s.toString();
    }
}
