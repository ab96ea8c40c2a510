package io.vmcluster.image.check;

/**
 * One point of the image contract, checked on a booted image.
 *
 * @param point what was checked, e.g. {@code "console shell"}, {@code "service etcd"}
 * @param passed whether the image honours it
 * @param detail what was seen when it passed; when it failed, what the contract wants and what
 *     was seen instead
 */
public record CheckPoint(String point, boolean passed, String detail) {
    static CheckPoint pass(String point, String seen) {
        return new CheckPoint(point, true, seen);
    }

    static CheckPoint fail(String point, String wanted) {
        return new CheckPoint(point, false, wanted);
    }

    /** One line of the results table. */
    public String line() {
        return String.format("%-4s  %-26s %s", passed ? "ok" : "FAIL", point, detail.replace("\n", "\\n"));
    }
}
