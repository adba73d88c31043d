package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Finds the route for a method and path: 404 for an unknown path, 405 with the allowed methods for a known one. */
public final class Router {
    private final Map<String, Map<String, ApiRoute>> routesByPath;

    /**
     * @param routes every route; two with the same method and path are a wiring error
     */
    @Inject
    public Router(Set<ApiRoute> routes) {
        Map<String, Map<String, ApiRoute>> byPath = new HashMap<>();
        for (ApiRoute route : requireNonNull(routes, "routes is null")) {
            ApiRoute clash = byPath.computeIfAbsent(route.path(), path -> new TreeMap<>()).put(route.method(), route);
            if (clash != null) {
                throw new IllegalStateException("two routes for " + route.method() + " " + route.path());
            }
        }
        byPath.replaceAll((path, methods) -> Map.copyOf(methods));
        this.routesByPath = Map.copyOf(byPath);
    }

    /**
     * @param method the request's method
     * @param path the request's path
     * @return the route
     * @throws ApiException 404 for an unknown path, 405 (message lists the allowed methods) for a wrong method
     */
    public ApiRoute route(String method, String path) throws ApiException {
        Map<String, ApiRoute> methods = routesByPath.get(path);
        if (methods == null) {
            throw new ApiException(404, "Not found: no route " + path);
        }
        ApiRoute route = methods.get(method);
        if (route == null) {
            throw new ApiException(405, "Method not allowed; " + path + " allows " + allowed(path));
        }
        return route;
    }

    /**
     * @param path a request path
     * @return the methods that path answers, comma separated, for an {@code Allow} header
     */
    public String allowed(String path) {
        Map<String, ApiRoute> methods = routesByPath.getOrDefault(path, Map.of());
        return String.join(", ", new TreeMap<>(methods).keySet());
    }
}
