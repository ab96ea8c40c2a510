package io.vmcluster.yaml;

/**
 * How much a {@link YamlReader} accepts, so that hostile or broken input is rejected in bounded
 * time and memory with a located message instead of hanging or exhausting the JVM.
 *
 * @param maxBytes the largest file (or text, in UTF-16 chars) read at all
 * @param maxDepth how deeply mappings and lists may nest (the root is depth 1), aliases included
 * @param maxAliasedValues how many values aliases may repeat in total: each use of {@code *a}
 *     counts every value under {@code &a} again, so an "alias bomb" (a few lines that expand to
 *     billions of values) is stopped at the alias that crosses the bound
 */
public record YamlLimits(long maxBytes, int maxDepth, long maxAliasedValues) {
    /** 10 MiB, 64 levels, 100,000 aliased values: far above any hand-written file. */
    public static final YamlLimits DEFAULTS = new YamlLimits(10L << 20, 64, 100_000);

    public YamlLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxAliasedValues < 0) {
            throw new IllegalArgumentException("YAML limits must be positive");
        }
    }
}
