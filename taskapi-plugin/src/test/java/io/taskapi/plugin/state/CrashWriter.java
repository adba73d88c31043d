package io.taskapi.plugin.state;

import io.taskapi.spi.state.AclToken;
import io.taskapi.spi.state.AclTokenType;
import io.taskapi.spi.state.StoredVariable;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The child JVM of {@link CrashDurabilityTest}: writes records as fast as it can and prints {@code acked <i>} after
 * each write returned, until it is killed.
 *
 * <p>Arguments: the data directory, a record name prefix, how many records.
 */
public final class CrashWriter {
    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        EmbeddedDatabase database = EmbeddedDatabase.open(dataDir);   // never closed: the test kills us
        EmbeddedAclTokenStore tokens = new EmbeddedAclTokenStore(database);
        EmbeddedVariableStore variables = new EmbeddedVariableStore(database, Clock.systemUTC());
        out.println("ready");
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + i;
            if (i % 2 == 0) {
                tokens.put(new AclToken(name, UUID.randomUUID().toString(), name, AclTokenType.CLIENT, List.of("p"),
                        Instant.now(), Optional.empty()));
            } else {
                variables.put(new StoredVariable("default", name, "k", name.getBytes(StandardCharsets.UTF_8), 0, 0,
                        Instant.EPOCH, Instant.EPOCH), OptionalLong.of(0));
            }
            out.println("acked " + i);
        }
        out.println("done");
    }
}
