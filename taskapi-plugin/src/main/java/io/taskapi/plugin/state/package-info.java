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
 * <p>Wiring: open the database and the keyring once, make the stores on the database, close the database on
 * shutdown. A sealed keyring makes only the variables unavailable.
 */
package io.taskapi.plugin.state;
