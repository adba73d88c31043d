/** Host processes for the {@code exec} and {@code java} drivers: user resolution, privilege drop, stop and exit. */
package io.taskapi.examples.driver.process;
