package io.vmcluster.cli;

import io.vmcluster.time.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** {@code --timeout 45m}: picocli converter over {@link Durations#parse}; bad values are usage errors (exit 2). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration d = Durations.parse(value);
            if (d.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is zero; give a positive duration");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
