/** A real etcd cluster for tests: members started from the {@code etcd} binary, and a TCP proxy to cut them off. */
package io.taskapi.testing.etcd;
