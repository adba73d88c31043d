/**
 * The plugin's entry point, for agents: {@link io.taskapi.spi.TaskApiProvider}, found with
 * {@link java.util.ServiceLoader}, checked with {@link io.taskapi.spi.SpiVersion#requireSupported}, started with an
 * {@link io.taskapi.spi.AgentContext}, returns a {@link io.taskapi.spi.TaskApi} that serves every task's socket until
 * the agent releases the task. {@link io.taskapi.spi.driver.TaskRef} names a task everywhere in the SPI.
 */
package io.taskapi.spi;
