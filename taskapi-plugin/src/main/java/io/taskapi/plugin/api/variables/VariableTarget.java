package io.taskapi.plugin.api.variables;

import io.taskapi.plugin.authz.AccessRequest;
import io.taskapi.plugin.http.ApiException;

/**
 * The one variable a read, write or delete is about: the request's namespace and a variable path, both checked.
 *
 * @param namespace a namespace (not {@code *})
 * @param path a valid variable path
 */
record VariableTarget(String namespace, String path) {
    /**
     * @param request a request about one variable
     * @param path the variable path it is about (the path parameter, or {@code secret/} and it)
     * @return the variable, checked
     * @throws ApiException 400 with Nomad's message for a bad namespace or path
     */
    static VariableTarget of(AccessRequest request, String path) throws ApiException {
        String namespace = VariableRequests.namespace(request);
        VariablePaths.checkNamespace(namespace, false);
        VariablePaths.checkPath(path);
        return new VariableTarget(namespace, path);
    }
}
