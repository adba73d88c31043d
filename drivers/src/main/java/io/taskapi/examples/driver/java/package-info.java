/** The {@code java} task driver: a JVM started like an {@code exec} task. */
package io.taskapi.examples.driver.java;
