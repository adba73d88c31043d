package io.taskapi.plugin.auth;

/**
 * A token-less request on the operator listener, which gets the {@code anonymous} policy. Only the operator
 * listener ever creates one for a route that needs a credential: on a task socket a request without a credential is
 * refused with 401 first. The one exception is a route {@linkplain io.taskapi.plugin.http.Route#withoutCredential
 * served without a credential} (login), whose callers are anonymous on every listener.
 */
public record AnonymousIdentity() implements Identity {
    @Override
    public String auditName() {
        return "anonymous";
    }
}
