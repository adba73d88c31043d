package io.taskapi.plugin.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A result looked up before a change is never stored after it; one looked up after is. */
final class ChangeGuardTest {
    private final ChangeGuard guard = new ChangeGuard();
    private final List<String> cache = new ArrayList<>();

    @Test
    void aLookupThatRacedWithAChangeIsNotStored() {
        long before = guard.mark();
        cache.add("old");

        guard.changed(cache::clear);
        guard.storeUnlessChanged(before, () -> cache.add("stale"));

        assertThat(cache).isEmpty();
    }

    @Test
    void aLookupAfterTheChangeIsStored() {
        guard.changed(cache::clear);
        long after = guard.mark();

        guard.storeUnlessChanged(after, () -> cache.add("fresh"));

        assertThat(cache).containsExactly("fresh");
    }
}
