package io.vmcluster.image.definition;

import io.vmcluster.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service of an image definition: how the guest runs it under {@code vmc-svc} (see
 * docs/images.md). Exactly one of {@code command} and {@code script} is present.
 *
 * @param name the service name ({@code vmc-svc start NAME}, the image.json service map)
 * @param command a shell command run in the foreground ({@code sh -c}), with {@code ${KEY}} params
 * @param script a run script from the definition directory, exec'd in the foreground
 * @param environment extra environment variables; values may hold {@code ${KEY}} params
 * @param workdir the working directory ({@code /} when absent)
 * @param user the user it runs as ({@code root} when absent)
 * @param port its network port, if it has one
 * @param protocol the port's protocol
 * @param dependsOn services started before this one
 * @param restart what the supervisor does when the service exits
 * @param boot whether it starts at boot ({@code vmc.svc.NAME=off} still turns it off)
 * @param location where the service is defined
 */
public record ServiceDefinition(
        String name,
        Optional<String> command,
        Optional<Path> script,
        Map<String, String> environment,
        Optional<String> workdir,
        Optional<String> user,
        Optional<Integer> port,
        Protocol protocol,
        List<String> dependsOn,
        Restart restart,
        boolean boot,
        Location location) {

    public ServiceDefinition {
        environment = Map.copyOf(environment);
        dependsOn = List.copyOf(dependsOn);
    }

    /** A service port's protocol. */
    public enum Protocol {
        TCP,
        UDP;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What the supervisor does when the service's process exits without a {@code vmc-svc stop}. */
    public enum Restart {
        /** Start it again after 1 s, whatever its exit status (the default). */
        ALWAYS,
        /** Start it again after 1 s only when it exited with a non-zero status or a signal. */
        ON_FAILURE,
        /** Leave it stopped. */
        NEVER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
