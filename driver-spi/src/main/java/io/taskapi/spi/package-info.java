/**
 * The plugin's entry point: {@link io.taskapi.spi.TaskApiProvider}, found with {@link java.util.ServiceLoader},
 * started with an {@link io.taskapi.spi.AgentContext}, returns a {@link io.taskapi.spi.TaskApi}.
 */
package io.taskapi.spi;
