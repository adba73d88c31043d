package io.taskapi.examples.agent;

import static java.util.Objects.requireNonNull;

import io.taskapi.spi.state.StateUnavailableException;
import java.security.PrivateKey;

/** Where the key that signs new workload identities (RS256) comes from: this agent's own, or its cluster's. */
@FunctionalInterface
public interface SigningKeys {
    /**
     * @return the key new identities are signed with now
     * @throws StateUnavailableException when the key cannot be had now (a sealed or unreachable cluster keyring)
     */
    ActiveKey active() throws StateUnavailableException;

    /**
     * An RSA private key and the {@code kid} its signatures carry.
     *
     * @param keyId the key's id
     * @param privateKey the key; never printed
     */
    record ActiveKey(String keyId, PrivateKey privateKey) {
        /**
         * @param keyId see the record component of that name
         * @param privateKey see the record component of that name
         */
        public ActiveKey {
            requireNonNull(keyId, "keyId is null");
            requireNonNull(privateKey, "privateKey is null");
        }

        @Override
        public String toString() {
            return "ActiveKey[" + keyId + "]";
        }
    }
}
