package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.IdentityKeyStore;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys a clustered agent without the root key verifies identities with: its own signing key from memory (its
 * tasks' identities verify here the moment they are signed, whether or not etcd has the key yet), then every key
 * published in the cluster.
 */
final class ClusterIdentityKeys implements IdentityKeyStore {
    private final IdentityKeyStore own;
    private final IdentityKeyStore cluster;

    ClusterIdentityKeys(IdentityKeyStore own, IdentityKeyStore cluster) {
        this.own = requireNonNull(own, "own is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
    }

    @Override
    public Optional<VerificationKey> findKey(String keyId) throws StateUnavailableException {
        Optional<VerificationKey> mine = own.findKey(keyId);
        return mine.isPresent() ? mine : cluster.findKey(keyId);
    }

    @Override
    public List<VerificationKey> publishedKeys() throws StateUnavailableException {
        List<VerificationKey> keys = new ArrayList<>(own.publishedKeys());
        for (VerificationKey key : cluster.publishedKeys()) {
            if (keys.stream().noneMatch(known -> known.keyId().equals(key.keyId()))) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Override
    public String toString() {
        return "ClusterIdentityKeys[" + own + ", " + cluster + "]";
    }
}
