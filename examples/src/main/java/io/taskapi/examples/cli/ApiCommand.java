package io.taskapi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the API. Errors end it with exit code 1 and the API's {@code errors} on stderr, never a stack
 * trace; nothing printed ever holds the token.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return execute(api.client());
        } catch (ApiException e) {
            PrintWriter err = err();
            err.println("Error " + what() + ": Unexpected response code: " + e.status());
            e.messages().forEach(m -> err.println("  " + m));
            return 1;
        } catch (IOException e) {
            err().println("Error " + what() + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err().println("Error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * @param client the API
     * @return the exit code
     * @throws IOException when the agent cannot be reached
     * @throws ApiException when it answers with an error
     */
    abstract int execute(ApiClient client) throws IOException, ApiException;

    /** @return what the command was doing, for the error line ("querying nodes") */
    abstract String what();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
