/**
 * Fakes and fixtures for anyone's Task API tests, shipped in {@code src/main} so that other modules can depend on
 * them. Everything here depends on the driver SPI only; a real plugin is found at run time with
 * {@link java.util.ServiceLoader}.
 *
 * <ul>
 *   <li>{@link io.taskapi.testing.TestingIdentityIssuer}: signs Nomad-shaped workload identity JWTs, good and bad,
 *       and publishes their keys as a JWKS;</li>
 *   <li>{@link io.taskapi.testing.InMemoryAclTokenStore}, {@link io.taskapi.testing.InMemoryAclPolicyStore},
 *       {@link io.taskapi.testing.InMemoryIdentityKeyStore}, {@link io.taskapi.testing.InMemoryAllocationRegistry},
 *       {@link io.taskapi.testing.InMemoryNodeRegistry}, {@link io.taskapi.testing.InMemoryNodeMetadataStore},
 *       {@link io.taskapi.testing.InMemoryVariableStore} and {@link io.taskapi.testing.TestingAgentState}: agent
 *       state, each store with its {@link io.taskapi.testing.StoreFaults} (a switch that makes it unavailable, a
 *       count of its lookups);</li>
 *   <li>{@link io.taskapi.testing.contract}: contract test suites that prove a state store does what the SPI
 *       says;</li>
 *   <li>{@link io.taskapi.testing.UnixHttpClient}: an HTTP/1.1 client over a Unix socket, JDK only;</li>
 *   <li>{@link io.taskapi.testing.TestingTaskDriver}: a driver that runs a task as a Java callback;</li>
 *   <li>{@link io.taskapi.testing.TaskApiExtension}: a JUnit 5 extension that starts whatever
 *       {@link io.taskapi.spi.TaskApiProvider} is on the class path in a throw-away directory.</li>
 * </ul>
 */
package io.taskapi.testing;
