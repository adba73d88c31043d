/** The {@code docker} task driver and its small HTTP/1.1 client for the Docker Engine API on a Unix socket. */
package io.taskapi.examples.driver.docker;
