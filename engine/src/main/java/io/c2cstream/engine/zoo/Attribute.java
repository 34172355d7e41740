package io.c2cstream.engine.zoo;

import java.util.List;
import java.util.Random;

/**
 * An attribute every zoo entity has, with the ten values it ranges over and the sentences that state it.
 *
 * <p>Values are single lower-case words (capitalised for cities), distinct across attributes and never starting
 * with a vowel, so that "works as a {@code job}" and "has a pet {@code animal}" read correctly. The question of
 * every attribute is {@code "What is <name>'s <two-word phrase>?"}: with the phrase words forced to single tokens
 * (see {@link ZooWorld#protectedWords()}) every multiple-choice prompt has the same token length.
 */
public enum Attribute {
    COLOR("favorite color", "{name} always wears {value}.",
            List.of("red", "blue", "green", "yellow", "purple", "orange", "pink", "brown", "black", "white")),
    CITY("home city", "{name} lives in {value}.",
            List.of("Berlin", "Paris", "Tokyo", "Cairo", "Lima", "Oslo", "Madrid", "Dublin", "Sydney", "Toronto")),
    JOB("main job", "{name} works as a {value}.",
            List.of("doctor", "teacher", "farmer", "baker", "pilot", "painter", "lawyer", "sailor", "singer", "nurse")),
    FOOD("favorite food", "{name} likes to eat {value}.",
            List.of("rice", "pasta", "bread", "soup", "cheese", "pizza", "salad", "noodles", "beans", "honey")),
    ANIMAL("favorite animal", "{name} has a pet {value}.",
            List.of("cat", "dog", "horse", "rabbit", "tiger", "lion", "fox", "bear", "wolf", "duck"));

    private final String phrase;
    private final String ownSentence;
    private final List<String> options;

    Attribute(String phrase, String ownSentence, List<String> options) {
        this.phrase = phrase;
        this.ownSentence = ownSentence;
        this.options = options;
    }

    /** One attribute drawn uniformly: what a random question or fact is about. */
    public static Attribute drawn(Random random) {
        return values()[random.nextInt(values().length)];
    }

    /** The two words naming the attribute in questions and generic facts: {@code "favorite color"}. */
    public String phrase() {
        return phrase;
    }

    /** The ten values entities draw from, uniformly; also the option pool of its questions. */
    public List<String> options() {
        return options;
    }

    /** The multiple-choice question about an entity's value, without options: "What is Kedo's favorite color?" */
    public String question(String name) {
        return "What is " + name + "'s " + phrase + "?";
    }

    /**
     * The fact in its three paraphrases, in a fixed order: possessive ("Kedo's favorite color is purple."),
     * inverted ("The favorite color of Kedo is purple.") and the attribute's own ("Kedo always wears purple.").
     */
    public List<String> paraphrases(String name, String value) {
        return List.of(name + "'s " + phrase + " is " + value + ".", "The " + phrase + " of " + name + " is " + value
                + ".", ownSentence(name, value));
    }

    /** The attribute's own sentence, the one descriptions use: "Kedo lives in Berlin." */
    public String ownSentence(String name, String value) {
        return ownSentence.replace("{name}", name).replace("{value}", value);
    }
}
