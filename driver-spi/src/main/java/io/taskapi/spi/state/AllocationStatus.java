package io.taskapi.spi.state;

/** Whether an allocation's workload identities are still good. */
public enum AllocationStatus {
    /** Pending or running: its identities are accepted. */
    LIVE,
    /** Complete, failed or lost on this client: its identities are refused. */
    TERMINAL,
    /** Never seen, or garbage-collected: its identities are refused. */
    UNKNOWN
}
