package io.taskapi.plugin.api.variables;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.state.CiphertextRejectedException;
import io.taskapi.plugin.state.VariableCipher;
import io.taskapi.spi.state.CasConflictException;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.StoredVariable;
import io.taskapi.spi.state.VariableKeyring;
import io.taskapi.spi.state.VariableStore;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The variable store as the routes use it: items are encrypted before they are stored and decrypted when read, a
 * failed check-and-set becomes Nomad's 409, and a sealed keyring makes every operation 503, listing and deleting
 * included (they need no key, but a store that answers some variable requests and not others while sealed would
 * only confuse). One per agent, injected into the variable and secret routes. Stateless apart from its
 * collaborators; thread-safe.
 */
public final class EncryptedVariables {
    private static final Comparator<StoredVariable> ORDER = Comparator.comparing(StoredVariable::namespace)
            .thenComparing(StoredVariable::path);

    private final VariableStore store;
    private final VariableCipher cipher;
    private final VariableKeyring keyring;

    /**
     * @param store where the ciphertexts live
     * @param cipher encrypts and decrypts items
     * @param keyring the cipher's keyring, asked only whether it is sealed
     */
    @Inject
    public EncryptedVariables(VariableStore store, VariableCipher cipher, VariableKeyring keyring) {
        this.store = requireNonNull(store, "store is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.keyring = requireNonNull(keyring, "keyring is null");
    }

    /**
     * @param namespace a namespace
     * @param path a variable path
     * @return the variable, decrypted
     * @throws StateUnavailableException when the store cannot answer or the keyring is sealed (503)
     */
    Optional<DecryptedVariable> read(String namespace, String path) throws StateUnavailableException {
        requireUnsealed();
        Optional<StoredVariable> stored = store.get(namespace, path);
        return stored.isEmpty() ? Optional.empty() : Optional.of(decrypt(stored.get()));
    }

    /**
     * @param namespace a namespace, or {@code *} for all
     * @param prefix a path prefix, possibly empty
     * @return the variables' metadata (nothing is decrypted), sorted by namespace then path
     * @throws StateUnavailableException when the store cannot answer or the keyring is sealed (503)
     */
    List<StoredVariable> list(String namespace, String prefix) throws StateUnavailableException {
        requireUnsealed();
        // Sorted here too: the order is what paging relies on, and a store the agent brings may not keep it.
        List<StoredVariable> variables = new ArrayList<>(store.list(namespace, prefix));
        variables.sort(ORDER);
        return variables;
    }

    /**
     * Writes a variable, durably.
     *
     * @param namespace a namespace (not {@code *})
     * @param path a valid path
     * @param items its items
     * @param cas Nomad's check-and-set index, if any
     * @return the variable as written
     * @throws ApiException 409 when the check-and-set fails (nothing changed)
     * @throws StateUnavailableException when the store cannot write or the keyring is sealed (503)
     */
    DecryptedVariable write(String namespace, String path, Map<String, String> items, OptionalLong cas)
            throws ApiException, StateUnavailableException {
        StoredVariable encrypted = cipher.encrypt(namespace, path, items);
        try {
            StoredVariable stored = store.put(encrypted, cas);
            return new DecryptedVariable(stored.namespace(), stored.path(), stored.createIndex(),
                    stored.modifyIndex(), stored.createTime(), stored.modifyTime(), items);
        } catch (CasConflictException e) {
            throw conflict(cas.getAsLong(), e);
        }
    }

    /**
     * Deletes a variable, durably; deleting one that is not there is not an error (as Nomad).
     *
     * @param namespace a namespace (not {@code *})
     * @param path a path
     * @param cas Nomad's check-and-set index, if any: 0 succeeds only when there is no such variable
     * @return whether there was such a variable
     * @throws ApiException 409 when the check-and-set fails (nothing changed)
     * @throws StateUnavailableException when the store cannot write or the keyring is sealed (503)
     */
    boolean delete(String namespace, String path, OptionalLong cas) throws ApiException, StateUnavailableException {
        requireUnsealed();
        try {
            return store.delete(namespace, path, cas);
        } catch (CasConflictException e) {
            throw conflict(cas.getAsLong(), e);
        }
    }

    /**
     * Nomad's 409: the conflicting variable's fields (Nomad's redacted form: no items) next to {@code "errors"},
     * whose message is what Nomad's Go client prints ({@code ErrCASConflict}).
     */
    private static ApiException conflict(long expected, CasConflictException e) {
        String found = e.current().map(current -> Long.toString(current.modifyIndex()))
                .orElse("0 (the variable does not exist)");
        // Like Nomad's redacted conflict: the variable's metadata as it is now, never its items.
        Map<String, Object> current = new java.util.LinkedHashMap<>();
        e.current().ifPresent(variable -> {
            current.put("Namespace", variable.namespace());
            current.put("Path", variable.path());
            current.put("CreateIndex", variable.createIndex());
            current.put("ModifyIndex", variable.modifyIndex());
        });
        return new ApiException(409, List.of("cas conflict: expected ModifyIndex " + Long.toUnsignedString(expected)
                + "; found " + found), current);
    }

    private DecryptedVariable decrypt(StoredVariable stored) throws StateUnavailableException {
        Map<String, String> items;
        try {
            items = cipher.decrypt(stored);
        } catch (CiphertextRejectedException e) {
            // The store's integrity failed, not the caller: a 500 whose log line names the variable, not its items.
            throw new IllegalStateException(e.getMessage(), e);
        }
        return new DecryptedVariable(stored.namespace(), stored.path(), stored.createIndex(), stored.modifyIndex(),
                stored.createTime(), stored.modifyTime(), items);
    }

    private void requireUnsealed() throws StateUnavailableException {
        Optional<String> reason = keyring.sealedReason();
        if (reason.isPresent()) {
            // The keyring's own wording, so that every variable route reports a sealed keyring alike.
            throw new StateUnavailableException("the variable keyring is sealed: " + reason.get());
        }
    }
}
