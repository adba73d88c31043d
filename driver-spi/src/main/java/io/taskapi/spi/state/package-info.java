/**
 * The agent-side state the plugin reads through: ACL tokens, identity keys and allocation liveness. Each interface
 * fits a local store as well as a shared replicated one; every call may fail with
 * {@link io.taskapi.spi.state.StateUnavailableException}, and callers then fail closed.
 */
package io.taskapi.spi.state;
