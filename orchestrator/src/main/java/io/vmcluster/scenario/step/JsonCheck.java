package io.vmcluster.scenario.step;

import java.util.Objects;

/**
 * A check on a command's stdout read as JSON: the value at {@code path} equals {@code equals}
 * (compared as text for scalars, as JSON otherwise).
 *
 * @param path a small JSONPath: {@code $}, {@code .field}, {@code ['field']}, {@code [index]}
 *     (negative counts from the end), {@code .length()} at the end for the size of an array
 * @param equals expected value; may contain {@code ${var}}
 */
public record JsonCheck(String path, String equals) {
    public JsonCheck {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(equals, "equals");
    }
}
