/**
 * Host processes for the {@code exec} and {@code java} drivers: user resolution, privilege drop, a supervisor process
 * per task that records its exit code, stop and exit, and recovery after an agent restart.
 */
package io.taskapi.examples.driver.process;
