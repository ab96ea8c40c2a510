package io.vmcluster.scenario.step;

import io.vmcluster.fault.Impairment;
import io.vmcluster.yaml.Location;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code wan: [eu, ap]} with impairment fields ({@code delay: 75ms} …) sets the WAN link between
 * two regions of the cluster, in both directions; {@code clear: true} instead removes it (the two
 * regions then talk as fast as a LAN). Not a fault: {@code heal} leaves it. See docs/clusters.md.
 *
 * @param impairment the link's new impairment; empty for {@code clear: true}
 */
public record WanStep(Location location, String a, String b, Optional<Impairment> impairment, String label)
        implements Step {
    public WanStep {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(impairment, "impairment");
    }

    @Override
    public String describe() {
        return "wan: [" + a + ", " + b + "] "
                + impairment.map(i -> String.join(" ", i.netemArgs())).orElse("cleared");
    }
}
