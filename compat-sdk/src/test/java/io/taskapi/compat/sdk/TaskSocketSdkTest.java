package io.taskapi.compat.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import com.hashicorp.nomad.javasdk.ErrorResponseException;
import com.hashicorp.nomad.javasdk.EvaluationResponse;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import com.hashicorp.nomad.javasdk.QueryOptions;
import com.hashicorp.nomad.javasdk.ServerQueryResponse;
import com.hashicorp.nomad.javasdk.ServerResponse;
import com.hashicorp.nomad.javasdk.VariablesApi;
import com.hashicorp.nomad.javasdk.WaitStrategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HashiCorp's Java SDK as a black box against a task socket ({@code secrets/api.sock}) of a task a real agent process
 * runs, through {@link UnixSocketBridge} (the SDK speaks TCP only): what a workload's Java code would call with its
 * workload identity, and an operator with a management token, with the query metadata the SDK reads on every query.
 *
 * <p>The main task has no {@code user}, so its socket is {@code 0666} and the bridge in this JVM may connect, as the
 * examples' agent tests reach task sockets. A task with a user ({@link #aTaskUsersSocketThroughABridgeRunAsThatUser})
 * serves only that user: there the bridge runs as its own process under the task's uid (setpriv, as the plugin's
 * tests run curl).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class TaskSocketSdkTest {
    private static final String JOB_ID = "sdk-socket";
    private static final String TASK = "t";
    /** Bound to the job: what its workload identity may do beyond its implicit variables. */
    private static final String TASK_POLICY = "sdk-socket-task";
    private static final String TASK_RULES = "namespace \"default\" {\n  policy = \"read\"\n}\nnode {\n"
            + "  policy = \"read\"\n}\n";

    @TempDir
    static Path dir;

    private static AgentProcess agent;
    private static NomadApiClient operator; // management token, on the agent's TCP listener
    private static UnixSocketBridge bridge;
    private static NomadApiClient identity; // the task's workload identity, on its socket
    private static NomadApiClient management; // the management token, on the task's socket
    private static String allocId;
    private static String evalId; // the job's registration
    private static String workloadIdentity; // the task's, from its secrets/nomad_token

    @BeforeAll
    static void startATaskAndBridgeItsSocket() throws Exception {
        // a task run as another user must be able to reach its directories (JUnit makes this one 0700)
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        agent = AgentProcess.startDev(dir.resolve("data"));
        String secret;
        try (NomadApiClient anonymous = new NomadApiClient(config(agent.address(), null))) {
            secret = anonymous.getAclTokensApi().bootstrap().getValue().getSecretId();
        }
        operator = new NomadApiClient(config(agent.address(), secret));
        assertIndexed(operator.getAclPoliciesApi().upsert(boundPolicy(TASK_POLICY, TASK_RULES)));
        EvaluationResponse registered = operator.getJobsApi().register(runningJob());
        assertIndexed(registered);
        evalId = registered.getValue();

        RunningTask task = awaitRunning(JOB_ID);
        allocId = task.allocId();
        workloadIdentity = task.identity();

        bridge = UnixSocketBridge.open(task.socket());
        identity = new NomadApiClient(config(bridge.address(), workloadIdentity));
        management = new NomadApiClient(config(bridge.address(), secret));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {identity, management, bridge, operator}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void agentHealthForAnyCallerSelfOnlyWithAgentRead() throws Exception {
        assertThat(identity.getAgentApi().health().getValue().getClient().getOk()).isTrue();
        assertThat(management.getAgentApi().self().getValue().getConfig()).containsKey("Region");
        // agent:read is not in the job's policy
        assertRefused(403, () -> identity.getAgentApi().self());
    }

    @Test
    void statusRegionsMembersAndReadiness() throws Exception {
        assertThat(identity.getStatusApi().leader().getValue()).isNotBlank();
        assertThat(identity.getRegionsApi().list().getValue()).containsExactly("global");
        assertThat(identity.getAgentApi().members().getValue().getMembers()).hasSize(1); // node:read
        // the SDK's readiness poll: a node list until it had a known leader
        assertQueried(identity.pollUntilServerIsReady(false, null, WaitStrategy.waitForSeconds(10)));

        // a client configured with the region and namespace sends them on every request
        try (NomadApiClient scoped = new NomadApiClient(new NomadApiConfiguration.Builder()
                .setAddress(bridge.address()).setAuthToken(workloadIdentity).setRegion("global").setNamespace("default")
                .build())) {
            assertQueried(scoped.getJobsApi().info(JOB_ID));
            assertQueried(scoped.getNodesApi().list());
        }
        // as Nomad without a server in that region
        assertRefused(500, () -> identity.getNodesApi().list(new QueryOptions<List<NodeListStub>>()
                .setRegion("elsewhere")));
    }

    @Test
    void nodesListAndInfoWithTheBoundNodeRead() throws Exception {
        ServerQueryResponse<List<NodeListStub>> list = identity.getNodesApi().list();
        assertQueried(list);
        assertThat(list.getValue()).hasSize(1);
        NodeListStub stub = list.getValue().get(0);

        ServerQueryResponse<List<NodeListStub>> prefixed = identity.getNodesApi().list(stub.getId().substring(0, 4));
        assertQueried(prefixed);
        assertThat(prefixed.getValue()).extracting(NodeListStub::getId).containsExactly(stub.getId());

        ServerQueryResponse<Node> info = identity.getNodesApi().info(stub.getId());
        assertQueried(info);
        assertThat(info.getValue().getName()).isEqualTo(stub.getName());
        assertThat(info.getValue().getDrivers()).containsKey("exec");

        assertQueried(management.getNodesApi().info(stub.getId()));

        // a blocking list that nothing wakes answers when its wait is over, with the index it waited on
        ServerQueryResponse<List<NodeListStub>> unchanged = identity.getNodesApi().list(QueryOptions.newerThan(list)
                .setWaitStrategy(WaitStrategy.waitForMilliseconds(300)));
        assertQueried(unchanged);
        assertThat(unchanged.getIndex()).isEqualTo(list.getIndex());
    }

    @Test
    void whatTheIdentityMayNotDoIsA403() throws Exception {
        assertRefused(403, () -> identity.getAclTokensApi().list());
        assertRefused(403, () -> identity.getAclPoliciesApi().delete(TASK_POLICY));
        assertRefused(403, () -> identity.getJobsApi().register(runningJob()));
        assertRefused(403, () -> identity.getJobsApi().deregister(JOB_ID));
    }

    @Test
    void variablesTheIdentityReadsImplicitlyAndMayNotWrite() throws Exception {
        String path = "nomad/jobs/" + JOB_ID;
        VariablesApi asManagement = new VariablesApi(management);
        VariablesApi asIdentity = new VariablesApi(identity);
        assertIndexed(asManagement.write(path, Map.of("greeting", "hello")));

        ServerQueryResponse<JsonNode> read = asIdentity.read(path, null);
        assertQueried(read);
        assertThat(read.getValue().get("Items").get("greeting").asText()).isEqualTo("hello");

        ServerQueryResponse<List<JsonNode>> list = asIdentity.list("nomad/jobs/", null);
        assertQueried(list);
        assertThat(list.getValue()).extracting(v -> v.get("Path").asText()).containsExactly(path);

        // a blocking read as the identity wakes when the operator writes the variable again
        CompletableFuture<ServerQueryResponse<JsonNode>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return asIdentity.read(path, QueryOptions.newerThan(read)
                        .setWaitStrategy(WaitStrategy.waitForSeconds(30)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertIndexed(asManagement.write(path, Map.of("greeting", "hello again")));
        ServerQueryResponse<JsonNode> woken = blocked.get(30, TimeUnit.SECONDS);
        assertQueried(woken);
        assertThat(woken.getIndex()).isGreaterThan(read.getIndex());
        assertThat(woken.getValue().get("Items").get("greeting").asText()).isEqualTo("hello again");

        // Nomad's implicit workload access is read and list only
        assertRefused(403, () -> asIdentity.write(path, Map.of("greeting", "changed")));
        assertRefused(403, () -> asIdentity.delete(path));
        assertRefused(403, () -> asIdentity.read("other/app", null));

        // a 204 without a body, as Nomad answers: the SDK 0.11.3 (older than variables) cannot read one
        assertThat(catchThrowable(() -> asManagement.delete(path))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Entity may not be null");
        assertRefused(404, () -> asIdentity.read(path, null));
    }

    @Test
    void variablesTheIdentityWritesWithABoundPolicy() throws Exception {
        String path = "nomad/jobs/" + JOB_ID + "/out";
        VariablesApi asIdentity = new VariablesApi(identity);
        assertRefused(403, () -> asIdentity.write(path, Map.of("result", "42")));
        assertIndexed(operator.getAclPoliciesApi().upsert(boundPolicy("sdk-socket-vars", "namespace \"default\" {\n"
                + "  variables {\n    path \"nomad/jobs/" + JOB_ID + "/*\" {\n"
                + "      capabilities = [\"write\", \"read\", \"destroy\"]\n    }\n  }\n}\n")));
        try {
            ServerResponse<JsonNode> written = asIdentity.write(path, Map.of("result", "42"));
            assertIndexed(written);
            assertThat(written.getValue().get("ModifyIndex").asLong()).isPositive();
            ServerQueryResponse<JsonNode> read = asIdentity.read(path, null);
            assertQueried(read);
            assertThat(read.getValue().get("Items").get("result").asText()).isEqualTo("42");
            // a 204 without a body (see variablesTheIdentityReadsImplicitlyAndMayNotWrite)
            assertThat(catchThrowable(() -> asIdentity.delete(path))).isInstanceOf(IllegalArgumentException.class);
            assertRefused(404, () -> asIdentity.read(path, null));
        } finally {
            assertIndexed(operator.getAclPoliciesApi().delete("sdk-socket-vars"));
        }
        assertRefused(403, () -> asIdentity.write(path, Map.of("result", "43")));
    }

    @Test
    void aclTokenSelf() throws Exception {
        ServerQueryResponse<AclToken> self = management.getAclTokensApi().self();
        assertQueried(self);
        assertThat(self.getValue().getType()).isEqualTo("management");

        ServerQueryResponse<List<AclTokenListStub>> tokens = management.getAclTokensApi().list();
        assertQueried(tokens);
        assertThat(tokens.getValue()).extracting(AclTokenListStub::getAccessorId)
                .contains(self.getValue().getAccessorId());

        // a workload identity is no ACL token: Nomad's token shape with the identity's claims beside it
        ServerQueryResponse<AclToken> identitySelf = identity.getAclTokensApi().self();
        assertQueried(identitySelf);
        assertThat(identitySelf.getValue().getName()).startsWith("workload identity");
        assertThat(identitySelf.getValue().getUnmappedProperties()).containsKey("WorkloadIdentity");
    }

    @Test
    void itsOwnJobAndAllocation() throws Exception {
        ServerQueryResponse<Job> job = identity.getJobsApi().info(JOB_ID);
        assertQueried(job);
        assertThat(job.getValue().getId()).isEqualTo(JOB_ID);
        assertThat(job.getValue().getTaskGroups()).extracting(TaskGroup::getName).containsExactly("g");

        ServerQueryResponse<List<AllocationListStub>> allocations = identity.getJobsApi().allocations(JOB_ID);
        assertQueried(allocations);
        assertThat(allocations.getValue()).extracting(AllocationListStub::getId).containsExactly(allocId);

        ServerQueryResponse<Allocation> allocation = identity.getAllocationsApi().info(allocId);
        assertQueried(allocation);
        assertThat(allocation.getValue().getJobId()).isEqualTo(JOB_ID);
        assertThat(allocation.getValue().getClientStatus()).isEqualTo("running");

        ServerQueryResponse<List<JobListStub>> jobs = identity.getJobsApi().list("sdk-");
        assertQueried(jobs);
        assertThat(jobs.getValue()).extracting(JobListStub::getId).containsExactly(JOB_ID);

        ServerQueryResponse<JobSummary> summary = identity.getJobsApi().summary(JOB_ID);
        assertQueried(summary);
        assertThat(summary.getValue().getSummary().get("g").getRunning()).isEqualTo(1);

        ServerQueryResponse<Evaluation> evaluation = identity.getEvaluationsApi().info(evalId);
        assertQueried(evaluation);
        assertThat(evaluation.getValue().getJobId()).isEqualTo(JOB_ID);

        ServerQueryResponse<List<AllocationListStub>> all = identity.getAllocationsApi().list();
        assertQueried(all);
        assertThat(all.getValue()).extracting(AllocationListStub::getId).contains(allocId);

        assertQueried(management.getJobsApi().info(JOB_ID));
    }

    @Test
    void blockingPolicyListWakesWhenAPolicyIsBoundToTheJob() throws Exception {
        ServerQueryResponse<List<AclPolicyListStub>> before = identity.getAclPoliciesApi().list();
        assertQueried(before);
        // the identity sees the policies bound to its job, and only those
        assertThat(before.getValue()).extracting(AclPolicyListStub::getName).containsExactly(TASK_POLICY);
        ServerQueryResponse<AclPolicy> held = identity.getAclPoliciesApi().info(TASK_POLICY);
        assertQueried(held);
        assertThat(held.getValue().getRules()).isEqualTo(TASK_RULES);
        assertRefused(403, () -> identity.getAclPoliciesApi().info("anonymous"));
        CompletableFuture<ServerQueryResponse<List<AclPolicyListStub>>> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return identity.getAclPoliciesApi().list(QueryOptions.newerThan(before)
                        .setWaitStrategy(WaitStrategy.waitForSeconds(30)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertIndexed(operator.getAclPoliciesApi().upsert(boundPolicy("sdk-socket-extra", TASK_RULES)));
        ServerQueryResponse<List<AclPolicyListStub>> after = blocked.get(30, TimeUnit.SECONDS);
        assertQueried(after);
        assertThat(after.getIndex()).isGreaterThan(before.getIndex());
        assertThat(after.getValue()).extracting(AclPolicyListStub::getName)
                .containsExactlyInAnyOrder(TASK_POLICY, "sdk-socket-extra");
        assertIndexed(operator.getAclPoliciesApi().delete("sdk-socket-extra"));
    }

    @Test
    void neverAnonymous() throws Exception {
        // on the operator listener a token-less caller is served with the anonymous policy, health needing none
        try (NomadApiClient anonymousOnTcp = new NomadApiClient(config(agent.address(), null))) {
            assertThat(anonymousOnTcp.getAgentApi().health().getValue().getClient().getOk()).isTrue();
        }
        // on a task socket there is no anonymous access at all
        try (NomadApiClient anonymous = new NomadApiClient(config(bridge.address(), null))) {
            assertRefused(401, () -> anonymous.getAgentApi().health());
            assertRefused(401, () -> anonymous.getNodesApi().list());
            assertRefused(401, () -> anonymous.getAclTokensApi().self());
            assertRefused(401, () -> anonymous.getAclTokensApi().bootstrap());
        }
        try (NomadApiClient guessing = new NomadApiClient(config(bridge.address(),
                "00000000-0000-0000-0000-000000000000"))) {
            assertRefused(403, () -> guessing.getAgentApi().health());
        }
    }

    @Test
    void aTaskUsersSocketThroughABridgeRunAsThatUser() throws Exception {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "needs root: the agent gives the socket to nobody, and the bridge becomes nobody");
        String jobId = "as-nobody"; // not under the prefix itsOwnJobAndAllocation lists
        Job job = runningJob().setId(jobId).setName(jobId);
        job.getTaskGroups().get(0).getTasks().get(0).setUser("nobody");
        assertIndexed(operator.getJobsApi().register(job));
        try {
            RunningTask task = awaitRunning(jobId);
            Path socket = task.socket();
            String token = task.identity();
            int uid = (Integer) Files.getAttribute(socket, "unix:uid");
            assertThat(uid).as("the socket's owner").isNotZero();

            // this JVM (root) is not the task's user: the SDK gets the peer check's 403
            try (UnixSocketBridge asRoot = UnixSocketBridge.open(socket);
                    NomadApiClient refused = new NomadApiClient(config(asRoot.address(), token))) {
                assertRefused(403, () -> refused.getAgentApi().health());
            }

            Process bridgeAsUser = new ProcessBuilder("setpriv", "--reuid=" + uid,
                    "--regid=" + Files.getAttribute(socket, "unix:gid"), "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-cp",
                    testClasses(), UnixSocketBridge.class.getName(), socket.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (NomadApiClient asUser = new NomadApiClient(config(firstLine(bridgeAsUser), token))) {
                assertThat(asUser.getAgentApi().health().getValue().getClient().getOk()).isTrue();
                ServerQueryResponse<AclToken> self = asUser.getAclTokensApi().self();
                assertQueried(self);
                assertThat(self.getValue().getName()).startsWith("workload identity");
                ServerQueryResponse<List<JsonNode>> variables = new VariablesApi(asUser).list("nomad/jobs/", null);
                assertQueried(variables);
                // no policy is bound to this job
                assertRefused(403, () -> asUser.getNodesApi().list());
            } finally {
                bridgeAsUser.getOutputStream().close(); // its end of input: it closes and exits
                if (!bridgeAsUser.waitFor(10, TimeUnit.SECONDS)) {
                    bridgeAsUser.destroyForcibly();
                }
            }
        } finally {
            assertIndexed(operator.getJobsApi().deregister(jobId));
        }
    }

    @Test
    void anIdentityStopsWorkingWhenItsAllocationEnds() throws Exception {
        String jobId = "ends-soon";
        assertIndexed(operator.getJobsApi().register(runningJob().setId(jobId).setName(jobId)));
        RunningTask task = awaitRunning(jobId);
        try (NomadApiClient other = new NomadApiClient(config(bridge.address(), task.identity()))) {
            // a socket authenticates whatever valid credential it is given, as Nomad's Task API does
            assertThat(other.getAgentApi().health().getValue().getClient().getOk()).isTrue();

            assertIndexed(operator.getJobsApi().deregister(jobId));
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(operator.getAllocationsApi().info(task.allocId()).getValue().getClientStatus())
                            .isNotEqualTo("running"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertRefused(403, () -> other.getAgentApi().health()));
        }
    }

    /** A running task's allocation, its socket and its workload identity. */
    private record RunningTask(String allocId, Path socket, String identity) {}

    /** Waits for the job's task to run, and finds its socket and identity where Nomad's layout puts them. */
    private static RunningTask awaitRunning(String jobId) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                operator.getJobsApi().allocations(jobId).getValue().stream()
                        .anyMatch(a -> "running".equals(a.getClientStatus())));
        String alloc = operator.getJobsApi().allocations(jobId).getValue().get(0).getId();
        // <data-dir>/alloc/<alloc-id>/<task>/secrets/{api.sock,nomad_token}
        Path secrets = dir.resolve("data").resolve("alloc").resolve(alloc).resolve(TASK).resolve("secrets");
        Path socket = secrets.resolve("api.sock");
        Path tokenFile = secrets.resolve("nomad_token");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(socket) && Files.isRegularFile(tokenFile) && Files.size(tokenFile) > 0);
        return new RunningTask(alloc, socket, Files.readString(tokenFile, StandardCharsets.US_ASCII).trim());
    }

    /** A service job whose task keeps running, with its workload identity in its environment and secrets dir. */
    private static Job runningJob() {
        Task task = new Task().setName(TASK).setDriver("exec").addConfig("command", "/bin/sh")
                .addConfig("args", List.of("-c", "exec sleep 600"));
        // the SDK 0.11.3 predates workload identities (Nomad 1.7): its Task has no Identity field
        task.addUnmappedProperty("Identity", Map.of("Env", true, "File", true));
        return new Job().setId(JOB_ID).setName(JOB_ID).setType("service").addDatacenters("dc1")
                .addTaskGroups(new TaskGroup().setName("g").setCount(1)
                        .setRestartPolicy(new RestartPolicy().setAttempts(0).setMode("fail"))
                        .addTasks(task));
    }

    private static AclPolicy boundPolicy(String name, String rules) {
        AclPolicy policy = new AclPolicy().setName(name).setRules(rules);
        // the SDK 0.11.3 predates JobACL (Nomad 1.4)
        policy.addUnmappedProperty("JobACL", Map.of("Namespace", "default", "JobID", JOB_ID));
        return policy;
    }

    /** The bridge process's address, the first line it prints. */
    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(line).as("the bridge's address (it ended: %s)", !process.isAlive()).startsWith("http://");
        return line;
    }

    /** This module's compiled test classes, where the bridge is: the bridge process needs nothing else. */
    private static String testClasses() throws Exception {
        return Path.of(UnixSocketBridge.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static NomadApiConfiguration config(String address, String token) {
        NomadApiConfiguration.Builder builder = new NomadApiConfiguration.Builder().setAddress(address);
        if (token != null) {
            builder.setAuthToken(token);
        }
        return builder.build();
    }

    private static void assertRefused(int status, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(ErrorResponseException.class);
        assertThat(((ErrorResponseException) thrown).getServerErrorCode()).as("%s", thrown.getMessage())
                .isEqualTo(status);
    }

    private static void assertIndexed(ServerResponse<?> response) throws Exception {
        assertThat(response.getIndex()).as("X-Nomad-Index").isNotNull().isGreaterThan(BigInteger.ZERO);
    }

    private static void assertQueried(ServerQueryResponse<?> response) throws Exception {
        assertIndexed(response);
        assertThat(response.hadKnownLeader()).as("X-Nomad-KnownLeader").isTrue();
    }
}
