/**
 * The plugin's embedded, durable store, used for every optional store the agent leaves out of
 * {@link io.taskapi.spi.AgentState}: one SQLite database ({@link io.taskapi.plugin.state.EmbeddedDatabase}, WAL mode,
 * {@code synchronous=FULL}) under the {@code state.data-dir} setting, holding ACL tokens
 * ({@link io.taskapi.plugin.state.EmbeddedAclTokenStore}), ACL policies
 * ({@link io.taskapi.plugin.state.EmbeddedAclPolicyStore}), dynamic node metadata
 * ({@link io.taskapi.plugin.state.EmbeddedNodeMetadataStore}) and encrypted variables
 * ({@link io.taskapi.plugin.state.EmbeddedVariableStore}); and the variables' AES-256-GCM keys
 * ({@link io.taskapi.plugin.state.Keyring}, {@code keyring.json}, used through
 * {@link io.taskapi.plugin.state.VariableCipher}).
 *
 * <p>Files in the data directory (0700):
 * <ul>
 *   <li>{@code state.db}, {@code state.db-wal}, {@code state.db-shm}: the database (0600);</li>
 *   <li>{@code state.lock}: held while the database is open, so that two agents never share it;</li>
 *   <li>{@code keyring.json}: the variable keys (0600). Back it up with the database: without it, the variables
 *       cannot be decrypted.</li>
 * </ul>
 *
 * <p>Wiring: the plugin's start step opens the database (only when the agent left a store out) and the keyring once,
 * through {@link io.taskapi.plugin.state.StateStores#open}; the stores are made on the database; the database is closed
 * last on shutdown. A sealed keyring makes only the variables unavailable.
 *
 * <p>{@link io.taskapi.plugin.state.EmbeddedDatabase} is the transactions; its parts are
 * {@link io.taskapi.plugin.state.DatabaseFiles} (directory, lock, private files),
 * {@link io.taskapi.plugin.state.SchemaMigrations}, {@link io.taskapi.plugin.state.ReaderPool} and
 * {@link io.taskapi.plugin.state.ChangeBus}.
 */
package io.taskapi.plugin.state;
