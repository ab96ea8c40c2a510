package io.vmcluster.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmcluster.report.browser.HeadlessChromium;
import io.vmcluster.report.browser.ReportPageChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The report.html of a real run, as a real browser shows it; the screenshot goes to target/report-screenshots/. */
final class RunPage {
    private RunPage() {}

    /** Renders the run's page, checks what every page must show, keeps a screenshot, returns the DOM. */
    static HeadlessChromium.Rendered render(RealRun.Finished run, List<String> nodes) throws Exception {
        Path page = run.dir().resolve("report.html");
        assertThat(page).as("the run wrote its page").isRegularFile();
        HeadlessChromium.Rendered r = HeadlessChromium.dom(page);
        ReportPageChecks.renderedWithoutErrors(r, nodes);
        Path shots = Files.createDirectories(Path.of("target", "report-screenshots"));
        HeadlessChromium.screenshot(page, shots.resolve(run.dir().getFileName() + ".png"), 1300, 1000);
        return r;
    }
}
