package io.vmcluster.fault;

/** How an impairment is put in place; recorded as the {@code method} of its start event. */
public enum ImpairmentMethod {
    /** Pick {@link #HOST_NETEM} when the host kernel has sch_netem, else {@link #GUEST_NETEM}. */
    AUTO("auto"),
    /** tc netem on the host taps in the cluster's namespace; invisible to the guest. */
    HOST_NETEM("host-netem"),
    /** tc netem on the guest's NIC, run over the command channel; visible to a root user in the guest. */
    GUEST_NETEM("guest-netem");

    private final String wireName;

    ImpairmentMethod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The method recorded for an impairment put in place this way; AUTO is resolved first. */
    public FaultMethod used() {
        return switch (this) {
            case HOST_NETEM -> FaultMethod.HOST_NETEM;
            case GUEST_NETEM -> FaultMethod.GUEST_NETEM;
            case AUTO ->
                throw new IllegalStateException("AUTO is resolved to a method before an impairment is applied");
        };
    }
}
