package io.vmcluster.report.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A real browser for the report's tests: Debian's {@code chromium}, headless, renders a page to
 * its DOM after the page's scripts ran ({@code --dump-dom}) and to a PNG screenshot. No network,
 * no profile left behind (a fresh user-data-dir per call, deleted after). Tests that need it use
 * {@code @EnabledIf("io.vmcluster.report.browser.HeadlessChromium#available")}: a host without
 * chromium skips them; {@code scripts/test} installs it on Debian so CI runs them.
 */
public final class HeadlessChromium {
    /** One render may take this long (chromium starts in about a second; TCG hosts are loaded). */
    private static final long TIMEOUT_S = 120;

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private HeadlessChromium() {}

    /** For {@code @EnabledIf}: true when a chromium executable is on the PATH. */
    public static boolean available() {
        return executable().isPresent();
    }

    static Optional<Path> executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * What the browser made of a page.
     *
     * @param dom the document after the page's scripts ran, parsed
     * @param consoleErrors lines of the browser's log that report a script error
     */
    public record Rendered(Document dom, List<String> consoleErrors) {
        /** The number the page's error recorder counted ({@code <html data-js-errors>}). */
        public int jsErrors() {
            return Integer.parseInt(dom.selectFirst("html").attr("data-js-errors"));
        }
    }

    /** Loads {@code page} and returns its DOM after load. */
    public static Rendered dom(Path page) {
        Result r = run(page, List.of("--dump-dom", "--enable-logging=stderr", "--v=0"));
        List<String> errors = r.stderr()
                .lines()
                .filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
                .toList();
        return new Rendered(Jsoup.parse(r.stdout(), page.toUri().toString()), errors);
    }

    /** Writes a screenshot of {@code page} at {@code width} x {@code height} CSS pixels to {@code png}. */
    public static Path screenshot(Path page, Path png, int width, int height) {
        run(
                page,
                List.of(
                        "--hide-scrollbars",
                        "--window-size=" + width + "," + height,
                        "--screenshot=" + png.toAbsolutePath()));
        if (!Files.isRegularFile(png)) throw new AssertionError("chromium wrote no screenshot to " + png);
        return png;
    }

    private record Result(String stdout, String stderr) {}

    private static Result run(Path page, List<String> extra) {
        Path exe = executable().orElseThrow(() -> new IllegalStateException("no chromium on the PATH"));
        Path profile = null;
        Path out = null;
        Path err = null;
        try {
            profile = Files.createTempDirectory("vmc-chromium-");
            out = Files.createTempFile("vmc-chromium-", ".out");
            err = Files.createTempFile("vmc-chromium-", ".err");
            List<String> argv = new ArrayList<>(List.of(
                    exe.toString(),
                    "--headless",
                    "--no-sandbox", // as root chromium refuses to start with its sandbox
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--user-data-dir=" + profile));
            argv.addAll(extra);
            argv.add(page.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(argv)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish rendering " + page + " within " + TIMEOUT_S
                        + " s; its stderr ends: " + tail(Files.readString(err, StandardCharsets.UTF_8)));
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(
                        "chromium exited " + p.exitValue() + " rendering " + page + ": " + tail(stderr));
            }
            return new Result(Files.readString(out, StandardCharsets.UTF_8), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chromium rendered " + page, e);
        } finally {
            delete(profile);
            delete(out);
            delete(err);
        }
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : "…" + s.substring(s.length() - 2000);
    }

    private static void delete(Path p) {
        if (p == null) return;
        try (Stream<Path> all = Files.walk(p)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp file left behind is not worth failing a test for
        }
    }
}
