package io.taskapi.modulepath;

import io.taskapi.spi.TaskApiProvider;
import io.taskapi.testing.TaskApiExtension;
import io.taskapi.testing.TestTask;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

/**
 * An agent's view of the plugin, run by {@code ModulePathTest} in a JVM where the plugin and its libraries are on the
 * module path and this class on the class path. It is outside the plugin's packages on purpose: a class-path class in
 * one of them would be hidden by the module. Prints what it found and what the API answered.
 */
public final class ModulePathProbe {
    private ModulePathProbe() {}

    public static void main(String[] args) throws Exception {
        for (ServiceLoader.Provider<TaskApiProvider> provider : ServiceLoader.load(TaskApiProvider.class).stream()
                .toList()) {
            System.out.println("provider " + provider.type().getName() + " in " + provider.type().getModule());
        }
        try (TaskApiExtension api = TaskApiExtension.builder().embeddedStores().build()) {
            api.start();
            TestTask task = api.newTask("web");
            task.openSocket();
            // Guice built the server, Jackson writes the answer and the filter library compiles the expression.
            System.out.println("vars " + task.client().get("/v1/vars?filter=" + encode("Path matches \"^a\""))
                    .token(task.identity()).send().status());
            System.out.println("bad filter " + task.client().get("/v1/vars?filter=" + encode("Path ~ a"))
                    .token(task.identity()).send().body());
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
