/** The {@code exec} task driver: a host program, optionally as another user. */
package io.taskapi.examples.driver.exec;
