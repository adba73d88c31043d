package io.taskapi.examples.agent;

import io.taskapi.testing.contract.IdentityKeyStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class IdentityKeyringContractTest extends IdentityKeyStoreContract<IdentityKeyring> {
    @TempDir
    Path keysDir;

    @Override
    protected IdentityKeyring createStore() throws Exception {
        return IdentityKeyring.loadOrCreate(keysDir);
    }
}
