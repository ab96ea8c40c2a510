package io.vmcluster.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link java.nio.file.Path} parameter: the test class's results directory (events.jsonl,
 * one directory per node with serial.log, console.log, qemu.argv ...), kept after the run.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ResultsDir {}
