package io.taskapi.examples.jobspec;

/**
 * A task's default workload identity block, {@code identity { env = true  file = true }}: how the signed identity
 * reaches the task.
 *
 * @param env put it in the task's environment as {@code NOMAD_TOKEN}
 * @param file write it to {@code secrets/nomad_token}, readable only by the task's user
 */
public record IdentitySpec(boolean env, boolean file) {
    /** No identity block: the task gets no token. */
    public static final IdentitySpec NONE = new IdentitySpec(false, false);
}
