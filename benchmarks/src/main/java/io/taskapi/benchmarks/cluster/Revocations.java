package io.taskapi.benchmarks.cluster;

import io.taskapi.benchmarks.load.LatencyHistogram;
import io.taskapi.benchmarks.server.BenchServer;
import io.taskapi.testing.HttpResponse;
import io.taskapi.testing.UnixHttpClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long a token created or revoked through one agent takes to be honoured on the others' task sockets
 * ({@code benchmarks/run cluster}). Per trial: create a client token through agent 1's task socket (with the
 * management secret), poll every other agent's socket until the token answers 200 there (creation delay, from
 * agent 1's acknowledgement), revoke it through agent 1, and poll every other agent until it is refused (revocation
 * delay, from the acknowledgement of the DELETE). The other agents are polled at once, one thread each, over a
 * kept-alive connection, as fast as they answer.
 *
 * <p>{@code Revocations --sockets S1,S2,… --credentials DIR --trials N}: {@code DIR/acl} holds a management secret.
 * Prints {@code revocations: …} and {@code creations: …} lines (milliseconds: p50, p99, max; counts).
 */
public final class Revocations {
    private static final String PROBE = "/v1/client/metadata";
    private static final String POLICY = "bench-read";
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    private final List<UnixHttpClient> agents;
    private final String management;

    /**
     * @param agents a client per agent's task socket; the first is the one writes go through
     * @param management a management secret
     */
    public Revocations(List<UnixHttpClient> agents, String management) {
        if (agents.size() < 2) {
            throw new IllegalArgumentException("needs at least two agents");
        }
        this.agents = List.copyOf(agents);
        this.management = management;
    }

    /** The delays of a run, in nanoseconds: one value per trial and other agent. */
    public record Delays(LatencyHistogram creations, LatencyHistogram revocations, int refusedStatus) {}

    /**
     * @param trials how many tokens to create and revoke
     * @return the delays
     * @throws Exception when a request fails or an agent never agrees
     */
    public Delays run(int trials) throws Exception {
        HttpResponse policy = agents.get(0).request("POST", "/v1/acl/policy/" + POLICY).token(management)
                .json("{\"Name\":\"" + POLICY + "\",\"Rules\":\"node { policy = \\\"read\\\" }\"}").send();
        check(policy, 200, "creating the policy");
        LatencyHistogram creations = new LatencyHistogram();
        LatencyHistogram revocations = new LatencyHistogram();
        int refused = 0;
        ExecutorService pollers = Executors.newFixedThreadPool(agents.size() - 1);
        try {
            for (int trial = 0; trial < trials; trial++) {
                HttpResponse created = agents.get(0).request("POST", "/v1/acl/token").token(management)
                        .json("{\"Name\":\"revocation-" + trial + "\",\"Type\":\"client\",\"Policies\":[\"" + POLICY
                                + "\"]}").send();
                long createdAt = System.nanoTime();
                check(created, 200, "creating a token");
                String secret = created.json().path("SecretID").asText();
                String accessor = created.json().path("AccessorID").asText();
                for (long delay : pollAll(pollers, secret, true, createdAt)) {
                    creations.record(delay);
                }
                HttpResponse deleted = agents.get(0).request("DELETE", "/v1/acl/token/" + accessor).token(management)
                        .send();
                long deletedAt = System.nanoTime();
                check(deleted, 200, "deleting a token");
                for (long delay : pollAll(pollers, secret, false, deletedAt)) {
                    revocations.record(delay);
                }
                refused = agents.get(1).get(PROBE).token(secret).send().status();
            }
        } finally {
            pollers.shutdownNow();
        }
        return new Delays(creations, revocations, refused);
    }

    private List<Long> pollAll(ExecutorService pollers, String secret, boolean accepted, long since)
            throws Exception {
        List<Future<Long>> polls = new ArrayList<>();
        for (UnixHttpClient agent : agents.subList(1, agents.size())) {
            Callable<Long> poll = () -> poll(agent, secret, accepted, since);
            polls.add(pollers.submit(poll));
        }
        List<Long> delays = new ArrayList<>();
        for (Future<Long> poll : polls) {
            delays.add(poll.get());
        }
        return delays;
    }

    /** Polls one agent until the secret is accepted (200) or refused (anything else); the delay since {@code since}. */
    private static long poll(UnixHttpClient agent, String secret, boolean accepted, long since) throws IOException {
        try (UnixHttpClient.Connection connection = agent.connection()) {
            while (true) {
                if (!connection.isOpen()) {
                    return poll(agent, secret, accepted, since); // the server closed it: a fresh one
                }
                int status = connection.get(PROBE).token(secret).send().status();
                long now = System.nanoTime();
                if ((status == 200) == accepted) {
                    return now - since;
                }
                if (now - since > GIVE_UP.toNanos()) {
                    throw new IOException("an agent still answered " + status + " after " + GIVE_UP);
                }
            }
        }
    }

    private static void check(HttpResponse response, int expected, String what) throws IOException {
        if (response.status() != expected) {
            throw new IOException(what + ": " + response.status() + " " + response.body());
        }
    }

    /**
     * @param name the line's name
     * @param delays nanoseconds
     * @return {@code NAME: count=… p50_ms=… p99_ms=… max_ms=…}
     */
    static String line(String name, LatencyHistogram delays) {
        return String.format("%s: count=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f", name, delays.count(),
                delays.percentile(50) / 1e6, delays.percentile(99) / 1e6, delays.max() / 1e6);
    }

    /**
     * @param args {@code --sockets S1,S2,… --credentials DIR [--trials N]}
     * @throws Exception when a request fails
     */
    public static void main(String[] args) throws Exception {
        BenchServer.configureLogging();
        List<Path> sockets = List.of();
        Path credentials = null;
        int trials = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sockets" -> sockets = Arrays.stream(args[i + 1].split(",")).map(Path::of).toList();
                case "--credentials" -> credentials = Path.of(args[i + 1]);
                case "--trials" -> trials = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (credentials == null) {
            throw new IllegalArgumentException("--credentials is required");
        }
        List<UnixHttpClient> clients = new ArrayList<>();
        for (Path socket : sockets) {
            clients.add(UnixHttpClient.forSocket(socket).timeout(Duration.ofSeconds(10)));
        }
        try {
            String secret = Files.readString(credentials.resolve("acl")).trim();
            Delays delays = new Revocations(clients, secret).run(trials);
            PrintStream out = System.out;
            out.println(line("creations", delays.creations()) + " agents=" + clients.size() + " trials=" + trials);
            out.println(line("revocations", delays.revocations()) + " agents=" + clients.size() + " trials=" + trials
                    + " refused_status=" + delays.refusedStatus());
        } finally {
            clients.forEach(UnixHttpClient::close);
        }
    }
}
