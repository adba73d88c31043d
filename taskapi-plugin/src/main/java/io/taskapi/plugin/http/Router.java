package io.taskapi.plugin.http;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the route for a method and path: 404 for an unknown path, 405 (with the allowed methods) for a known path
 * and another method. Literal paths are tried before patterns.
 */
public final class Router {
    private final List<Route> routes;
    private final List<PathRoutes> paths;

    /**
     * @param groups every area's routes; two routes with the same method and path are a wiring error
     */
    @Inject
    public Router(Set<RouteGroup> groups) {
        List<Route> all = new ArrayList<>();
        Map<String, Map<String, Route>> byPath = new LinkedHashMap<>();
        for (RouteGroup group : requireNonNull(groups, "groups is null")) {
            for (Route route : group.routes()) {
                all.add(route);
                for (String method : route.methods()) {
                    Route clash = byPath.computeIfAbsent(route.path(), path -> new TreeMap<>()).put(method, route);
                    if (clash != null) {
                        throw new IllegalStateException("two routes for " + method + " " + route.path());
                    }
                }
            }
        }
        this.routes = List.copyOf(all);
        List<PathRoutes> ordered = new ArrayList<>();
        byPath.forEach((path, methods) -> ordered.add(new PathRoutes(new PathPattern(path), Map.copyOf(methods))));
        ordered.sort((a, b) -> Boolean.compare(b.pattern.isLiteral(), a.pattern.isLiteral()));
        this.paths = List.copyOf(ordered);
    }

    /**
     * @param method the request's method
     * @param path the request's path
     * @return the route and the path's parameters
     * @throws ApiException 404 for an unknown path, 405 for a wrong method (see {@link #allowed})
     */
    public RouteMatch route(String method, String path) throws ApiException {
        for (PathRoutes candidate : paths) {
            Optional<Map<String, String>> params = candidate.pattern.match(path);
            if (params.isEmpty()) {
                continue;
            }
            Route route = candidate.methods.get(method);
            if (route == null) {
                throw new ApiException(405, "Method not allowed; " + path + " allows " + allowed(path));
            }
            return new RouteMatch(route, params.get());
        }
        throw new ApiException(404, "Not found: no route " + path);
    }

    /** @return every route, for the route table in the docs and the tests that cover every route */
    public List<Route> routes() {
        return routes;
    }

    /**
     * @param path a request path
     * @return the methods the first matching path answers, comma separated, for an {@code Allow} header
     */
    public String allowed(String path) {
        for (PathRoutes candidate : paths) {
            if (candidate.pattern.match(path).isPresent()) {
                return String.join(", ", new TreeSet<>(candidate.methods.keySet()));
            }
        }
        return "";
    }

    /**
     * A route and the parameters its path pattern captured.
     *
     * @param route the route
     * @param params {@code :name} and {@code *name} values by name
     */
    public record RouteMatch(Route route, Map<String, String> params) {}

    private record PathRoutes(PathPattern pattern, Map<String, Route> methods) {}
}
