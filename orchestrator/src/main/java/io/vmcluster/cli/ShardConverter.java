package io.vmcluster.cli;

import io.vmcluster.suite.Shard;
import picocli.CommandLine;

/** {@code --shard K/N}: picocli converter over {@link Shard#parse}; bad values are usage errors (exit 2). */
public final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
        try {
            return Shard.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
