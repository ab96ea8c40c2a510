package io.vmcluster.scenario.step;

import java.time.Duration;

/**
 * Link impairments in the sense of tc netem; null fields are not applied.
 *
 * @param delay added one-way delay
 * @param jitter variation of the delay
 * @param correlationPercent correlation of successive delays/losses, 0..100
 * @param lossPercent packets dropped, 0..100
 * @param duplicatePercent packets duplicated, 0..100
 * @param corruptPercent packets with a flipped bit, 0..100
 * @param reorderPercent packets sent out of order (needs a delay), 0..100
 * @param rateKbit bandwidth limit in kbit/s
 */
public record Impairment(
        Duration delay,
        Duration jitter,
        Double correlationPercent,
        Double lossPercent,
        Double duplicatePercent,
        Double corruptPercent,
        Double reorderPercent,
        Long rateKbit) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (delay != null) sb.append("delay ").append(delay.toMillis()).append("ms ");
        if (jitter != null) sb.append("jitter ").append(jitter.toMillis()).append("ms ");
        if (correlationPercent != null)
            sb.append("correlation ").append(correlationPercent).append("% ");
        if (lossPercent != null) sb.append("loss ").append(lossPercent).append("% ");
        if (duplicatePercent != null)
            sb.append("duplicate ").append(duplicatePercent).append("% ");
        if (corruptPercent != null) sb.append("corrupt ").append(corruptPercent).append("% ");
        if (reorderPercent != null) sb.append("reorder ").append(reorderPercent).append("% ");
        if (rateKbit != null) sb.append("rate ").append(rateKbit).append("kbit ");
        return sb.toString().strip();
    }
}
