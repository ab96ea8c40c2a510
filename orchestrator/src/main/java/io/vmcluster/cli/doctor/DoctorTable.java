package io.vmcluster.cli.doctor;

import io.vmcluster.report.Style;
import java.util.ArrayList;
import java.util.List;

/** Renders check results as a table, then the fix for each finding that is not OK. */
public final class DoctorTable {
    private DoctorTable() {}

    public static List<String> render(List<CheckResult> results, Style style) {
        int w = results.stream().mapToInt(r -> r.check().length()).max().orElse(5);
        w = Math.max(w, 5);
        List<String> out = new ArrayList<>();
        out.add(pad("CHECK", w) + "  STATUS    FOUND");
        for (CheckResult r : results) {
            out.add(pad(r.check(), w) + "  " + status(r.status(), style) + "  " + r.found());
        }
        List<CheckResult> fixes =
                results.stream().filter(r -> !r.fix().isEmpty()).toList();
        if (!fixes.isEmpty()) {
            out.add("");
            out.add("To fix:");
            for (CheckResult r : fixes) {
                out.add("  " + r.check() + ": " + r.fix());
            }
        }
        return out;
    }

    private static String status(CheckResult.Status s, Style style) {
        return switch (s) {
            case OK -> style.green("ok      ");
            case WARN -> style.yellow("degraded");
            case MISSING -> style.red("MISSING ");
        };
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
