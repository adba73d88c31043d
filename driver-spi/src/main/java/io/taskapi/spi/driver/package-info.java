/**
 * The driver SPI, everything a task driver author needs: implement {@link io.taskapi.spi.driver.TaskDriver}, start
 * the task a {@link io.taskapi.spi.driver.TaskLaunch} describes, get its API socket with
 * {@link io.taskapi.spi.driver.TaskLaunch#apiSocket(io.taskapi.spi.driver.SocketNeeds)}, and return a
 * {@link io.taskapi.spi.driver.RunningTask} whose exit is a {@link io.taskapi.spi.driver.TaskExit}. Failures are
 * {@link io.taskapi.spi.driver.TaskDriverException}s. The only other type a driver reads is
 * {@link io.taskapi.spi.driver.TaskRef}.
 *
 * <p>The agent's side of the same exchange lives here too, so that the SPI's packages form no cycle: a
 * {@link io.taskapi.spi.driver.SocketProvisioner} (the running {@link io.taskapi.spi.TaskApi}) turns a
 * {@link io.taskapi.spi.driver.SocketRequest} into a {@link io.taskapi.spi.driver.SocketMount} or a
 * {@link io.taskapi.spi.driver.SocketUnavailableException}. Drivers do not use those: they call
 * {@link io.taskapi.spi.driver.TaskLaunch#apiSocket}.
 */
package io.taskapi.spi.driver;
