package io.vmcluster.scenario;

import io.vmcluster.scenario.parse.ScenarioReader;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and validates a scenario file. Nothing boots here: every problem (YAML syntax, unknown
 * fields and steps with the nearest valid name, unknown nodes with the valid ones, bad durations
 * and fault parameters with what is allowed, unknown variables) is collected and thrown together.
 *
 * <pre>{@code
 * Scenario s = ScenarioParser.parse(Path.of("scenarios/mvm-ci-cluster.yaml"), Map.of("jobq.mode", "local"));
 * }</pre>
 */
public final class ScenarioParser {
    private ScenarioParser() {}

    /**
     * Parses and validates {@code file}.
     *
     * @param paramOverrides {@code --param KEY=VALUE} values; each key must be a param the file declares
     * @throws ScenarioException with every problem found, each with file:line:column
     */
    public static Scenario parse(Path file, Map<String, String> paramOverrides) {
        return ScenarioReader.read(file, null, paramOverrides, ImageParams.NONE);
    }

    /**
     * Parses and validates {@code file}, knowing the params of the images its nodes use: an
     * override may name an image's param the scenario does not declare, and a declared param that
     * looks like a misspelt image param is an error ("did you mean …?").
     */
    public static Scenario parse(Path file, Map<String, String> paramOverrides, ImageParams images) {
        return ScenarioReader.read(file, null, paramOverrides, images);
    }

    /** Parses scenario text as if it were the content of {@code file} (tests, editors). */
    public static Scenario parse(String text, Path file, Map<String, String> paramOverrides) {
        return ScenarioReader.read(file, text, paramOverrides, ImageParams.NONE);
    }

    /** {@link #parse(String, Path, Map)} knowing the images' params. */
    public static Scenario parse(String text, Path file, Map<String, String> paramOverrides, ImageParams images) {
        return ScenarioReader.read(file, text, paramOverrides, images);
    }
}
