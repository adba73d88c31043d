package io.taskapi.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Connects to a socket and prints what happened, for running as another user in a child JVM. Uses nothing but the
 * JDK and {@link UnixHttpClient}, so that its class path can be just the two class directories.
 */
public final class ConnectProbe {
    private ConnectProbe() {}

    /** @param args the socket path */
    public static void main(String[] args) {
        try {
            UnixHttpClient.at(Path.of(args[0])).get("/").send();
            System.out.println("CONNECTED");
        } catch (IOException e) {
            System.out.println(e.getClass().getName() + ": " + e.getMessage());
        }
    }
}
