package io.taskapi.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.state.Subscription;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class QueryIndexTest {
    private final QueryIndex index = new QueryIndex();

    @Test
    void indexesStartAtOneAndOnlyGrowAboveEveryIndexHandedOut() {
        assertThat(index.index(Set.of(Watch.VARIABLES))).isEqualTo(1);

        long first = index.changed(Watch.VARIABLES, 0);
        long second = index.changed(Watch.NODES, 0);
        long raised = index.changed(Watch.VARIABLES, 100);
        long after = index.changed(Watch.ACL_TOKENS, 5);

        assertThat(first).isEqualTo(2);
        assertThat(second).isEqualTo(3);
        assertThat(raised).as("the store's own index is a floor").isEqualTo(100);
        assertThat(after).isEqualTo(101);
        assertThat(index.index(Set.of(Watch.VARIABLES))).isEqualTo(100);
        assertThat(index.index(Set.of(Watch.NODES, Watch.NODE_METADATA))).isEqualTo(3);
        assertThat(index.index(Set.of())).as("no part: the whole state").isEqualTo(101);
    }

    @Test
    void aWaitWakesOnceOnAChangeOfAPartItWatches() {
        AtomicInteger woken = new AtomicInteger();
        long seen = index.index(Set.of(Watch.VARIABLES));
        Subscription unused = index.await(Set.of(Watch.VARIABLES, Watch.NODES), seen, woken::incrementAndGet);

        index.changed(Watch.ACL_POLICIES, 0);
        assertThat(woken).hasValue(0);
        assertThat(index.waiting()).isEqualTo(1);
        index.changed(Watch.NODES, 0);
        index.changed(Watch.VARIABLES, 0);

        assertThat(woken).hasValue(1);
        assertThat(index.waiting()).isZero();
    }

    @Test
    void aWaitForAnIndexAlreadyPassedWakesAtOnceAndAClosedOneNever() {
        AtomicInteger woken = new AtomicInteger();
        long seen = index.index(Set.of(Watch.VARIABLES));
        index.changed(Watch.VARIABLES, 0);

        Subscription passed = index.await(Set.of(Watch.VARIABLES), seen, woken::incrementAndGet);
        Subscription closed = index.await(Set.of(Watch.VARIABLES), index.index(Set.of(Watch.VARIABLES)),
                woken::incrementAndGet);
        closed.close();
        index.changed(Watch.VARIABLES, 0);
        passed.close();

        assertThat(woken).hasValue(1);
        assertThat(index.waiting()).isZero();
    }

    @Test
    void aFollowedPartTakesItsOwnersIndexAndOnlyItsOwnerMovesIt() {
        AtomicInteger woken = new AtomicInteger();
        index.changed(Watch.VARIABLES, 50);
        index.follow(Watch.AGENT, 7);
        Subscription unused = index.await(Set.of(Watch.AGENT), 7, woken::incrementAndGet);

        assertThat(index.index(Set.of(Watch.AGENT))).as("the owner's, not the counter's").isEqualTo(7);
        assertThat(index.changed(Watch.AGENT, 0)).as("a write through a route is not a change").isEqualTo(7);
        index.follow(Watch.AGENT, 6);
        assertThat(woken).as("a late, lower report").hasValue(0);
        index.follow(Watch.AGENT, 8);

        assertThat(woken).hasValue(1);
        assertThat(index.index(Set.of(Watch.AGENT))).isEqualTo(8);
        assertThat(index.latest()).isEqualTo(50);
        index.follow(Watch.AGENT, 90);
        assertThat(index.latest()).as("the counter stays above every index handed out").isEqualTo(90);
        assertThat(index.changed(Watch.NODES, 0)).isEqualTo(91);
    }

    @Test
    void anOwnersIndexBelowOneIsOne() {
        index.follow(Watch.AGENT, 0);
        assertThat(index.index(Set.of(Watch.AGENT))).isEqualTo(1);
    }
}
