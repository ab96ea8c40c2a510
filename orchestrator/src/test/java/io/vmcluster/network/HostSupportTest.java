package io.vmcluster.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

class HostSupportTest {
    @Test
    @EnabledIf("io.vmcluster.network.TestHost#canManageNamespaces")
    void aHostThatRunsTheIntegrationTestsLacksNothing() {
        assertThat(HostSupport.missing()).isEmpty();
    }
}
