package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.options.DeleteOption;
import io.taskapi.spi.state.StateUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each agent shows of its own jobs and allocations to the others ({@code views/<kind>/<node>/<id>}: the JSON an
 * agent's list routes answer), so that {@code /v1/jobs} and {@code /v1/allocations} answer for the whole cluster from
 * any agent while each job stays on the agent it was submitted to. An agent writes only its own node's views; the
 * others read them from memory. Views are for listing, not for deciding anything: no credential depends on them.
 */
public final class EtcdAgentViews {
    private final EtcdState state;
    private final String kind;
    private final WatchedPrefix<String> cache;

    EtcdAgentViews(EtcdState state, String kind) {
        if (!kind.matches("[a-z]+")) {
            throw new IllegalArgumentException("a view kind is lower-case letters: " + kind);
        }
        this.state = state;
        this.kind = kind;
        this.cache = state.cache(kind + " views", prefix(kind), (key, value, create, modify) -> new String(value, UTF_8),
                null);
    }

    private static String prefix(String kind) {
        return KeyLayout.VIEWS + kind + "/";
    }

    /**
     * @param nodeId a node
     * @return that node's views, by id
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public Map<String, String> ofNode(String nodeId) throws StateUnavailableException {
        Map<String, String> views = new TreeMap<>();
        String nodePrefix = requireNonNull(nodeId, "nodeId is null") + "/";
        for (String key : cache.keys()) {
            if (key.startsWith(nodePrefix)) {
                cache.get(key).ifPresent(json -> views.put(key.substring(nodePrefix.length()), json));
            }
        }
        return views;
    }

    /**
     * @param nodeId a node (this agent's)
     * @return every other node's views (the JSON documents)
     * @throws StateUnavailableException when the cache is past the staleness bound
     */
    public List<String> ofOtherNodes(String nodeId) throws StateUnavailableException {
        String nodePrefix = requireNonNull(nodeId, "nodeId is null") + "/";
        List<String> views = new ArrayList<>();
        for (String key : cache.keys()) {
            if (!key.startsWith(nodePrefix)) {
                cache.get(key).ifPresent(views::add);
            }
        }
        return views;
    }

    /**
     * Publishes one of this node's views. Durable when it returns.
     *
     * @param nodeId this agent's node
     * @param id the job's or allocation's key
     * @param json what the list route answers for it
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public void put(String nodeId, String id, String json) throws StateUnavailableException {
        ByteSequence key = state.layout().key(prefix(kind) + checked(nodeId) + "/" + checked(id));
        long revision = state.write("publish a " + kind + " view", () -> state.client().getKVClient()
                .put(key, ByteSequence.from(requireNonNull(json, "json is null"), UTF_8))).getHeader().getRevision();
        cache.awaitOwnWrite(revision);
    }

    /**
     * Withdraws one of this node's views. Durable when it returns.
     *
     * @param nodeId this agent's node
     * @param id the job's or allocation's key
     * @throws StateUnavailableException when etcd cannot take it now
     */
    public void delete(String nodeId, String id) throws StateUnavailableException {
        DeleteResponse response = state.write("withdraw a " + kind + " view", () -> state.client().getKVClient()
                .delete(state.layout().key(prefix(kind) + checked(nodeId) + "/" + checked(id)), DeleteOption.DEFAULT));
        if (response.getDeleted() > 0) {
            // A view that was not there changed nothing: no event is coming.
            cache.awaitOwnWrite(response.getHeader().getRevision());
        }
    }

    private static String checked(String part) {
        if (part.isEmpty() || part.contains("/")) {
            throw new IllegalArgumentException("not a view key part: " + part);
        }
        return part;
    }

    @Override
    public String toString() {
        return "EtcdAgentViews[" + kind + ", " + cache + "]";
    }
}
