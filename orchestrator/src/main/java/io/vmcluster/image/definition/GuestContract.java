package io.vmcluster.image.definition;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of the image contract (images/README.md) a definition must not redefine: the
 * {@code vmc.*} params the orchestrator sets on every node, and how a definition refers to a
 * param in a service's command or environment ({@code ${vmc.KEY}}, never valid shell, so it
 * cannot clash with the shell's own {@code ${VAR}}).
 */
public final class GuestContract {
    /** Params the orchestrator sets on every node's kernel command line. */
    public static final List<String> PARAMS = List.of("name", "id", "ip", "addrs", "hosts", "gateway", "ssh_key");

    /** {@code ${vmc.KEY}} in a command or an environment value. */
    public static final Pattern REFERENCE = Pattern.compile("\\$\\{vmc\\.([^}]*)}");

    private GuestContract() {}

    /** Whether a definition may not declare {@code key} as its own param. */
    public static boolean reserved(String key) {
        return PARAMS.contains(key) || key.startsWith("svc.");
    }

    /** The keys referred to in {@code text}, in order (possibly repeated). */
    public static List<String> references(String text) {
        Matcher m = REFERENCE.matcher(text);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
