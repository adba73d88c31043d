/**
 * The driver SPI: a {@link io.taskapi.spi.driver.TaskDriver} starts a task from a
 * {@link io.taskapi.spi.driver.TaskLaunch} and asks the launch's socket provisioner for the task's API socket.
 */
package io.taskapi.spi.driver;
