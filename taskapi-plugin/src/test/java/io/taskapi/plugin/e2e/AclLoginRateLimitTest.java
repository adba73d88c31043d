package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A login verifies a signature, so on a task socket it spends the peer's failed-authentication budget like an
 * unverified credential: failed logins end in 429, successful ones are refunded and never run it down.
 */
final class AclLoginRateLimitTest {
    private static final LoginJwts ISSUER = new LoginJwts("rate-key");

    @RegisterExtension
    static final TaskApiExtension API = TaskApiExtension.builder()
            .config("socket.unauthenticated-rate-limit", "1")
            .config("socket.unauthenticated-rate-burst", "2")
            .build();

    private static TestTask task;

    @BeforeAll
    static void configure() throws Exception {
        task = API.newTask("rate");
        task.openSocket();
        String management = API.tokens().createManagementToken("admin").secretId();
        API.policies().createPolicy("p", "node { policy = \"read\" }");
        assertThat(task.client().request("POST", "/v1/acl/auth-method").bearer(management)
                .json(ISSUER.methodBody("corp")).send().status()).isEqualTo(200);
        assertThat(task.client().request("POST", "/v1/acl/binding-rule").bearer(management)
                .json("{\"AuthMethod\":\"corp\",\"BindType\":\"policy\",\"BindName\":\"p\"}").send().status())
                .isEqualTo(200);
    }

    @Test
    void successfulLoginsAreRefundedAndFailedOnesEndIn429() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(login(ISSUER.valid()).status()).as("successful login %d", i).isEqualTo(200);
        }

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(login("not-a-jwt").status());
        }

        assertThat(statuses).contains(401, 429).containsOnly(401, 429);
    }

    private static HttpResponse login(String jwt) throws Exception {
        return task.client().request("POST", "/v1/acl/login")
                .json("{\"AuthMethodName\":\"corp\",\"LoginToken\":\"" + jwt + "\"}").send();
    }
}
