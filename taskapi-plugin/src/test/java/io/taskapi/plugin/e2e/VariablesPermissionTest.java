package io.taskapi.plugin.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.driver.TaskRef;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who may do what with a variable, over a real task socket: policies' variable capabilities per path and namespace,
 * and a workload identity's implicit read of its own {@code nomad/jobs/<job>[/<group>[/<task>]]}, never write.
 */
final class VariablesPermissionTest {
    private static final String ITEMS = "{\"Items\":{\"k\":\"v\"}}";

    @RegisterExtension
    final TaskApiExtension api = TaskApiExtension.builder().build();

    /** Job web, group g, task t, namespace default. */
    private TestTask web;
    private String management;

    @BeforeEach
    void setUp() throws Exception {
        web = api.newTask(new TaskRef(UUID.randomUUID().toString(), "default", "web", "g", "t"));
        web.openSocket();
        management = api.tokens().createManagementToken("admin").secretId();
        for (String path : List.of("nomad/jobs", "nomad/jobs/web", "nomad/jobs/web/g", "nomad/jobs/web/g/t",
                "nomad/jobs/web/other-group", "nomad/jobs/other", "app/config", "app/deep/x", "system/x")) {
            assertThat(call(management, "PUT", "/v1/var/" + path, ITEMS).status()).isEqualTo(200);
        }
        assertThat(call(management, "PUT", "/v1/var/nomad/jobs/web?namespace=prod", ITEMS).status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyPolicyReadsAndListsButCannotWriteOrDestroy() throws Exception {
        api.policies().createPolicy("app-read",
                "namespace \"default\" { variables { path \"app/*\" { capabilities = [\"read\"] } } }");
        String reader = api.tokens().createClientToken("reader", List.of("app-read")).secretId();

        assertThat(call(reader, "GET", "/v1/var/app/config", null).status()).isEqualTo(200);
        assertThat(call(reader, "GET", "/v1/var/app/missing", null).status()).as("may read, so learns it is absent")
                .isEqualTo(404);
        assertThat(call(reader, "PUT", "/v1/var/app/config", ITEMS).status()).isEqualTo(403);
        assertThat(call(reader, "POST", "/v1/var/app/new", ITEMS).status()).isEqualTo(403);
        assertThat(call(reader, "DELETE", "/v1/var/app/config", null).status()).isEqualTo(403);
        assertThat(call(reader, "GET", "/v1/var/system/x", null).status()).as("another path").isEqualTo(403);
        assertThat(call(reader, "GET", "/v1/var/app/config?namespace=prod", null).status()).as("another namespace")
                .isEqualTo(403);
        assertThat(call(reader, "GET", "/v1/var/app/nope?help=1", null).status()).isEqualTo(200);
        assertThat(call(reader, "PUT", "/v1/var/app/nope?help=1", null).status()).as("help needs the permission too")
                .isEqualTo(403);
        assertThat(listed(reader, "")).as("read implies list").containsExactly("default/app/config",
                "default/app/deep/x");
        assertThat(call(management, "GET", "/v1/var/app/config", null).json().path("Items").path("k").asText())
                .isEqualTo("v");
    }

    @Test
    void writeAndDestroyAreSeparateCapabilitiesFromRead() throws Exception {
        api.policies().createPolicy("app-write",
                "namespace \"default\" { variables { path \"app/*\" { capabilities = [\"write\"] } } }");
        api.policies().createPolicy("app-destroy",
                "namespace \"*\" { variables { path \"app/*\" { capabilities = [\"destroy\"] } } }");
        String writer = api.tokens().createClientToken("writer", List.of("app-write")).secretId();
        String destroyer = api.tokens().createClientToken("destroyer", List.of("app-destroy")).secretId();

        assertThat(call(writer, "PUT", "/v1/var/app/config", ITEMS).status()).isEqualTo(200);
        assertThat(call(writer, "PUT", "/v1/var/app/config?cas=0", ITEMS).status())
                .as("a conflict is still a 409 for a writer").isEqualTo(409);
        assertThat(call(writer, "GET", "/v1/var/app/config", null).status()).as("write is not read").isEqualTo(403);
        assertThat(call(writer, "DELETE", "/v1/var/app/config", null).status()).isEqualTo(403);
        assertThat(listed(writer, "")).as("nor list").isEmpty();

        assertThat(call(destroyer, "DELETE", "/v1/var/app/config", null).status()).isEqualTo(204);
        assertThat(call(destroyer, "DELETE", "/v1/var/app/config?namespace=prod", null).status())
                .as("namespace glob").isEqualTo(204);
        assertThat(call(destroyer, "PUT", "/v1/var/app/config", ITEMS).status()).isEqualTo(403);
        assertThat(call(management, "GET", "/v1/var/app/config", null).status()).isEqualTo(404);
    }

    @Test
    void aCloserGlobDenyWinsAsInNomad() throws Exception {
        api.policies().createPolicy("mostly",
                "namespace \"default\" { variables {\n"
                        + "  path \"*\" { capabilities = [\"list\", \"read\"] }\n"
                        + "  path \"system/*\" { capabilities = [\"deny\"] }\n} }");
        String token = api.tokens().createClientToken("mostly", List.of("mostly")).secretId();

        assertThat(call(token, "GET", "/v1/var/app/config", null).status()).isEqualTo(200);
        assertThat(call(token, "GET", "/v1/var/system/x", null).status()).isEqualTo(403);
        assertThat(listed(token, "")).contains("default/app/config").doesNotContain("default/system/x");
    }

    @Test
    void aWorkloadReadsItsOwnJobPathsWithoutAnyPolicyButNeverWrites() throws Exception {
        String identity = web.identity();

        for (String path : List.of("nomad/jobs", "nomad/jobs/web", "nomad/jobs/web/g", "nomad/jobs/web/g/t")) {
            HttpResponse read = call(identity, "GET", "/v1/var/" + path, null);
            assertThat(read.status()).as(path).isEqualTo(200);
            assertThat(read.json().path("Items").path("k").asText()).isEqualTo("v");
        }
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/web/missing-group", null).status())
                .as("nomad/jobs/web/<another group> is not implicit").isEqualTo(403);
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/web/other-group", null).status()).isEqualTo(403);
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/other", null).status()).as("another job").isEqualTo(403);
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/web?namespace=prod", null).status())
                .as("its job's path in another namespace").isEqualTo(403);
        assertThat(call(identity, "GET", "/v1/var/app/config", null).status()).isEqualTo(403);
        assertThat(call(identity, "PUT", "/v1/var/nomad/jobs/web", ITEMS).status()).as("never write").isEqualTo(403);
        assertThat(call(identity, "POST", "/v1/var/nomad/jobs/web/g/t", ITEMS).status()).isEqualTo(403);
        assertThat(call(identity, "DELETE", "/v1/var/nomad/jobs/web", null).status()).as("never destroy")
                .isEqualTo(403);
        assertThat(listed(identity, "")).containsExactly("default/nomad/jobs", "default/nomad/jobs/web",
                "default/nomad/jobs/web/g", "default/nomad/jobs/web/g/t");
        assertThat(listed(identity, "&namespace=*")).as("not in prod either").containsExactly("default/nomad/jobs",
                "default/nomad/jobs/web", "default/nomad/jobs/web/g", "default/nomad/jobs/web/g/t");
    }

    @Test
    void anotherJobsWorkloadGetsNothingOfWebs() throws Exception {
        TestTask other = api.newTask(new TaskRef(UUID.randomUUID().toString(), "default", "other", "g", "t"));
        other.openSocket();
        String identity = other.identity();

        assertThat(call(other, identity, "GET", "/v1/var/nomad/jobs/web", null).status()).isEqualTo(403);
        assertThat(call(other, identity, "GET", "/v1/var/nomad/jobs/other", null).status()).isEqualTo(200);
    }

    @Test
    void aJobPolicyCanGrantItsWorkloadsWritesAndAnExactDenyBlocksTheImplicitRead() throws Exception {
        api.policies().createJobPolicy("web-vars",
                "namespace \"default\" { variables {\n"
                        + "  path \"nomad/jobs/web/g/*\" { capabilities = [\"write\", \"read\"] }\n"
                        + "  path \"nomad/jobs/web\" { capabilities = [\"deny\"] }\n} }",
                new JobAcl("default", "web", "", ""));
        String identity = web.identity();

        assertThat(call(identity, "PUT", "/v1/var/nomad/jobs/web/g/t/extra", ITEMS).status()).isEqualTo(200);
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/web/g/t/extra", null).status()).isEqualTo(200);
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/web", null).status())
                .as("an exact deny overrides the implicit read").isEqualTo(403);
        assertThat(call(identity, "GET", "/v1/var/nomad/jobs/web/g", null).status()).as("other implicit paths stay")
                .isEqualTo(200);
        assertThat(call(identity, "DELETE", "/v1/var/nomad/jobs/web/g/t/extra", null).status()).isEqualTo(403);
    }

    @Test
    void aTokenWithoutPoliciesMayListButSeesNothing() throws Exception {
        String nobody = api.tokens().createClientToken("nobody", List.of("does-not-exist")).secretId();

        HttpResponse list = call(nobody, "GET", "/v1/vars?namespace=*", null);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("[]");
        assertThat(call(nobody, "GET", "/v1/var/app/config", null).status()).isEqualTo(403);
        assertThat(call(nobody, "GET", "/v1/var/app/does-not-exist", null).status())
                .as("403 whether or not it exists").isEqualTo(403);
    }

    private List<String> listed(String credential, String query) throws Exception {
        HttpResponse response = call(credential, "GET", "/v1/vars?prefix=" + query, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> paths = new ArrayList<>();
        response.json().forEach(v -> paths.add(v.path("Namespace").asText() + "/" + v.path("Path").asText()));
        return paths;
    }

    private HttpResponse call(String credential, String method, String target, String body) throws Exception {
        return call(web, credential, method, target, body);
    }

    private static HttpResponse call(TestTask task, String credential, String method, String target, String body)
            throws Exception {
        var request = task.client().request(method, target).bearer(credential);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }
}
