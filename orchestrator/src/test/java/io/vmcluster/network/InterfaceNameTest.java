package io.vmcluster.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InterfaceNameTest {

    @Nested
    class Validation {
        @Test
        void acceptsKernelNames() {
            assertThat(InterfaceName.of("br-lan").value()).isEqualTo("br-lan");
            assertThat(InterfaceName.of("a234567890abcde").value()).hasSize(15);
        }

        @Test
        void rejectsTooLongEmptyOrOddNames() {
            assertThatThrownBy(() -> InterfaceName.of("a234567890abcdef"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 15");
            assertThatThrownBy(() -> InterfaceName.of("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> InterfaceName.of("a b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> InterfaceName.of("a/b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Derivation {
        @Test
        void shortNamesAreReadable() {
            assertThat(InterfaceName.bridge("lan").value()).isEqualTo("br-lan");
            assertThat(InterfaceName.tap("node1", 0).value()).isEqualTo("t-node1-0");
            assertThat(InterfaceName.tap("node12", 3).value()).isEqualTo("t-node12-3");
        }

        @Test
        void longNamesAreCutWithAHashAndStayWithin15() {
            InterfaceName a = InterfaceName.tap("database-primary-1", 0);
            InterfaceName b = InterfaceName.tap("database-primary-2", 0);
            assertThat(a.value()).hasSizeLessThanOrEqualTo(15).startsWith("t-").endsWith("-0");
            assertThat(a).as("different long names must not collide").isNotEqualTo(b);
            assertThat(InterfaceName.bridge("a-very-long-lan-name").value()).hasSizeLessThanOrEqualTo(15);
        }

        @Test
        void derivationIsDeterministic() {
            assertThat(InterfaceName.tap("database-primary-1", 2))
                    .isEqualTo(InterfaceName.tap("database-primary-1", 2));
        }

        @Test
        void unsafeCharactersAreDroppedAndHashed() {
            InterfaceName n = InterfaceName.tap("n ode", 0);
            assertThat(n.value()).matches("t-node[0-9a-f]{4}-0");
            assertThat(n).as("'n ode' must not collide with 'node'").isNotEqualTo(InterfaceName.tap("node", 0));
        }

        @Test
        void nicIndexMustNotBeNegative() {
            assertThatThrownBy(() -> InterfaceName.tap("node1", -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
