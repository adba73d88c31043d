/**
 * The agent-side state the plugin reads through: ACL tokens, identity keys and allocation liveness. Each interface
 * fits a local store as well as a shared replicated one; every call may fail with
 * {@link io.taskapi.spi.state.StateUnavailableException}, and callers then fail closed. No method takes
 * {@code null}: a {@code null} argument is a {@link NullPointerException}. A returned collection is the caller's
 * (unmodifiable, or a copy). {@code io.taskapi.testing.contract} in {@code taskapi-testing} holds a contract test
 * suite per interface, for implementers to prove their stores.
 */
package io.taskapi.spi.state;
