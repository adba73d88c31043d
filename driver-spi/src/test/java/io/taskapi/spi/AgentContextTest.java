package io.taskapi.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskapi.spi.api.AgentPermission;
import io.taskapi.spi.api.AgentRequest;
import io.taskapi.spi.api.AgentResponse;
import io.taskapi.spi.api.AgentRoute;
import io.taskapi.spi.api.AgentStateIndex;
import io.taskapi.spi.state.AllocationRegistry;
import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.NodeRegistry;
import io.taskapi.spi.state.Subscription;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

final class AgentContextTest {
    private static final AgentState STATE = AgentState.builder().allocations(unused(AllocationRegistry.class))
            .nodes(unused(NodeRegistry.class)).identityKeys(unused(IdentityKeyStore.class)).build();

    @Test
    void aRouteAnswersAtOnceUnlessItSaysItBlocks() {
        assertThat(new Route(false).blocks()).isFalse();
        assertThat(new Route(true).blocks()).isTrue();
    }

    @Test
    void aContextWithoutAStateIndexHasNoneAndRefusesABlockingRoute() {
        AgentContext plain = AgentContext.builder(STATE).routes(List.of(new Route(false))).build();
        assertThat(plain.stateIndex()).isEmpty();

        assertThatThrownBy(() -> AgentContext.builder(STATE).routes(List.of(new Route(true))).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /v1/jobs blocks")
                .hasMessageContaining("stateIndex");
    }

    @Test
    void aContextWithAStateIndexTakesBlockingRoutes() {
        AgentStateIndex index = new AgentStateIndex() {
            @Override
            public long index() {
                return 1;
            }

            @Override
            public Subscription onChange(LongConsumer listener) {
                return () -> { };
            }
        };
        AgentContext context = AgentContext.builder(STATE).routes(List.of(new Route(true))).stateIndex(index)
                .build();
        assertThat(context.stateIndex()).containsSame(index);
        assertThat(context.routes()).hasSize(1);
    }

    /** A store the context only holds: never called. */
    private static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            throw new AssertionError("not called: " + method);
        }));
    }

    private record Route(boolean blocks) implements AgentRoute {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return "/v1/jobs";
        }

        @Override
        public AgentPermission permission() {
            return AgentPermission.namespace("list-jobs");
        }

        @Override
        public String help() {
            return "Lists jobs.";
        }

        @Override
        public AgentResponse handle(AgentRequest request) {
            return AgentResponse.json("[]");
        }
    }
}
