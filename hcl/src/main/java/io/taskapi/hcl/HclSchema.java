package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a body may contain: which attributes (with their types, some required) and which blocks (with their label
 * counts, their own schemas, and whether they may repeat). {@link #validate} reports the first problem in source order,
 * for example {@code 3:5: unknown key "polcy" in namespace block} or {@code 4:14: "policy" must be a string, found
 * number}.
 *
 * <pre>{@code
 * HclSchema namespace = HclSchema.builder("namespace block")
 *         .attribute("policy", HclType.STRING)
 *         .attribute("capabilities", HclType.LIST_OF_STRINGS)
 *         .build();
 * HclSchema policy = HclSchema.builder("policy").block("namespace", 1, namespace).build();
 * }</pre>
 */
public final class HclSchema {
    /**
     * A block a body may contain.
     *
     * @param type the block type
     * @param labels how many labels it takes
     * @param repeatable whether the body may contain more than one
     * @param body what its body may contain
     */
    public record BlockSpec(String type, int labels, boolean repeatable, HclSchema body) {
        /** Checks the arguments. */
        public BlockSpec {
            requireNonNull(type, "type is null");
            requireNonNull(body, "body is null");
            if (labels < 0) {
                throw new IllegalArgumentException("labels is negative");
            }
        }
    }

    private record AttributeSpec(HclType type, boolean required) {}

    private final String description;
    private final Map<String, AttributeSpec> attributes;
    private final Map<String, BlockSpec> blocks;
    private final boolean anyAttributes;

    private HclSchema(Builder builder) {
        this.description = builder.description;
        this.anyAttributes = builder.anyAttributes;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.attributes));
        this.blocks = Collections.unmodifiableMap(new LinkedHashMap<>(builder.blocks));
    }

    /**
     * @param description how messages name a body of this kind, e.g. {@code "namespace block"}
     * @return a builder
     */
    public static Builder builder(String description) {
        return new Builder(description);
    }

    /** {@return how messages name a body of this kind} */
    public String description() {
        return description;
    }

    /** {@return the attribute names this schema allows} */
    public Set<String> attributeNames() {
        return attributes.keySet();
    }

    /**
     * @param name an attribute name
     * @return its declared type, if the schema allows it
     */
    public Optional<HclType> attributeType(String name) {
        return Optional.ofNullable(attributes.get(name)).map(AttributeSpec::type);
    }

    /**
     * @param type a block type
     * @return its declaration, if the schema allows it
     */
    public Optional<BlockSpec> block(String type) {
        return Optional.ofNullable(blocks.get(type));
    }

    /**
     * Checks a top-level body (a missing required attribute is reported at 1:1).
     *
     * @param body the body
     * @throws HclParseException at the first problem in source order
     */
    public void validate(HclBody body) {
        List<HclParseException> problems = problems(body);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }

    /**
     * Checks a top-level body and reports every problem, for files a person fixes in one round (an agent's
     * configuration). A block with a problem in its header (labels) is not looked into.
     *
     * @param body the body
     * @return the problems in source order; empty when the body is valid
     */
    public List<HclParseException> problems(HclBody body) {
        List<HclParseException> problems = new ArrayList<>();
        collect(requireNonNull(body, "body is null"), HclPosition.START, problems);
        return List.copyOf(problems);
    }

    private void collect(HclBody body, HclPosition where, List<HclParseException> problems) {
        // Walk attributes and blocks together in source order so that problems come in the file's order.
        List<Object> items = new ArrayList<>(body.attributes());
        items.addAll(body.blocks());
        items.sort(Comparator.comparing(HclSchema::positionOf, Comparator.comparingInt(HclPosition::line)
                .thenComparingInt(HclPosition::column)));
        Map<String, HclBlock> seenOnce = new HashMap<>();
        for (Object item : items) {
            try {
                if (item instanceof HclAttribute) {
                    checkAttribute((HclAttribute) item);
                } else {
                    checkBlock((HclBlock) item, seenOnce, problems);
                }
            } catch (HclParseException e) {
                problems.add(e);
            }
        }
        for (Map.Entry<String, AttributeSpec> spec : attributes.entrySet()) {
            if (spec.getValue().required() && body.attribute(spec.getKey()).isEmpty()) {
                problems.add(new HclParseException(where,
                        "missing required attribute \"" + spec.getKey() + "\" in " + description));
            }
        }
    }

    private void checkAttribute(HclAttribute attribute) {
        AttributeSpec spec = attributes.get(attribute.name());
        if (spec == null && anyAttributes && !blocks.containsKey(attribute.name())) {
            return;
        }
        if (spec == null) {
            if (blocks.containsKey(attribute.name())) {
                throw new HclParseException(attribute.position(),
                        "\"" + attribute.name() + "\" must be a block, not an attribute");
            }
            throw unknown(attribute.name(), attribute.position());
        }
        spec.type().check(attribute.name(), attribute.value());
    }

    private void checkBlock(HclBlock block, Map<String, HclBlock> seenOnce, List<HclParseException> problems) {
        BlockSpec spec = blocks.get(block.type());
        if (spec == null) {
            if (attributes.containsKey(block.type())) {
                throw new HclParseException(block.position(),
                        "\"" + block.type() + "\" must be an attribute, not a block");
            }
            throw unknown(block.type(), block.position());
        }
        int found = block.labels().size();
        if (found < spec.labels()) {
            throw new HclParseException(block.position(), block.type() + " block needs " + spec.labels() + " label"
                    + (spec.labels() == 1 ? "" : "s") + ", found " + found);
        }
        if (found > spec.labels()) {
            throw new HclParseException(block.labels().get(spec.labels()).position(), block.type() + " block takes "
                    + (spec.labels() == 0 ? "no labels" : spec.labels() + " label" + (spec.labels() == 1 ? "" : "s"))
                    + ", found " + found);
        }
        if (!spec.repeatable()) {
            HclBlock first = seenOnce.putIfAbsent(block.type(), block);
            if (first != null) {
                throw new HclParseException(block.position(), "duplicate " + block.type() + " block in "
                        + description + " (first defined at " + first.position() + ")");
            }
        }
        spec.body().collect(block.body(), block.position(), problems);
    }

    private HclParseException unknown(String name, HclPosition position) {
        return new HclParseException(position, "unknown key \"" + name + "\" in " + description);
    }

    private static HclPosition positionOf(Object item) {
        return item instanceof HclAttribute ? ((HclAttribute) item).position() : ((HclBlock) item).position();
    }

    /** Declares what a body may contain. */
    public static final class Builder {
        private final String description;
        private boolean anyAttributes;
        private final Map<String, AttributeSpec> attributes = new LinkedHashMap<>();
        private final Map<String, BlockSpec> blocks = new LinkedHashMap<>();

        private Builder(String description) {
            this.description = requireNonNull(description, "description is null");
        }

        /**
         * Allows an optional attribute.
         *
         * @param name its name
         * @param type its type
         * @return this
         */
        public Builder attribute(String name, HclType type) {
            return add(name, new AttributeSpec(requireNonNull(type, "type is null"), false));
        }

        /**
         * Requires an attribute.
         *
         * @param name its name
         * @param type its type
         * @return this
         */
        public Builder requiredAttribute(String name, HclType type) {
            return add(name, new AttributeSpec(requireNonNull(type, "type is null"), true));
        }

        /**
         * Allows any number of blocks of a type.
         *
         * @param type the block type
         * @param labels how many labels each takes
         * @param body what each body may contain
         * @return this
         */
        public Builder block(String type, int labels, HclSchema body) {
            return add(new BlockSpec(type, labels, true, body));
        }

        /**
         * Allows at most one block of a type.
         *
         * @param type the block type
         * @param labels how many labels it takes
         * @param body what its body may contain
         * @return this
         */
        public Builder singleBlock(String type, int labels, HclSchema body) {
            return add(new BlockSpec(type, labels, false, body));
        }

        /**
         * Allows attributes of any name and type besides those declared: a body whose keys its reader checks itself
         * (a driver's {@code config}, say).
         *
         * @return this
         */
        public Builder anyAttributes() {
            this.anyAttributes = true;
            return this;
        }

        /** {@return the schema} */
        public HclSchema build() {
            return new HclSchema(this);
        }

        private Builder add(String name, AttributeSpec spec) {
            requireNonNull(name, "name is null");
            if (blocks.containsKey(name) || attributes.putIfAbsent(name, spec) != null) {
                throw new IllegalArgumentException("\"" + name + "\" is declared twice");
            }
            return this;
        }

        private Builder add(BlockSpec spec) {
            if (attributes.containsKey(spec.type()) || blocks.putIfAbsent(spec.type(), spec) != null) {
                throw new IllegalArgumentException("\"" + spec.type() + "\" is declared twice");
            }
            return this;
        }
    }
}
