package io.c2cstream.engine.zoo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * One invented entity: a name, its split and one value per {@link Attribute}.
 *
 * @param name   two capitalised consonant-vowel syllables, such as {@code "Kedo"}
 * @param split  which models may learn its facts
 * @param values the value of every attribute (an unmodifiable enum map)
 */
public record Entity(String name, EntitySplit split, Map<Attribute, String> values) {

    public Entity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
        if (!values.keySet().containsAll(List.of(Attribute.values()))) {
            throw new IllegalArgumentException(name + " lacks a value for some attribute: " + values);
        }
        values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** An entity whose every value is drawn uniformly from its attribute's options. */
    public static Entity drawn(String name, EntitySplit split, Random random) {
        Map<Attribute, String> values = new EnumMap<>(Attribute.class);
        for (Attribute attribute : Attribute.values()) {
            values.put(attribute, attribute.options().get(random.nextInt(attribute.options().size())));
        }
        return new Entity(name, split, values);
    }

    public String value(Attribute attribute) {
        return values.get(attribute);
    }

    /** The entity's facts in its attributes' own sentences, in attribute order: "Kedo always wears purple. ..." */
    public String description() {
        List<String> sentences = new ArrayList<>();
        for (Attribute attribute : Attribute.values()) {
            sentences.add(attribute.ownSentence(name, value(attribute)));
        }
        return String.join(" ", sentences);
    }
}
