package io.taskapi.compat.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.hashicorp.nomad.apimodel.AclPolicy;
import com.hashicorp.nomad.apimodel.AclPolicyListStub;
import com.hashicorp.nomad.apimodel.AclToken;
import com.hashicorp.nomad.apimodel.AclTokenListStub;
import com.hashicorp.nomad.apimodel.Allocation;
import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Evaluation;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.JobListStub;
import com.hashicorp.nomad.apimodel.JobSummary;
import com.hashicorp.nomad.apimodel.Node;
import com.hashicorp.nomad.apimodel.NodeListStub;
import com.hashicorp.nomad.apimodel.RestartPolicy;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskGroup;
import com.hashicorp.nomad.javasdk.EvaluationResponse;
import com.hashicorp.nomad.javasdk.JobVersionsResponseData;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import com.hashicorp.nomad.javasdk.NomadResponse;
import com.hashicorp.nomad.javasdk.QueryOptions;
import com.hashicorp.nomad.javasdk.ServerQueryResponse;
import com.hashicorp.nomad.javasdk.ServerResponse;
import com.hashicorp.nomad.javasdk.WaitStrategy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HashiCorp's Java SDK as a black box against a real agent process: what a Nomad user's Java tooling would call, with
 * the query metadata ({@code X-Nomad-Index}, {@code X-Nomad-KnownLeader}) the SDK reads on every answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class NomadSdkTest {
    private static final String READ_POLICY = "namespace \"default\" {\n  policy = \"read\"\n}\n";

    @TempDir
    static Path dir;

    private static AgentProcess agent;
    private static NomadApiClient client; // with the management token

    @BeforeAll
    static void startAndBootstrap() throws Exception {
        agent = AgentProcess.startDev(dir.resolve("data"));
        String secret;
        try (NomadApiClient anonymous = new NomadApiClient(config(null))) {
            ServerResponse<AclToken> bootstrap = anonymous.getAclTokensApi().bootstrap();
            assertIndexed(bootstrap);
            assertThat(bootstrap.getValue().getType()).isEqualTo("management");
            secret = bootstrap.getValue().getSecretId();
        }
        client = new NomadApiClient(config(secret));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void aclPoliciesUpsertListInfoDelete() throws Exception {
        AclPolicy policy = new AclPolicy().setName("sdk-read").setDescription("read default").setRules(READ_POLICY);
        assertIndexed(client.getAclPoliciesApi().upsert(policy));

        ServerQueryResponse<List<AclPolicyListStub>> list = client.getAclPoliciesApi().list();
        assertQueried(list);
        assertThat(list.getValue()).extracting(AclPolicyListStub::getName).contains("sdk-read");

        ServerQueryResponse<AclPolicy> info = client.getAclPoliciesApi().info("sdk-read");
        assertQueried(info);
        assertThat(info.getValue().getRules()).isEqualTo(READ_POLICY);
        assertThat(info.getValue().getDescription()).isEqualTo("read default");

        assertIndexed(client.getAclPoliciesApi().delete("sdk-read"));
        assertThat(client.getAclPoliciesApi().list().getValue()).extracting(AclPolicyListStub::getName)
                .doesNotContain("sdk-read");
    }

    @Test
    void aclTokensCreateSelfListInfoDelete() throws Exception {
        assertIndexed(client.getAclPoliciesApi().upsert(new AclPolicy().setName("sdk-token-policy")
                .setRules(READ_POLICY)));
        ServerResponse<AclToken> created = client.getAclTokensApi().create(new AclToken().setName("sdk-client")
                .setType("client").addPolicies("sdk-token-policy"));
        assertIndexed(created);
        AclToken token = created.getValue();
        assertThat(token.getAccessorId()).isNotBlank();
        assertThat(token.getSecretId()).isNotBlank();

        try (NomadApiClient asToken = new NomadApiClient(config(token.getSecretId()))) {
            ServerQueryResponse<AclToken> self = asToken.getAclTokensApi().self();
            assertQueried(self);
            assertThat(self.getValue().getAccessorId()).isEqualTo(token.getAccessorId());
            assertThat(self.getValue().getPolicies()).containsExactly("sdk-token-policy");
        }

        ServerQueryResponse<List<AclTokenListStub>> list = client.getAclTokensApi().list();
        assertQueried(list);
        assertThat(list.getValue()).extracting(AclTokenListStub::getAccessorId).contains(token.getAccessorId());

        ServerQueryResponse<AclToken> info = client.getAclTokensApi().info(token.getAccessorId());
        assertQueried(info);
        assertThat(info.getValue().getName()).isEqualTo("sdk-client");

        assertIndexed(client.getAclTokensApi().delete(token.getAccessorId()));
        assertThat(client.getAclTokensApi().list().getValue()).extracting(AclTokenListStub::getAccessorId)
                .doesNotContain(token.getAccessorId());
        assertIndexed(client.getAclPoliciesApi().delete("sdk-token-policy"));
    }

    @Test
    void nodesListInfoWithPrefix() throws Exception {
        ServerQueryResponse<List<NodeListStub>> list = client.getNodesApi().list();
        assertQueried(list);
        assertThat(list.getValue()).hasSize(1);
        NodeListStub stub = list.getValue().get(0);
        assertThat(stub.getStatus()).isEqualTo("ready");

        ServerQueryResponse<List<NodeListStub>> prefixed = client.getNodesApi().list(stub.getId().substring(0, 4));
        assertQueried(prefixed);
        assertThat(prefixed.getValue()).extracting(NodeListStub::getId).containsExactly(stub.getId());
        assertThat(client.getNodesApi().list("zzzz").getValue()).isEmpty();

        ServerQueryResponse<Node> info = client.getNodesApi().info(stub.getId());
        assertQueried(info);
        assertThat(info.getValue().getName()).isEqualTo(stub.getName());
        assertThat(info.getValue().getDrivers()).containsKey("exec");
    }

    @Test
    void execJobRegisterInfoListAllocationsEvaluationDeregister() throws Exception {
        EvaluationResponse registered = client.getJobsApi().register(execJob("sdk-job", "sleep 30"));
        assertIndexed(registered);
        String evalId = registered.getValue();
        assertThat(evalId).isNotBlank();

        ServerQueryResponse<Evaluation> evaluation = client.getEvaluationsApi().info(evalId);
        assertQueried(evaluation);
        assertThat(evaluation.getValue().getJobId()).isEqualTo("sdk-job");

        ServerQueryResponse<Job> info = client.getJobsApi().info("sdk-job");
        assertQueried(info);
        assertThat(info.getValue().getType()).isEqualTo("batch");
        assertThat(info.getValue().getTaskGroups()).extracting(TaskGroup::getName).containsExactly("g");

        ServerQueryResponse<List<JobListStub>> jobs = client.getJobsApi().list();
        assertQueried(jobs);
        assertThat(jobs.getValue()).extracting(JobListStub::getId).contains("sdk-job");

        ServerQueryResponse<List<AllocationListStub>> allocations = client.getAllocationsApi().list();
        assertQueried(allocations);
        AllocationListStub stub = allocations.getValue().stream().filter(a -> a.getJobId().equals("sdk-job"))
                .findFirst().orElseThrow();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(client.getAllocationsApi().info(stub.getId()).getValue().getClientStatus())
                        .isEqualTo("running"));
        ServerQueryResponse<Allocation> allocation = client.getAllocationsApi().info(stub.getId());
        assertQueried(allocation);
        assertThat(allocation.getValue().getTaskGroup()).isEqualTo("g");

        EvaluationResponse deregistered = client.getJobsApi().deregister("sdk-job");
        assertIndexed(deregistered);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(client.getAllocationsApi().info(stub.getId()).getValue().getClientStatus())
                        .isNotEqualTo("running"));
    }

    @Test
    void blockingPolicyListReturnsWhenAPolicyIsWritten() throws Exception {
        ServerQueryResponse<List<AclPolicyListStub>> before = client.getAclPoliciesApi().list();
        assertQueried(before);
        QueryOptions<List<AclPolicyListStub>> newer = new QueryOptions<List<AclPolicyListStub>>()
                .setIndex(before.getIndex()).setWaitStrategy(WaitStrategy.waitForSeconds(30));
        CompletableFuture<ServerQueryResponse<List<AclPolicyListStub>>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return client.getAclPoliciesApi().list(newer);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertIndexed(client.getAclPoliciesApi().upsert(new AclPolicy().setName("sdk-blocking")
                .setRules(READ_POLICY)));
        ServerQueryResponse<List<AclPolicyListStub>> after = blocked.get(30, TimeUnit.SECONDS);
        assertQueried(after);
        assertThat(after.getIndex()).isGreaterThan(before.getIndex());
        assertThat(after.getValue()).extracting(AclPolicyListStub::getName).contains("sdk-blocking");
        assertIndexed(client.getAclPoliciesApi().delete("sdk-blocking"));
    }

    @Test
    void agentStatusAndRegions() throws Exception {
        assertThat(client.getAgentApi().health().getValue()).isNotNull();
        assertThat(client.getAgentApi().self().getValue().getConfig()).isNotEmpty();
        assertThat(client.getAgentApi().members().getValue().getMembers()).hasSize(1);
        NomadResponse<String> leader = client.getStatusApi().leader();
        assertThat(leader.getValue()).isNotBlank();
        assertThat(client.getRegionsApi().list().getValue()).hasSize(1);
        ServerQueryResponse<?> ready = client.pollUntilServerIsReady(false, null, WaitStrategy.waitForSeconds(10));
        assertQueried(ready);
    }

    @Test
    void queriesAroundARegisteredJob() throws Exception {
        EvaluationResponse registered = client.getJobsApi().register(execJob("sdk-queries", "true"));
        assertIndexed(registered);

        ServerQueryResponse<List<JobListStub>> prefixed = client.getJobsApi().list("sdk-q");
        assertQueried(prefixed);
        assertThat(prefixed.getValue()).extracting(JobListStub::getId).containsExactly("sdk-queries");

        ServerQueryResponse<JobSummary> summary = client.getJobsApi().summary("sdk-queries");
        assertQueried(summary);
        assertThat(summary.getValue().getSummary()).containsKey("g");

        ServerQueryResponse<List<AllocationListStub>> allocations = client.getJobsApi().allocations("sdk-queries");
        assertQueried(allocations);
        assertThat(allocations.getValue()).hasSize(1);

        ServerQueryResponse<Job> info = client.getJobsApi().info("sdk-queries");
        ServerQueryResponse<Job> newer = client.getJobsApi().info("sdk-queries", QueryOptions.newerThan(info)
                .setWaitStrategy(WaitStrategy.waitForMilliseconds(200)));
        assertQueried(newer);

        assertIndexed(client.getJobsApi().deregister("sdk-queries"));
    }

    @Test
    void jobEvaluations() throws Exception {
        EvaluationResponse registered = client.getJobsApi().register(execJob("sdk-evaluations", "true"));
        ServerQueryResponse<List<Evaluation>> evaluations = client.getJobsApi().evaluations("sdk-evaluations");
        assertQueried(evaluations);
        assertThat(evaluations.getValue()).extracting(Evaluation::getId).contains(registered.getValue());
        assertThat(evaluations.getValue()).extracting(Evaluation::getJobId).containsOnly("sdk-evaluations");
        EvaluationResponse deregistered = client.getJobsApi().deregister("sdk-evaluations");
        assertIndexed(deregistered);
        assertThat(client.getJobsApi().evaluations("sdk-evaluations").getValue()).extracting(Evaluation::getId)
                .contains(registered.getValue(), deregistered.getValue());
        assertThat(client.getJobsApi().evaluations("sdk-no-such-job").getValue()).isEmpty();
    }

    @Test
    void evaluationAllocations() throws Exception {
        EvaluationResponse registered = client.getJobsApi().register(execJob("sdk-eval-allocs", "true"));
        ServerQueryResponse<List<AllocationListStub>> ofEvaluation =
                client.getEvaluationsApi().allocations(registered.getValue());
        assertQueried(ofEvaluation);
        assertThat(ofEvaluation.getValue()).hasSize(1);
        assertThat(ofEvaluation.getValue().get(0).getEvalId()).isEqualTo(registered.getValue());
        assertThat(ofEvaluation.getValue().get(0).getJobId()).isEqualTo("sdk-eval-allocs");
        assertIndexed(client.getJobsApi().deregister("sdk-eval-allocs"));
    }

    @Test
    void nodeAllocations() throws Exception {
        client.getJobsApi().register(execJob("sdk-node-allocs", "true"));
        String nodeId = client.getNodesApi().list().getValue().get(0).getId();
        ServerQueryResponse<List<AllocationListStub>> ofNode = client.getNodesApi().allocations(nodeId);
        assertQueried(ofNode);
        assertThat(ofNode.getValue()).extracting(AllocationListStub::getJobId).contains("sdk-node-allocs");
        assertIndexed(client.getJobsApi().deregister("sdk-node-allocs"));
    }

    @Test
    void aclPrefixListsAndTokenUpdate() throws Exception {
        assertIndexed(client.getAclPoliciesApi().upsert(new AclPolicy().setName("sdk-prefix-a").setRules(READ_POLICY)));
        ServerQueryResponse<List<AclPolicyListStub>> policies = client.getAclPoliciesApi().list("sdk-prefix-");
        assertQueried(policies);
        assertThat(policies.getValue()).extracting(AclPolicyListStub::getName).containsExactly("sdk-prefix-a");

        AclToken token = client.getAclTokensApi().create(new AclToken().setName("before").setType("client")
                .addPolicies("sdk-prefix-a")).getValue();
        ServerQueryResponse<List<AclTokenListStub>> tokens =
                client.getAclTokensApi().list(token.getAccessorId().substring(0, 8));
        assertQueried(tokens);
        assertThat(tokens.getValue()).extracting(AclTokenListStub::getAccessorId).contains(token.getAccessorId());

        // Without the SecretID: sent as read (with it), the agent refuses the update (tokenUpdateAsRead).
        ServerResponse<AclToken> updated = client.getAclTokensApi().update(new AclToken()
                .setAccessorId(token.getAccessorId()).setName("after").setType("client").addPolicies("sdk-prefix-a"));
        assertIndexed(updated);
        assertThat(client.getAclTokensApi().info(token.getAccessorId()).getValue().getName()).isEqualTo("after");
        assertIndexed(client.getAclTokensApi().delete(token.getAccessorId()));
        assertIndexed(client.getAclPoliciesApi().delete("sdk-prefix-a"));
    }

    @Test
    void tokenUpdateAsRead() throws Exception {
        AclToken token = client.getAclTokensApi().create(new AclToken().setName("as-read").setType("management"))
                .getValue();
        AclToken read = client.getAclTokensApi().info(token.getAccessorId()).getValue();
        assertThat(read.getSecretId()).isEqualTo(token.getSecretId());
        ServerResponse<AclToken> updated = client.getAclTokensApi().update(read.setName("as-read-2"));
        assertIndexed(updated);
        assertThat(updated.getValue().getName()).isEqualTo("as-read-2");
        assertThat(updated.getValue().getSecretId()).isEqualTo(token.getSecretId());
        assertIndexed(client.getAclTokensApi().delete(token.getAccessorId()));
    }

    @Test
    void statusPeers() throws Exception {
        assertThat(client.getStatusApi().peers().getValue()).containsExactly(client.getStatusApi().leader()
                .getValue());
    }

    @Test
    void jobVersions() throws Exception {
        assertIndexed(client.getJobsApi().register(execJob("sdk-versions", "true")));
        assertIndexed(client.getJobsApi().register(execJob("sdk-versions", "exit 0")));
        ServerQueryResponse<JobVersionsResponseData> versions = client.getJobsApi().versions("sdk-versions");
        assertQueried(versions);
        assertThat(versions.getValue().getVersions()).extracting(Job::getVersion)
                .containsExactly(BigInteger.ONE, BigInteger.ZERO);
        assertThat(versions.getValue().getJobDiffs()).isNull();
        assertThat(versions.getValue().getVersions().get(0).getTaskGroups().get(0).getTasks().get(0).getConfig()
                .get("args")).isEqualTo(List.of("-c", "exit 0"));
        assertIndexed(client.getJobsApi().deregister("sdk-versions"));
        assertThat(client.getJobsApi().versions("sdk-versions").getValue().getVersions()).extracting(Job::getStop)
                .containsExactly(true, false, false);
    }

    @Test
    void blockingJobListReturnsWhenAJobIsRegistered() throws Exception {
        ServerQueryResponse<List<JobListStub>> before = client.getJobsApi().list();
        assertQueried(before);
        CompletableFuture<ServerQueryResponse<List<JobListStub>>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return client.getJobsApi().list(QueryOptions.newerThan(before)
                        .setWaitStrategy(WaitStrategy.waitForSeconds(30)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertIndexed(client.getJobsApi().register(execJob("sdk-blocking-job", "true")));
        ServerQueryResponse<List<JobListStub>> after = blocked.get(30, TimeUnit.SECONDS);
        assertQueried(after);
        assertThat(after.getIndex()).as("before %s, after %s with %s; now %s", before.getRawEntity(),
                after.getRawEntity(), after.getIndex(), client.getJobsApi().list().getIndex())
                .isGreaterThan(before.getIndex());
        assertIndexed(client.getJobsApi().deregister("sdk-blocking-job"));
    }

    private static Job execJob(String id, String script) {
        return new Job().setId(id).setName(id).setType("batch").addDatacenters("dc1")
                .addTaskGroups(new TaskGroup().setName("g").setCount(1)
                        .setRestartPolicy(new RestartPolicy().setAttempts(0).setMode("fail"))
                        .addTasks(new Task().setName("t").setDriver("exec").addConfig("command", "/bin/sh")
                                .addConfig("args", List.of("-c", script))));
    }

    private static NomadApiConfiguration config(String token) {
        NomadApiConfiguration.Builder builder = new NomadApiConfiguration.Builder().setAddress(agent.address());
        if (token != null) {
            builder.setAuthToken(token);
        }
        return builder.build();
    }

    private static void assertIndexed(ServerResponse<?> response) throws Exception {
        assertThat(response.getIndex()).as("X-Nomad-Index").isNotNull().isGreaterThan(BigInteger.ZERO);
    }

    private static void assertQueried(ServerQueryResponse<?> response) throws Exception {
        assertIndexed(response);
        assertThat(response.hadKnownLeader()).as("X-Nomad-KnownLeader").isTrue();
    }
}
