package io.taskapi.examples.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.state.etcd.EtcdAgentViews;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's jobs and allocations published for the other agents' lists, and theirs read for this agent's: after
 * every change of its jobs or allocations the agent writes what differs from what etcd holds for its node (one sync at
 * a time, on the cluster publisher's thread, so a burst of changes makes one sync).
 */
final class ClusterViews implements ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterViews.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String nodeId;
    private final EtcdAgentViews jobs;
    private final EtcdAgentViews allocations;
    private final JobScheduler scheduler;
    private final AllocationStore local;

    ClusterViews(String nodeId, EtcdAgentViews jobs, EtcdAgentViews allocations, JobScheduler scheduler,
                 AllocationStore local) {
        this.nodeId = nodeId;
        this.jobs = jobs;
        this.allocations = allocations;
        this.scheduler = scheduler;
        this.local = local;
    }

    @Override
    public List<JsonNode> jobs() throws StateUnavailableException {
        return parse(jobs.ofOtherNodes(nodeId));
    }

    @Override
    public List<JsonNode> allocations() throws StateUnavailableException {
        return parse(allocations.ofOtherNodes(nodeId));
    }

    /** Makes etcd's views of this node what its jobs and allocations are now. */
    void sync() throws StateUnavailableException {
        Map<String, String> wantedJobs = new HashMap<>();
        for (JobScheduler.JobRecord job : scheduler.listAll()) {
            wantedJobs.put(encode(job.spec().namespace()) + ":" + encode(job.spec().id()),
                    scheduler.toJson(job, false).toString());
        }
        Map<String, String> wantedAllocations = new HashMap<>();
        for (Allocation allocation : local.list()) {
            wantedAllocations.put(allocation.id(), allocation.toJson().toString());
        }
        sync(jobs, wantedJobs);
        sync(allocations, wantedAllocations);
    }

    private void sync(EtcdAgentViews views, Map<String, String> wanted) throws StateUnavailableException {
        Map<String, String> published = views.ofNode(nodeId);
        for (Map.Entry<String, String> view : wanted.entrySet()) {
            if (!view.getValue().equals(published.get(view.getKey()))) {
                views.put(nodeId, view.getKey(), view.getValue());
            }
        }
        for (String gone : published.keySet()) {
            if (!wanted.containsKey(gone)) {
                views.delete(nodeId, gone);
            }
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8); // "/" and ":" become %2F and %3A: one key part
    }

    private static List<JsonNode> parse(List<String> documents) {
        List<JsonNode> parsed = new ArrayList<>(documents.size());
        for (String document : documents) {
            try {
                parsed.add(JSON.readTree(document));
            } catch (JsonProcessingException e) {
                LOG.warn("a view in etcd is not JSON; left out: {}", e.getOriginalMessage());
            }
        }
        return parsed;
    }
}
