package io.taskapi.spi.compat;

import static java.util.Objects.requireNonNull;

import japicmp.cmp.JApiCmpArchive;
import japicmp.cmp.JarArchiveComparator;
import japicmp.cmp.JarArchiveComparatorOptions;
import japicmp.model.AccessModifier;
import japicmp.model.JApiBehavior;
import japicmp.model.JApiChangeStatus;
import japicmp.model.JApiClass;
import japicmp.model.JApiCompatibility;
import japicmp.model.JApiCompatibilityChange;
import japicmp.model.JApiField;
import japicmp.model.JApiImplementedInterface;
import japicmp.model.JApiParameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Compares two versions of an API, given as jars, with japicmp, and names every change that can break code compiled
 * against (binary) or written for (source) the old one: a removed type, method, constructor or field, a changed
 * signature or modifier, and a new abstract method in an interface (its implementers no longer compile). Additions,
 * including a new default method, are compatible and not reported.
 *
 * <p>Each change is one line, {@code <element>: <JAPICMP_CHANGE_TYPE>}, e.g.
 * {@code io.taskapi.spi.driver.TaskDriver#start(io.taskapi.spi.driver.TaskLaunch): METHOD_REMOVED}: the same text an
 * entry of the accepted-changes file starts with ({@link AcceptedChanges}).
 */
final class SpiCompatibility {
    /** A fixed entry time, so that the same classes always make the same jar bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

    private SpiCompatibility() {}

    /** {@return every binary- or source-incompatible change from {@code oldJar} to {@code newJar}, sorted} */
    static List<String> incompatibleChanges(byte[] oldJar, byte[] newJar) {
        JarArchiveComparatorOptions options = new JarArchiveComparatorOptions();
        options.setAccessModifier(AccessModifier.PROTECTED);
        List<JApiClass> classes = new JarArchiveComparator(options).compare(
                new JApiCmpArchive(oldJar, "old.jar", "0"), new JApiCmpArchive(newJar, "new.jar", "1"));
        Set<String> changes = new TreeSet<>();
        for (JApiClass type : classes) {
            String name = type.getFullyQualifiedName();
            collect(changes, name, type);
            if (type.getChangeStatus() == JApiChangeStatus.REMOVED) {
                continue; // its members went with it: CLASS_REMOVED says it all
            }
            collect(changes, name + " superclass", type.getSuperclass());
            for (JApiImplementedInterface implemented : type.getInterfaces()) {
                collect(changes, name + " implements " + implemented.getFullyQualifiedName(), implemented);
            }
            for (JApiBehavior constructor : type.getConstructors()) {
                collect(changes, name + "#<init>" + parameters(constructor), constructor);
            }
            for (JApiBehavior method : type.getMethods()) {
                collect(changes, name + "#" + method.getName() + parameters(method), method);
            }
            for (JApiField field : type.getFields()) {
                collect(changes, name + "." + field.getName(), field);
            }
        }
        return List.copyOf(changes);
    }

    /**
     * {@return a jar of the {@code .class} files under {@code classes} (without {@code module-info}), with sorted
     * entries and fixed times, so that the same classes give the same bytes}
     */
    static byte[] jarOf(Path classes) {
        requireNonNull(classes, "classes is null");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> classFiles = files
                    .filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> !file.getFileName().toString().equals("module-info.class"))
                    .sorted()
                    .collect(Collectors.toList());
            try (JarOutputStream jar = new JarOutputStream(bytes)) {
                for (Path file : classFiles) {
                    ZipEntry entry = new ZipEntry(classes.relativize(file).toString().replace('\\', '/'));
                    entry.setTimeLocal(ENTRY_TIME);
                    jar.putNextEntry(entry);
                    jar.write(Files.readAllBytes(file));
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a jar of " + classes, e);
        }
        return bytes.toByteArray();
    }

    private static void collect(Set<String> changes, String element, JApiCompatibility compatibility) {
        for (JApiCompatibilityChange change : compatibility.getCompatibilityChanges()) {
            if (!change.isBinaryCompatible() || !change.isSourceCompatible()) {
                changes.add(element + ": " + change.getType());
            }
        }
    }

    private static String parameters(JApiBehavior behavior) {
        List<String> types = new ArrayList<>();
        for (JApiParameter parameter : behavior.getParameters()) {
            types.add(parameter.getType());
        }
        return "(" + String.join(", ", types) + ")";
    }
}
