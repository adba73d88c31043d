/**
 * An agent in a cluster whose state lives in etcd ({@code -etcd-endpoints}): the stores the plugin reads, this
 * agent's node under a lease, its allocations published for the other agents, and the cluster's keyrings. See
 * docs/cluster.md.
 */
package io.taskapi.examples.agent.cluster;
