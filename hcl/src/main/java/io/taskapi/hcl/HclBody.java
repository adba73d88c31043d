package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The contents of a file or of a block: attributes (unique names) and blocks (any number of each type), each list in
 * source order. Positions on every node keep the interleaving.
 *
 * @param attributes the attributes
 * @param blocks the blocks
 */
public record HclBody(List<HclAttribute> attributes, List<HclBlock> blocks) {
    /** A body with nothing in it. */
    public static final HclBody EMPTY = new HclBody(List.of(), List.of());

    /** Copies the lists and checks that attribute names are unique. */
    public HclBody {
        attributes = List.copyOf(requireNonNull(attributes, "attributes is null"));
        blocks = List.copyOf(requireNonNull(blocks, "blocks is null"));
        Set<String> names = new HashSet<>();
        for (HclAttribute attribute : attributes) {
            if (!names.add(attribute.name())) {
                throw new IllegalArgumentException("duplicate attribute \"" + attribute.name() + "\"");
            }
        }
    }

    /**
     * @param name an attribute name
     * @return the attribute with that name
     */
    public Optional<HclAttribute> attribute(String name) {
        requireNonNull(name, "name is null");
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * @param type a block type
     * @return the blocks of that type, in source order
     */
    public List<HclBlock> blocks(String type) {
        requireNonNull(type, "type is null");
        return blocks.stream().filter(b -> b.type().equals(type)).toList();
    }

    /** {@return whether there is neither an attribute nor a block} */
    public boolean isEmpty() {
        return attributes.isEmpty() && blocks.isEmpty();
    }
}
