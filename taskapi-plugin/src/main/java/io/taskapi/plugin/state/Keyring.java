package io.taskapi.plugin.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskapi.spi.state.StateUnavailableException;
import io.taskapi.spi.state.VariableKeyring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 keys that encrypt variables at rest, in {@code <dataDir>/keyring.json} (mode 0600):
 *
 * <pre>{@code
 * {"version":1,"keys":[{"id":"<uuid>","created":"2030-01-01T00:00:00Z","state":"active","key":"<base64>"}, ...]}
 * }</pre>
 *
 * <p>The first {@link #open} makes the file with one active key. {@link #rotate()} adds a new active key and marks
 * the previous one inactive; old keys stay, so what they encrypted stays readable. The file is written whole to a
 * 0600 temporary file, fsynced, and renamed into place (the first one linked, so that it never replaces a keyring),
 * then the directory is fsynced.
 *
 * <p><b>Sealed.</b> When the file exists but cannot be read or parsed, is not a regular file of the agent's user, is
 * accessible to group or others, or has not exactly one active key, the keyring is sealed: it is never rewritten
 * (that would lose keys), every operation that needs key material throws {@link StateUnavailableException} (the
 * variable routes answer 503), and {@link #sealedReason()} says why. Nothing else depends on it: the rest of the
 * embedded store opens and works without it. Fix the file and restart to unseal.
 *
 * <p>Key material is never logged and never in a message; {@link #toString()} shows key ids only. Thread-safe.
 */
public final class Keyring implements VariableKeyring {
    /** The keyring file's name in the data directory. */
    public static final String FILE_NAME = "keyring.json";

    private static final Logger LOG = LoggerFactory.getLogger(Keyring.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT_VERSION = 1;
    private static final int KEY_BYTES = 32;
    private static final int MAX_FILE_BYTES = 1 << 20;
    private static final String ACTIVE = "active";
    private static final String INACTIVE = "inactive";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What is public about a key.
     *
     * @param id its id (a UUID), which ciphertexts name
     * @param created when it was made
     * @param active whether new ciphertexts use it
     */
    public record KeyInfo(String id, Instant created, boolean active) {
        /**
         * @param id see the record component of that name
         * @param created see the record component of that name
         * @param active see the record component of that name
         */
        public KeyInfo {
            requireNonNull(id, "id is null");
            requireNonNull(created, "created is null");
        }
    }

    /** A key and its material. Never printed. */
    private static final class Entry {
        private final KeyInfo info;
        private final byte[] material;
        private final SecretKey key;

        Entry(KeyInfo info, byte[] material) {
            this.info = info;
            this.material = material.clone();
            this.key = new SecretKeySpec(material, "AES");
        }

        Entry withActive(boolean active) {
            return new Entry(new KeyInfo(info.id(), info.created(), active), material);
        }

        @Override
        public String toString() {
            return info.toString();
        }
    }

    private final Path file;
    private final Path dir;
    private final Clock clock;
    private final Object writeLock = new Object();
    // Replaced whole; read without the lock. Empty when sealed.
    private volatile Map<String, Entry> keys;
    private volatile String activeId;
    private final String sealedReason;

    private Keyring(Path dir, Clock clock, Map<String, Entry> keys, String activeId, String sealedReason) {
        this.dir = dir;
        this.file = dir == null ? null : dir.resolve(FILE_NAME);
        this.clock = clock;
        this.keys = keys;
        this.activeId = activeId;
        this.sealedReason = sealedReason;
    }

    /**
     * Loads {@code <dataDir>/keyring.json}, or makes it with one active key when it does not exist. Never fails for
     * a bad keyring file: the keyring is then {@linkplain #isSealed() sealed}.
     *
     * @param dataDir the embedded store's directory (made 0700 when missing)
     * @param clock gives the keys' creation times
     * @return the keyring, possibly sealed
     * @throws IllegalStateException when the data directory itself is not private to the agent's user
     */
    public static Keyring open(Path dataDir, Clock clock) {
        requireNonNull(clock, "clock is null");
        Path dir = DataDirectory.prepare(dataDir);
        Path file = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Entry first = newEntry(clock, true);
                Map<String, Entry> keys = Map.of(first.info.id(), first);
                try {
                    write(dir, file, keys.values(), false);
                    LOG.info("Created the variable keyring {} with key {}", file, first.info.id());
                    return new Keyring(dir, clock, keys, first.info.id(), null);
                } catch (FileAlreadyExistsException e) {
                    // made concurrently: load it like any existing keyring
                }
            }
            return load(dir, file, clock);
        } catch (IOException e) {
            return sealed(dir, clock, "cannot create " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** @return whether the keyring is unusable (see the class documentation) */
    public boolean isSealed() {
        return sealedReason != null;
    }

    /** @return why the keyring is sealed, or empty when it is not */
    @Override
    public Optional<String> sealedReason() {
        return Optional.ofNullable(sealedReason);
    }

    /** @return the keyring file; empty for a keyring sealed for want of a data directory */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * @return the id of the key new ciphertexts use
     * @throws StateUnavailableException when the keyring is sealed
     */
    public String activeKeyId() throws StateUnavailableException {
        checkUnsealed();
        return activeId;
    }

    /**
     * @return every key, oldest first, without its material
     * @throws StateUnavailableException when the keyring is sealed
     */
    public List<KeyInfo> keys() throws StateUnavailableException {
        checkUnsealed();
        return keys.values().stream().map(entry -> entry.info).toList();
    }

    /**
     * Adds a new active key and makes the previous one inactive; old keys stay, so old ciphertexts stay readable.
     * Durable when it returns.
     *
     * @return the new key's id
     * @throws StateUnavailableException when the keyring is sealed or the file cannot be written (nothing changed)
     */
    public String rotate() throws StateUnavailableException {
        checkUnsealed();
        synchronized (writeLock) {
            Map<String, Entry> next = new LinkedHashMap<>();
            keys.forEach((id, entry) -> next.put(id, entry.withActive(false)));
            Entry fresh = newEntry(clock, true);
            next.put(fresh.info.id(), fresh);
            try {
                write(dir, file, next.values(), true);
            } catch (IOException e) {
                throw new StateUnavailableException("cannot write the variable keyring " + file + ": "
                        + e.getClass().getSimpleName(), e);
            }
            keys = Collections.unmodifiableMap(next);
            activeId = fresh.info.id();
            LOG.info("Rotated the variable keyring {}: key {} is active", file, fresh.info.id());
            return fresh.info.id();
        }
    }

    @Override
    public String toString() {
        return isSealed() ? "Keyring[" + (file == null ? "no file" : file) + ", sealed: " + sealedReason + "]"
                : "Keyring[" + file + ", active=" + activeId + ", keys=" + keys.keySet() + "]";
    }

    /** @return the active key's id and key, read together */
    @Override
    public Map.Entry<String, SecretKey> activeKey() throws StateUnavailableException {
        checkUnsealed();
        synchronized (writeLock) {
            return Map.entry(activeId, keys.get(activeId).key);
        }
    }

    /** @return the key with that id */
    @Override
    public SecretKey key(String id) throws StateUnavailableException {
        checkUnsealed();
        Entry entry = keys.get(id);
        if (entry == null) {
            throw new StateUnavailableException("the variable keyring has no key " + id);
        }
        return entry.key;
    }

    // ---- file

    private void checkUnsealed() throws StateUnavailableException {
        if (sealedReason != null) {
            throw new StateUnavailableException("the variable keyring is sealed: " + sealedReason);
        }
    }

    private static Keyring sealed(Path dir, Clock clock, String reason) {
        LOG.error("The variable keyring is sealed, variables are unavailable: {}", reason);
        return new Keyring(dir, clock, Map.of(), null, reason);
    }

    /**
     * @param reason why there is no keyring (no data directory configured, say)
     * @return a keyring with no file and no keys, sealed
     */
    static Keyring sealed(String reason) {
        requireNonNull(reason, "reason is null");
        LOG.warn("The variable keyring is sealed, variables are unavailable: {}", reason);
        return new Keyring(null, Clock.systemUTC(), Map.of(), null, reason);
    }

    private static Keyring load(Path dir, Path file, Clock clock) {
        try {
            String problem = DataDirectory.checkPrivateFile(file);
            if (!problem.isEmpty()) {
                return sealed(dir, clock, problem);
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                return sealed(dir, clock, file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            JsonNode root;
            try {
                root = JSON.readTree(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            Map<String, Entry> keys = parse(root);
            List<String> active = keys.values().stream().filter(entry -> entry.info.active())
                    .map(entry -> entry.info.id()).toList();
            if (active.size() != 1) {
                return sealed(dir, clock, file + " has " + active.size() + " active keys instead of one");
            }
            LOG.info("Loaded the variable keyring {}: {} keys, {} active", file, keys.size(), active.get(0));
            return new Keyring(dir, clock, Collections.unmodifiableMap(keys), active.get(0), null);
        } catch (IOException e) {
            // Jackson's messages may quote the file's content: name the failure's type only.
            return sealed(dir, clock, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            return sealed(dir, clock, file + " is malformed: " + e.getMessage());
        }
    }

    private static Map<String, Entry> parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (root.path("version").asInt(-1) != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown format version (expected " + FORMAT_VERSION + ")");
        }
        JsonNode array = root.path("keys");
        if (!array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("no keys");
        }
        Map<String, Entry> keys = new LinkedHashMap<>();
        int position = 0;
        for (JsonNode node : array) {
            String where = "key #" + position++;
            String id = text(node, "id", where);
            try {
                UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " has an id that is not a UUID");
            }
            Instant created;
            try {
                created = Instant.parse(text(node, "created", where));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(where + " has a bad creation time");
            }
            String state = text(node, "state", where);
            if (!state.equals(ACTIVE) && !state.equals(INACTIVE)) {
                throw new IllegalArgumentException(where + " has an unknown state");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(text(node, "key", where));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " has a key that is not base64");
            }
            try {
                if (material.length != KEY_BYTES) {
                    throw new IllegalArgumentException(where + " is not a 256-bit key");
                }
                if (keys.put(id, new Entry(new KeyInfo(id, created, state.equals(ACTIVE)), material)) != null) {
                    throw new IllegalArgumentException("key id " + id + " appears twice");
                }
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        }
        return keys;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + " has no " + field);
        }
        return value.asText();
    }

    private static Entry newEntry(Clock clock, boolean active) {
        byte[] material = new byte[KEY_BYTES];
        RANDOM.nextBytes(material);
        try {
            return new Entry(new KeyInfo(UUID.randomUUID().toString(), clock.instant(), active), material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /**
     * Writes the keyring to a 0600 temporary file, fsyncs it, puts it in place and fsyncs the directory.
     *
     * @param replace whether to replace the keyring (a rotation); otherwise a keyring made meanwhile is kept and
     *     {@link FileAlreadyExistsException} thrown
     */
    private static void write(Path dir, Path file, Iterable<Entry> entries, boolean replace) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", FORMAT_VERSION);
        ArrayNode array = root.putArray("keys");
        for (Entry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("id", entry.info.id());
            node.put("created", entry.info.created().toString());
            node.put("state", entry.info.active() ? ACTIVE : INACTIVE);
            node.put("key", Base64.getEncoder().encodeToString(entry.material));
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path temporary = dir.resolve("." + FILE_NAME + ".tmp-" + HexFormat.of().formatHex(suffix));
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), DataDirectory.FILE_ATTRIBUTE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (replace) {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // link(2) never replaces: a keyring made meanwhile wins, and its keys are not lost.
                Files.createLink(file, temporary);
                Files.delete(temporary);
            }
            DataDirectory.fsyncDirectory(dir);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }
}
