package io.vmcluster.scenarios;

import java.nio.file.Path;

/** Where the shipped scenario files are, seen from the scenarios module's tests. */
final class ScenarioFiles {
    /** The module directory is the tests' working directory; the YAML files live at its top. */
    static final Path DIR = Path.of("").toAbsolutePath();

    static final Path MVM_CI = DIR.resolve("mvm-ci-cluster.yaml");

    private ScenarioFiles() {}
}
