package io.taskapi.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public signature of the SPI, compared with a committed snapshot, so that an incompatible change to what
 * drivers and agents compile against is a conscious decision and shows up in review.
 *
 * <p>After a deliberate change, regenerate the snapshot with
 * {@code ./mvnw -pl driver-spi test -Dspi.snapshot.update=true} and commit it.
 */
final class SpiSignatureSnapshotTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/spi-signatures.txt");

    @Test
    void publicSignaturesMatchTheCommittedSnapshot() throws IOException {
        String current = String.join("\n", describeSpi()) + "\n";
        if (Boolean.getBoolean("spi.snapshot.update")) {
            Files.writeString(SNAPSHOT, current, StandardCharsets.UTF_8);
        }
        String committed = Files.readString(SNAPSHOT, StandardCharsets.UTF_8);
        assertThat(current)
                .as("the SPI's public signatures changed; if that is intended, run "
                        + "./mvnw -pl driver-spi test -Dspi.snapshot.update=true and commit " + SNAPSHOT)
                .isEqualTo(committed);
    }

    @Test
    void snapshotCoversEveryExportedPackage() throws IOException {
        List<String> lines = describeSpi();
        assertThat(lines).anyMatch(line -> line.startsWith("interface io.taskapi.spi.TaskApiProvider"));
        assertThat(lines).anyMatch(line -> line.startsWith("interface io.taskapi.spi.driver.TaskDriver"));
        assertThat(lines).anyMatch(line -> line.startsWith("class io.taskapi.spi.socket.SocketRequest"));
        assertThat(lines).anyMatch(line -> line.startsWith("interface io.taskapi.spi.state.AclTokenStore"));
    }

    private static List<String> describeSpi() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : spiClasses()) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            lines.add(describeType(type));
            Arrays.stream(type.getDeclaredConstructors())
                    .filter(c -> isApi(c.getModifiers()))
                    .map(c -> "  " + describeConstructor(c))
                    .sorted()
                    .forEach(lines::add);
            Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> isApi(m.getModifiers()) && !m.isSynthetic())
                    .map(m -> "  " + m.toGenericString())
                    .sorted()
                    .forEach(lines::add);
            Arrays.stream(type.getDeclaredFields())
                    .filter(f -> isApi(f.getModifiers()) && !f.isSynthetic())
                    .map(SpiSignatureSnapshotTest::describeField)
                    .sorted()
                    .forEach(lines::add);
        }
        return lines;
    }

    private static String describeType(Class<?> type) {
        String kind = type.isAnnotation() ? "annotation" : type.isRecord() ? "record" : type.isEnum() ? "enum"
                : type.isInterface() ? "interface" : "class";
        StringBuilder line = new StringBuilder(kind).append(' ').append(type.getName());
        line.append(" modifiers=").append(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE));
        if (type.isRecord()) {
            line.append(" components=(");
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                line.append(i == 0 ? "" : ", ").append(components[i].getGenericType().getTypeName())
                        .append(' ').append(components[i].getName());
            }
            line.append(')');
        }
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()
                && !type.isRecord()) {
            line.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0) {
            line.append(" implements ").append(Stream.of(type.getGenericInterfaces())
                    .map(java.lang.reflect.Type::getTypeName).sorted().toList());
        }
        return line.toString();
    }

    private static String describeConstructor(Constructor<?> constructor) {
        return constructor.toGenericString();
    }

    private static String describeField(Field field) {
        return "  field " + Modifier.toString(field.getModifiers()) + " " + field.getGenericType().getTypeName() + " "
                + field.getName();
    }

    private static boolean isApi(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** Every class compiled from src/main, found by walking the directory TaskApiProvider was loaded from. */
    private static List<Class<?>> spiClasses() throws IOException {
        Path root;
        try {
            root = Path.of(TaskApiProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize)
                    .map(Path::toString)
                    .filter(name -> name.endsWith(".class") && !name.equals("module-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .map(SpiSignatureSnapshotTest::load)
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SpiSignatureSnapshotTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
