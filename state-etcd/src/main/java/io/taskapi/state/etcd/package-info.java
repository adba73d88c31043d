/**
 * The state SPIs on an etcd v3 cluster that many agents share: {@link io.taskapi.state.etcd.EtcdState} connects and
 * hands out the stores. Reads answer from memory, kept current by watches; writes return once etcd has committed
 * them. docs/cluster.md describes the key layout, the guarantees and the failure modes.
 */
package io.taskapi.state.etcd;
