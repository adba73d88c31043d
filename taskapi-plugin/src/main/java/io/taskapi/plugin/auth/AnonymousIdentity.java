package io.taskapi.plugin.auth;

/**
 * A token-less request on the operator listener, which gets the {@code anonymous} policy. Only the operator
 * listener ever creates one: on a task socket a request without a credential is refused with 401 first.
 */
public record AnonymousIdentity() implements Identity {
    @Override
    public String auditName() {
        return "anonymous";
    }
}
