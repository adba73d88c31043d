package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.state.Subscription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StateIndexTest {
    private final StateIndex index = new StateIndex();
    private final List<Long> heard = new CopyOnWriteArrayList<>();

    @Test
    void startsAtOneAndMovesOnceAChangeIsReleased() {
        Subscription unused = index.onChange(heard::add);
        assertThat(index.index()).isEqualTo(1);

        long change = index.reserve();
        assertThat(change).isEqualTo(2);
        assertThat(index.index()).as("not visible yet").isEqualTo(1);
        index.release(change);

        assertThat(index.index()).isEqualTo(2);
        assertThat(heard).containsExactly(2L);
    }

    @Test
    void aChangeFinishedBeforeAnEarlierOneIsNotReportedUntilTheEarlierOneIs() {
        Subscription unused = index.onChange(heard::add);
        long slow = index.reserve();
        long fast = index.reserve();

        index.release(fast);
        assertThat(index.index()).as("change %s may not be visible yet", slow).isEqualTo(1);
        assertThat(heard).isEmpty();
        index.release(slow);

        assertThat(index.index()).isEqualTo(fast);
        assertThat(heard).containsExactly(fast);
    }

    @Test
    void carriesOnAboveTheIndexesReadBackAfterARestart() {
        index.raiseTo(41);
        index.raiseTo(7);
        assertThat(index.index()).isEqualTo(41);
        assertThat(index.reserve()).isEqualTo(42);
    }

    @Test
    void aClosedSubscriptionHearsNothingAndANumberIsReleasedOnce() {
        Subscription subscription = index.onChange(heard::add);
        subscription.close();
        subscription.close();
        long change = index.reserve();
        index.release(change);

        assertThat(heard).isEmpty();
        assertThatThrownBy(() -> index.release(change)).isInstanceOf(IllegalStateException.class);
    }
}
