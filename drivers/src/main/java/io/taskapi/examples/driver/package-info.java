/**
 * Task drivers written only against {@code taskapi-driver-spi}, and what they share.
 *
 * <ul>
 *   <li>{@code exec} ({@link io.taskapi.examples.driver.exec.ExecDriver}) and {@code java}
 *       ({@link io.taskapi.examples.driver.java.JavaDriver}) run host processes through
 *       {@link io.taskapi.examples.driver.process.HostProcessLauncher};</li>
 *   <li>{@code docker} ({@link io.taskapi.examples.driver.docker.DockerDriver}) talks to the Docker Engine API;</li>
 *   <li>{@link io.taskapi.examples.driver.DriverLoader} finds them, and third-party drivers in jars, with
 *       {@link java.util.ServiceLoader}.</li>
 * </ul>
 *
 * <p>See {@code docs/driver-guide.md}.
 */
package io.taskapi.examples.driver;
