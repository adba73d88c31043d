/**
 * Nomad's variables API ({@code /v1/vars}, {@code /v1/var/*path}) and the seed's secrets API
 * ({@code /v1/secret/*path}), both over the same encrypted {@link io.taskapi.spi.state.VariableStore}: items are
 * encrypted by {@link io.taskapi.plugin.state.VariableCipher} before they reach the store and decrypted only to answer
 * a caller allowed to read them.
 *
 * <p>A secret is a variable at {@code secret/<path>}: {@code POST /v1/secret/baz} with {@code {"value":"bar"}} stores
 * the items {@code {"value":"bar"}} at {@code secret/baz}, so that a job template reading
 * {@code nomadVar "secret/baz"} sees it, and the variable policies decide who may read it.
 *
 * <p>Every route here answers 503 while the variable keyring is sealed; the rest of the API is not affected.
 */
package io.taskapi.plugin.api.variables;
