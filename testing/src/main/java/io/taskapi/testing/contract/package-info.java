/**
 * Contract test suites for the state SPI ({@link io.taskapi.spi.state}): abstract JUnit 5 classes that an
 * implementer of a store extends with one factory method, to prove the store does what the SPI says. The in-memory
 * stores of this module, the plugin's embedded stores and the example agent's own stores run them; so should any
 * other store (a replicated one included: the suites assume nothing is local, and await notifications and
 * changes fed by the agent, up to {@link io.taskapi.testing.contract.StoreContract#timeout()}).
 *
 * <ul>
 *   <li>{@link io.taskapi.testing.contract.AclTokenStoreContract}</li>
 *   <li>{@link io.taskapi.testing.contract.AclPolicyStoreContract}</li>
 *   <li>{@link io.taskapi.testing.contract.VariableStoreContract}, check-and-set and concurrent writers included</li>
 *   <li>{@link io.taskapi.testing.contract.NodeMetadataStoreContract}</li>
 *   <li>{@link io.taskapi.testing.contract.NodeRegistryContract}</li>
 *   <li>{@link io.taskapi.testing.contract.IdentityKeyStoreContract}</li>
 *   <li>{@link io.taskapi.testing.contract.AllocationRegistryContract}</li>
 * </ul>
 *
 * <p>Each suite makes a fresh store per test ({@code createStore}) and closes it after ({@code closeStore}). A store
 * that can be made to fail like an unreachable backend overrides {@code makeUnavailable} and the suite then checks
 * {@link io.taskapi.spi.state.StateUnavailableException}; otherwise those tests are skipped.
 */
package io.taskapi.testing.contract;
