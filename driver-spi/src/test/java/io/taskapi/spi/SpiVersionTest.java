package io.taskapi.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class SpiVersionTest {
    @Test
    void theJarsVersionIsTheCompiledConstant() {
        assertThat(SpiVersion.current()).isEqualTo(SpiVersion.parse(SpiVersion.COMPILED));
    }

    @Test
    void parsesMajorDotMinor() {
        assertThat(SpiVersion.parse(" 2.13\n")).isEqualTo(SpiVersion.of(2, 13));
        assertThat(SpiVersion.of(2, 13)).hasToString("2.13");
        assertThatThrownBy(() -> SpiVersion.parse("1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiVersion.parse("1.x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiVersion.parse("1.2.3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anSpiRunsPluginsBuiltForItsMajorVersionAndAnOlderOrEqualMinor() {
        SpiVersion spi = SpiVersion.of(1, 3);
        assertThat(spi.supports(SpiVersion.of(1, 0))).isTrue();
        assertThat(spi.supports(SpiVersion.of(1, 3))).isTrue();
        assertThat(spi.supports(SpiVersion.of(1, 4))).isFalse();
        assertThat(spi.supports(SpiVersion.of(2, 0))).isFalse();
        assertThat(spi.supports(SpiVersion.of(0, 9))).isFalse();
    }

    @Test
    void aPluginBuiltForANewerSpiRefusesToStartSayingWhichVersions() {
        SpiVersion current = SpiVersion.current();
        SpiVersion newer = SpiVersion.of(current.major(), current.minor() + 1);
        assertThatThrownBy(() -> SpiVersion.requireSupported(new Provider(newer)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'future'")
                .hasMessageContaining("was built for SPI " + newer)
                .hasMessageContaining("has taskapi-driver-spi " + current);
        SpiVersion nextMajor = SpiVersion.of(current.major() + 1, 0);
        assertThatThrownBy(() -> SpiVersion.requireSupported(new Provider(nextMajor)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was built for SPI " + nextMajor);
    }

    @Test
    void aPluginBuiltForThisSpiStarts() {
        assertThatCode(() -> SpiVersion.requireSupported(new Provider(SpiVersion.parse(SpiVersion.COMPILED))))
                .doesNotThrowAnyException();
    }

    private record Provider(SpiVersion spiVersion) implements TaskApiProvider {
        @Override
        public String name() {
            return "future";
        }

        @Override
        public TaskApi start(AgentContext context) {
            throw new AssertionError("never started");
        }
    }
}
