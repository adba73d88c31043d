package io.taskapi.plugin.lifecycle;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Singleton;
import com.google.inject.Stage;
import com.google.inject.matcher.Matchers;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closing in reverse order of creation, and closing the rest when one close fails. */
class LifecycleTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void closesInReverseOrderOfRegistrationOnce() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.register("first", () -> closed.add("first"));
        lifecycle.register("second", () -> closed.add("second"));
        lifecycle.register("third", () -> closed.add("third"));

        lifecycle.close();
        lifecycle.close();

        assertThat(closed).containsExactly("third", "second", "first");
    }

    @Test
    void aCloseThatFailsDoesNotStopTheRest() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.register("first", () -> closed.add("first"));
        lifecycle.register("failing", () -> {
            closed.add("failing");
            throw new IllegalStateException("cannot close");
        });
        lifecycle.register("checked", () -> {
            closed.add("checked");
            throw new java.io.IOException("disk gone");
        });
        lifecycle.register("last", () -> closed.add("last"));

        lifecycle.close();

        assertThat(closed).containsExactly("last", "checked", "failing", "first");
    }

    @Test
    void nothingCanBeRegisteredOnceClosed() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.close();

        assertThatThrownBy(() -> lifecycle.register("late", () -> closed.add("late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("late");
    }

    @Test
    void theInjectorRegistersWhatItCreatesAfterWhatItDependsOn() {
        Lifecycle lifecycle = new Lifecycle();
        Closed closedByInjector = new Closed();
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new AbstractModule() {
            @Override
            protected void configure() {
                bindListener(Matchers.any(), new LifecycleListener(lifecycle));
                bind(Closed.class).toInstance(closedByInjector);
                bind(Store.class).in(Singleton.class);
                bind(Cache.class).in(Singleton.class);
                bind(Front.class).in(Singleton.class);
                bind(NotCloseable.class).in(Singleton.class);
            }
        });
        injector.getInstance(Front.class);

        lifecycle.close();

        // Front needs Cache, which needs Store: created Store, Cache, Front; closed the other way round, and the
        // Cache's failure does not keep the Store open. The instance bound by the module is not the injector's.
        assertThat(closedByInjector.names).containsExactly("front", "cache", "store");
    }

    /** What was closed, in order: the one thing every test object is given. */
    static final class Closed {
        final List<String> names = new ArrayList<>();
    }

    static final class Store implements AutoCloseable {
        private final Closed closed;

        @Inject
        Store(Closed closed) {
            this.closed = closed;
        }

        @Override
        public void close() {
            closed.names.add("store");
        }
    }

    static final class Cache implements AutoCloseable {
        private final Closed closed;

        @Inject
        Cache(Store store, Closed closed) {
            requireNonNull(store, "store is null"); // injected only so that it is created first
            this.closed = closed;
        }

        @Override
        public void close() {
            closed.names.add("cache");
            throw new IllegalStateException("the cache fails to close; the store is closed all the same");
        }
    }

    static final class Front implements AutoCloseable {
        private final Closed closed;

        @Inject
        Front(Cache cache, Closed closed) {
            requireNonNull(cache, "cache is null"); // injected only so that it is created first
            this.closed = closed;
        }

        @Override
        public void close() {
            closed.names.add("front");
        }
    }

    static final class NotCloseable {
        @Inject
        NotCloseable(Store store) {
            requireNonNull(store, "store is null");
        }
    }
}
