package io.vmcluster.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {
    final List<String> closed = new ArrayList<>();

    AutoCloseable item(String name, RuntimeException failure) {
        return () -> {
            closed.add(name);
            if (failure != null) throw failure;
        };
    }

    @Test
    void closesLastFirstKeepsTheFirstFailureAndSuppressesTheRest() {
        IllegalStateException b = new IllegalStateException("b failed");
        IllegalStateException a = new IllegalStateException("a failed");
        assertThatThrownBy(() -> Closer.closeInReverse(List.of(item("a", a), item("b", b), item("c", null))))
                .isSameAs(b)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(a));
        assertThat(closed).containsExactly("c", "b", "a");
    }

    @Test
    void anErrorDoesNotStopTheRestAndIsThrownAsIs() {
        Closer closer = new Closer();
        closer.run(() -> {
            throw new OutOfMemoryError("boom");
        });
        closer.run(() -> closed.add("after"));
        assertThat(closed).containsExactly("after");
        assertThatThrownBy(closer::throwIfFailed).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aDescribedActionSaysWhatFailed() {
        Closer closer = new Closer().run("closing tap t1 of run r1", () -> {
            throw new java.io.IOException("busy");
        });
        assertThatThrownBy(closer::throwIfFailed)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("closing tap t1 of run r1 failed")
                .hasRootCauseMessage("busy");
    }

    @Test
    void nothingFailedThrowsNothing() {
        Closer.closeInReverse(List.of(item("a", null)));
        new Closer().throwIfFailed();
        assertThat(closed).containsExactly("a");
    }
}
