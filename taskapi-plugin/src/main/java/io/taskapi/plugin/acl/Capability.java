package io.taskapi.plugin.acl;

/** A fine-grained capability of some ACL resource, known by the name policies write ({@code read-job}, …). */
public interface Capability {
    /** {@return the name as a policy writes it} */
    String wireName();
}
