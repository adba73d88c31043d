package io.taskapi.spi.state;

import java.util.List;
import java.util.Optional;

/** The keyring that verifies workload identities: Nomad's root keys, or a JWKS fetched from elsewhere. */
public interface IdentityKeyStore {
    /**
     * @param keyId a token's {@code kid}
     * @return the key, if it is known and not retired
     * @throws StateUnavailableException when the keyring cannot answer (the caller refuses with 503)
     */
    Optional<VerificationKey> findKey(String keyId) throws StateUnavailableException;

    /**
     * @return every key a verifier should accept now, for publishing as a JWKS
     * @throws StateUnavailableException when the keyring cannot answer
     */
    List<VerificationKey> publishedKeys() throws StateUnavailableException;
}
